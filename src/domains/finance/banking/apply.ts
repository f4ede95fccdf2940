/**
 * Applying a match: the transaction is claimed (unmatched → matched) and each allocation becomes
 * a payment through recordPayment — audited, emitting `payment.received` — all in the caller's
 * transaction. The claim comes first and is conditional (`… where status = 'unmatched'`), so two
 * processes applying the same transaction cannot both succeed: on PostgreSQL the second waits
 * for the first's row lock, then finds the row matched and stops.
 */
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../../../core/errors.ts';
import { newId } from '../../../core/ids.ts';
import { toJsonColumn } from '../../../core/json.ts';
import { Dialect } from '../../../data/dialect.ts';
import { appendAudit } from '../../../governance/index.ts';
import { formatMinor, parseDecimalToMinor } from '../../../ai/draft/money/index.ts';
import type { EngineHooks } from '../../../workflow/index.ts';
import type { Queryable } from '../../../workflow/store/runs.ts';
import { recordPayment } from '../payments.ts';

export const allocationsSchema = z
  .array(
    z
      .object({
        invoice: z.string().min(1).max(100),
        amount: z.string().regex(/^\d+(\.\d+)?$/, 'must be a positive decimal amount such as "250.00"'),
      })
      .strict(),
  )
  .min(1, 'needs at least one invoice')
  .max(100);
export type AllocationInput = z.infer<typeof allocationsSchema>[number];

export const MatchMethod = { auto: 'auto', review: 'review', manual: 'manual' } as const;
export type MatchMethod = (typeof MatchMethod)[keyof typeof MatchMethod];

export interface ApplyOptions {
  method: MatchMethod;
  actor: string;
  now: number;
  confidence?: number;
  reasons?: string[];
}

export interface AppliedMatch {
  transactionId: string;
  date: string;
  amount: string;
  currency: string;
  method: MatchMethod;
  confidence: number | null;
  allocations: { invoice: string; amount: string; paymentId: string; status: string; due: string }[];
}

export interface ApplyDeps {
  dialect: Dialect;
  hooks: EngineHooks;
}

