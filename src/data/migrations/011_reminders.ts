/** 011: payment reminders — when an invoice was sent, each client's cadence, and every reminder stage sent or skipped. */
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema.alterTable('documents').addColumn('sent_at', bigint).execute();
  await db.schema.alterTable('counterparties').addColumn('reminder_cadence', 'text').execute();
  await db.schema
    .createTable('reminders')
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('stage', 'integer', (c) => c.notNull())
    .addColumn('offset_days', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('due_at', bigint, (c) => c.notNull())
    .addColumn('outbox_id', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('reminders_pk', ['document_id', 'stage'])
    .execute();
}
