/** 008: payment provider sessions and the provider events already handled. Pay links reuse documents.public_token. */
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('pay_sessions')
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('amount_minor', bigint, (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('expires_at', bigint)
    .addColumn('provider_payment_id', 'text')
    .addColumn('payment_id', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('pay_sessions_pk', ['provider', 'id'])
    .execute();
  await db.schema.createIndex('pay_sessions_document_ix').on('pay_sessions').columns(['document_id', 'status']).execute();
  await db.schema
    .createTable('pay_events')
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('received_at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('pay_events_pk', ['provider', 'event_id'])
    .execute();
}
