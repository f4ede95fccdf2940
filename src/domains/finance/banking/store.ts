/**
 * Bank transactions in the database. An import is one transaction: the statement row and every
 * new line commit together, or — for a bad file — nothing does. Lines already stored (same
 * account and fingerprint) are counted, not stored again.
 */
import type { Selectable } from 'kysely';
import { NotFoundError } from '../../../core/errors.ts';
import { newId } from '../../../core/ids.ts';
import { parseJsonColumn } from '../../../core/json.ts';
import { formatMinor } from '../../../ai/draft/money/index.ts';
import type { BankTransactionsTable } from '../../../data/tables/banking.ts';
import type { Engine } from '../../../workflow/engine.ts';
import type { Queryable } from '../../../workflow/store/runs.ts';
import { fingerprints } from './fingerprint.ts';
import { parseStatement, type ParseOptions } from './parse.ts';
import { normalizeAccount, type StatementFormat } from './types.ts';

export interface ImportInput extends ParseOptions {
  /** the statement file's text */
  content: string;
}

export interface ImportResult {
  statementId: string;
  format: StatementFormat;
  accounts: string[];
  /** lines read from the file */
  transactions: number;
  /** lines stored by this import */
  new: number;
  /** lines that an earlier import had already stored */
  existing: number;
  /** lines left out on purpose (pending CAMT entries) */
  skipped: number;
  firstDate: string | null;
  lastDate: string | null;
}

const insertChunk = 100;

/**
 * Imports a statement (CSV, OFX or CAMT.053 text). Importing the same lines again stores nothing
 * new; a bad file throws BANK_STATEMENT_INVALID naming the line and writes nothing.
 *
 * ### Examples
 * ```ts
 * await importStatement(app.engine, { content: fs.readFileSync('jan.ofx', 'utf8') });
 * await importStatement(app.engine, { content: csv, account: 'DE89370400440532013000', currency: 'EUR',
 *   mapping: { date: 'Buchungstag', amount: 'Betrag', description: 'Verwendungszweck', dateFormat: 'DD.MM.YYYY' } });
 * ```
 */
export async function importStatement(engine: Engine, input: ImportInput, options: { actor?: string } = {}): Promise<ImportResult> {
  const parsed = parseStatement(input.content, input);
  const prints = fingerprints(parsed.transactions);
  const dates = parsed.transactions.map((t) => t.date).sort();
  const firstDate = dates[0] ?? null;
  const lastDate = dates[dates.length - 1] ?? null;
  const now = engine.clock.now();
  const actor = options.actor ?? 'system';
  return engine.committer.unit(async (tx) => {
    const statementId = newId();
    await tx
      .insertInto('bank_statements')
      .values({ id: statementId, account: parsed.accounts.join(' '), format: parsed.format, file_name: input.fileName ?? null, first_date: firstDate, last_date: lastDate, transactions: parsed.transactions.length, new_transactions: 0, imported_by: actor, created_at: now })
      .execute();
    let inserted = 0;
    for (let start = 0; start < parsed.transactions.length; start += insertChunk) {
      const rows = parsed.transactions.slice(start, start + insertChunk).map((t, i) => ({
        id: newId(),
        account: t.account,
        fingerprint: prints[start + i] as string,
        statement_id: statementId,
        booked_on: t.date,
        amount_minor: Number(t.amountMinor),
        currency: t.currency,
        description: t.description,
        reference: t.reference,
        counterparty: t.counterparty,
        bank_id: t.bankId,
        status: 'unmatched',
        proposal: null,
        review_run_id: null,
        matched_at: null,
        matched_by: null,
        created_at: now,
      }));
      const stored = await tx
        .insertInto('bank_transactions')
        .values(rows)
        .onConflict((oc) => oc.columns(['account', 'fingerprint']).doNothing())
        .returning('id')
        .execute();
      inserted += stored.length;
    }
    await tx.updateTable('bank_statements').set({ new_transactions: inserted }).where('id', '=', statementId).execute();
    return {
      statementId,
      format: parsed.format,
      accounts: parsed.accounts,
      transactions: parsed.transactions.length,
      new: inserted,
      existing: parsed.transactions.length - inserted,
      skipped: parsed.skipped,
      firstDate,
      lastDate,
    };
  });
}

export interface BankTransactionView {
  id: string;
  account: string;
  date: string;
  /** signed: money in is positive */
  amount: string;
  currency: string;
  description: string | null;
  reference: string | null;
  counterparty: string | null;
  bankId: string | null;
  status: 'unmatched' | 'matched';
  matches: { invoice: string; amount: string; method: string; paymentId: string }[];
  /** the proposal waiting for a person, if any */
  review: { runId: string; proposal: unknown } | null;
  matchedBy: string | null;
}

export interface TransactionFilter {
  status?: 'unmatched' | 'matched' | 'all';
  account?: string;
  limit?: number;
}

/** Transactions, newest booking first. */
export async function listTransactions(db: Queryable, filter: TransactionFilter = {}): Promise<BankTransactionView[]> {
  let query = db.selectFrom('bank_transactions').selectAll().orderBy('booked_on', 'desc').orderBy('id', 'desc').limit(Math.min(filter.limit ?? 500, 5000));
  if (filter.status !== undefined && filter.status !== 'all') query = query.where('status', '=', filter.status);
  if (filter.account !== undefined) query = query.where('account', '=', normalizeAccount(filter.account));
  const rows = await query.execute();
  return toViews(db, rows);
}

export async function getTransaction(db: Queryable, id: string): Promise<BankTransactionView> {
  const row = await db.selectFrom('bank_transactions').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw new NotFoundError('BANK_TRANSACTION_NOT_FOUND', `There is no bank transaction ${id} (see \`opsloop bank transactions\`)`);
  const [view] = await toViews(db, [row]);
  return view as BankTransactionView;
}

type TransactionRow = Selectable<BankTransactionsTable>;

async function toViews(db: Queryable, rows: TransactionRow[]): Promise<BankTransactionView[]> {
  const matched = rows.filter((r) => r.status === 'matched').map((r) => r.id);
  const matches =
    matched.length === 0
      ? []
      : await db
          .selectFrom('bank_matches')
          .innerJoin('documents', 'documents.id', 'bank_matches.document_id')
          .select(['bank_matches.transaction_id', 'documents.number', 'bank_matches.amount_minor', 'bank_matches.currency', 'bank_matches.method', 'bank_matches.payment_id'])
          .where('bank_matches.transaction_id', 'in', matched)
          .orderBy('bank_matches.created_at')
          .execute();
  return rows.map((row) => ({
    id: row.id,
    account: row.account,
    date: row.booked_on,
    amount: formatMinor(row.amount_minor, row.currency),
    currency: row.currency,
    description: row.description,
    reference: row.reference,
    counterparty: row.counterparty,
    bankId: row.bank_id,
    status: row.status === 'matched' ? 'matched' : 'unmatched',
    matches: matches.filter((m) => m.transaction_id === row.id).map((m) => ({ invoice: m.number, amount: formatMinor(m.amount_minor, m.currency), method: m.method, paymentId: m.payment_id })),
    review: row.status === 'unmatched' && row.review_run_id !== null ? { runId: row.review_run_id, proposal: parseJsonColumn(row.proposal) } : null,
    matchedBy: row.matched_by,
  }));
}
