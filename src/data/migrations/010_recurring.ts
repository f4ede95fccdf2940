/**
 * 010: recurring invoice schedules and the periods they generated. The primary key of
 * `recurring_periods` (template, period) is what makes "one invoice per period" hold even if a
 * step runs twice. Also `document_files`: the content hash of the file a document was read from,
 * for the duplicate check.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('recurring_templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('counterparty_id', 'text', (c) => c.notNull().references('counterparties.id'))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('lines', 'text', (c) => c.notNull())
    .addColumn('payment_terms_days', 'integer', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('schedule', 'text', (c) => c.notNull())
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text')
    .addColumn('next_date', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recurring_templates_due_ix').on('recurring_templates').columns(['status', 'next_date']).execute();
  await db.schema
    .createTable('recurring_periods')
    .addColumn('template_id', 'text', (c) => c.notNull().references('recurring_templates.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.notNull().unique().references('documents.id'))
    .addColumn('run_id', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('recurring_periods_pk', ['template_id', 'period'])
    .execute();
  await db.schema
    .createTable('document_files')
    .addColumn('document_id', 'text', (c) => c.primaryKey().references('documents.id'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('filename', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('document_files_sha256_ix').on('document_files').column('sha256').execute();
}
