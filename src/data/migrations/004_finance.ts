/** 004: the finance domain — counterparties (clients and vendors), documents with lines, numbering. */
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('counterparties')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('normalized_name', 'text', (c) => c.notNull())
    .addColumn('contact', 'text')
    .addColumn('email', 'text')
    .addColumn('address', 'text')
    .addColumn('tax_id', 'text')
    .addColumn('currency', 'text')
    .addColumn('payment_terms_days', 'integer')
    .addColumn('notes', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addUniqueConstraint('counterparties_name_uq', ['role', 'normalized_name'])
    .execute();
  await db.schema
    .createTable('documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('counterparty_id', 'text', (c) => c.notNull().references('counterparties.id'))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('issue_date', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text')
    .addColumn('valid_until', 'text')
    .addColumn('reference', 'text')
    .addColumn('subtotal_minor', bigint, (c) => c.notNull())
    .addColumn('tax_minor', bigint, (c) => c.notNull())
    .addColumn('total_minor', bigint, (c) => c.notNull())
    .addColumn('paid_minor', bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('terms', 'text')
    .addColumn('notes', 'text')
    .addColumn('source', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addUniqueConstraint('documents_number_uq', ['kind', 'number'])
    .execute();
  await db.schema.createIndex('documents_counterparty_ix').on('documents').columns(['counterparty_id', 'issue_date']).execute();
  await db.schema.createIndex('documents_status_ix').on('documents').columns(['status', 'due_date']).execute();
  await db.schema
    .createTable('document_lines')
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('quantity', 'text', (c) => c.notNull())
    .addColumn('unit', 'text')
    .addColumn('unit_price_minor', bigint, (c) => c.notNull())
    .addColumn('discount', 'text')
    .addColumn('tax_rate', 'text')
    .addColumn('amount_minor', bigint, (c) => c.notNull())
    .addColumn('tax_minor', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('document_lines_pk', ['document_id', 'idx'])
    .execute();
  await db.schema
    .createTable('document_counters')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('last', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('document_counters_pk', ['kind', 'period'])
    .execute();
}
