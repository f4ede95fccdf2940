/** 007: bank statements, transactions and reconciliation matches. */
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('bank_statements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text')
    .addColumn('first_date', 'text')
    .addColumn('last_date', 'text')
    .addColumn('transactions', 'integer', (c) => c.notNull())
    .addColumn('new_transactions', 'integer', (c) => c.notNull())
    .addColumn('imported_by', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('bank_transactions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('statement_id', 'text', (c) => c.notNull().references('bank_statements.id'))
    .addColumn('booked_on', 'text', (c) => c.notNull())
    .addColumn('amount_minor', bigint, (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('reference', 'text')
    .addColumn('counterparty', 'text')
    .addColumn('bank_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('proposal', 'text')
    .addColumn('review_run_id', 'text')
    .addColumn('matched_at', bigint)
    .addColumn('matched_by', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addUniqueConstraint('bank_transactions_fingerprint_uq', ['account', 'fingerprint'])
    .execute();
  await db.schema.createIndex('bank_transactions_status_ix').on('bank_transactions').columns(['status', 'booked_on']).execute();
  await db.schema
    .createTable('bank_matches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('transaction_id', 'text', (c) => c.notNull().references('bank_transactions.id'))
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.id'))
    .addColumn('amount_minor', bigint, (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('details', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('bank_matches_transaction_ix').on('bank_matches').column('transaction_id').execute();
  await db.schema.createIndex('bank_matches_document_ix').on('bank_matches').column('document_id').execute();
}