/** Applies allocations of a money-in transaction to invoices, in `tx`. Throws (and writes nothing) on any problem. */
export async function applyMatch(tx: Queryable, deps: ApplyDeps, transactionId: string, rawAllocations: AllocationInput[], options: ApplyOptions): Promise<AppliedMatch> {
  const parsed = allocationsSchema.safeParse(rawAllocations);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = ['allocations', ...(issue?.path ?? [])].join('.');
    throw new ValidationError('BANK_MATCH_INVALID', `${path}: ${issue?.message ?? 'invalid'}`, { details: { path } });
  }
  const allocations = parsed.data;
  const claimed = await tx
    .updateTable('bank_transactions')
    .set({ status: 'matched', matched_at: options.now, matched_by: options.actor })
    .where('id', '=', transactionId)
    .where('status', '=', 'unmatched')
    .executeTakeFirst();
  const row = await tx.selectFrom('bank_transactions').selectAll().where('id', '=', transactionId).executeTakeFirst();
  if (row === undefined) throw new NotFoundError('BANK_TRANSACTION_NOT_FOUND', `There is no bank transaction ${transactionId}`);
  if (Number(claimed.numUpdatedRows) !== 1) {
    throw new ConflictError('BANK_TRANSACTION_MATCHED', `Bank transaction ${transactionId} (${row.booked_on}, ${formatMinor(row.amount_minor, row.currency)} ${row.currency}) is already matched`, { details: { transactionId } });
  }
  const currency = row.currency;
  if (row.amount_minor <= 0) throw new ValidationError('BANK_MATCH_INVALID', `Bank transaction ${transactionId} is money out (${formatMinor(row.amount_minor, currency)} ${currency}); only money in pays invoices`);
  const wanted = allocations.map((a, i) => {
    let minor: bigint;
    try {
      minor = parseDecimalToMinor(a.amount, currency);
    } catch (error) {
      throw new ValidationError('BANK_MATCH_INVALID', `allocations.${i}.amount: "${a.amount}" does not fit ${currency}`, { details: { path: `allocations.${i}.amount` }, cause: error });
    }
    if (minor <= 0n) throw new ValidationError('BANK_MATCH_INVALID', `allocations.${i}.amount: must be more than zero`, { details: { path: `allocations.${i}.amount` } });
    return { ...a, minor };
  });
  const total = wanted.reduce((s, a) => s + a.minor, 0n);
  if (total > BigInt(row.amount_minor)) {
    throw new ValidationError('BANK_MATCH_INVALID', `The allocations add up to ${formatMinor(total, currency)} ${currency}, more than the ${formatMinor(row.amount_minor, currency)} ${currency} received`, { details: { path: 'allocations' } });
  }
  const invoices = await lockInvoices(tx, deps.dialect, wanted.map((a) => a.invoice));
  const seen = new Set<string>();
  const applied: AppliedMatch['allocations'] = [];
  for (const [i, allocation] of wanted.entries()) {
    const invoice = invoices.find((d) => d.id === allocation.invoice || d.number === allocation.invoice);
    if (invoice === undefined) throw new NotFoundError('DOCUMENT_NOT_FOUND', `allocations.${i}.invoice: there is no invoice ${allocation.invoice}`, { details: { path: `allocations.${i}.invoice` } });
    if (seen.has(invoice.id)) throw new ValidationError('BANK_MATCH_INVALID', `allocations.${i}.invoice: ${invoice.number} is named twice`, { details: { path: `allocations.${i}.invoice` } });
    seen.add(invoice.id);
    if (invoice.currency !== currency) throw new ValidationError('BANK_MATCH_INVALID', `allocations.${i}.invoice: ${invoice.number} is in ${invoice.currency}, the payment in ${currency}`, { details: { path: `allocations.${i}.invoice` } });
    const reference = (row.reference ?? row.bank_id ?? row.description ?? '').slice(0, 200);
    const result = await recordPayment(
      tx,
      deps,
      invoice.id,
      { amount: formatMinor(allocation.minor, currency), paidOn: row.booked_on, method: 'bank_transfer', ...(reference === '' ? {} : { reference }) },
      options.actor,
      options.now,
    );
    await tx
      .insertInto('bank_matches')
      .values({
        id: newId(),
        transaction_id: row.id,
        document_id: invoice.id,
        payment_id: result.payment.id,
        amount_minor: Number(allocation.minor),
        currency,
        method: options.method,
        details: toJsonColumn({ confidence: options.confidence ?? null, reasons: options.reasons ?? [] }),
        created_by: options.actor,
        created_at: options.now,
      })
      .execute();
    const due = parseDecimalToMinor(result.document.total, currency) - parseDecimalToMinor(result.document.paid, currency);
    applied.push({ invoice: invoice.number, amount: result.payment.amount, paymentId: result.payment.id, status: result.document.status, due: formatMinor(due, currency) });
  }
  await tx.updateTable('bank_transactions').set({ proposal: null }).where('id', '=', row.id).execute();
  const amount = formatMinor(row.amount_minor, currency);
  await appendAudit(
    tx,
    deps.dialect,
    [{ actor: options.actor, action: 'bank.matched', subjectType: 'bank_transaction', subjectId: row.id, data: { method: options.method, confidence: options.confidence ?? null, reasons: options.reasons ?? [], amount, currency, allocations: applied.map((a) => ({ invoice: a.invoice, amount: a.amount })) } }],
    options.now,
  );
  return { transactionId: row.id, date: row.booked_on, amount, currency, method: options.method, confidence: options.confidence ?? null, allocations: applied };
}

/** The invoices named, locked on PostgreSQL (in id order, so two matches never deadlock). */
async function lockInvoices(tx: Queryable, dialect: Dialect, names: string[]): Promise<{ id: string; number: string; currency: string }[]> {
  let query = tx
    .selectFrom('documents')
    .select(['id', 'number', 'currency'])
    .where('kind', '=', 'invoice')
    .where((eb) => eb.or([eb('id', 'in', names), eb('number', 'in', names)]))
    .orderBy('id');
  if (dialect === Dialect.postgres) query = query.forUpdate();
  return query.execute();
}
