/**
 * Accounts receivable: what clients owe on a date, aged by days past due, and days sales
 * outstanding (DSO), one currency at a time — amounts in different currencies are never added.
 *
 * An invoice counts once it is issued (sent, partially paid, overdue or paid; not a draft, one
 * awaiting approval, or void) and its issue date is on or before the date. What it still owed on
 * that date is its total less the payments dated on or before it, so a report for a past date
 * is right even for invoices paid since. A credit note applied to an invoice is one of those
 * payments (method `credit_note`, dated on the credit note's issue date), so credit reduces what
 * is owed like money does. Days past due count from the due date (the issue date when there is
 * none): `current` is not yet due, then 1-30, 31-60, 61-90 and 90+ days late.
 *
 * DSO uses the period-end method:
 *   DSO = receivables at the end of the period / net credit sales in the period × days in the period
 * where net credit sales are the totals of the invoices issued in the period (every invoice is a
 * sale on credit) less the credit notes issued in it, and the period counts both its first and
 * last day. No sales: no DSO (null).
 */
import { ValidationError } from '../../core/errors.ts';
import { formatMinor } from '../../ai/draft/money/index.ts';
import type { Queryable } from '../../workflow/store/runs.ts';

export const ageingBuckets = ['current', '1-30', '31-60', '61-90', '90+'] as const;
export type AgeingBucket = (typeof ageingBuckets)[number];

/** An issued invoice and its payments, in minor units of its currency. */
export interface ReceivableInvoice {
  currency: string;
  issueDate: string;
  dueDate: string | null;
  totalMinor: bigint;
  payments: { paidOn: string; amountMinor: bigint }[];
}

export interface CurrencyAgeing {
  currency: string;
  outstandingMinor: bigint;
  openInvoices: number;
  buckets: Record<AgeingBucket, { amountMinor: bigint; invoices: number }>;
}

const dayMs = 86_400_000;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;

function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / dayMs);
}

/** Pure: the bucket for a number of days past due (0 or less: not yet due). */
export function bucketOf(daysPastDue: number): AgeingBucket {
  if (daysPastDue <= 0) return 'current';
  if (daysPastDue <= 30) return '1-30';
  if (daysPastDue <= 60) return '31-60';
  if (daysPastDue <= 90) return '61-90';
  return '90+';
}

/** Pure: what was owed on `asOf`, per currency, aged by days past due. */
export function ageReceivables(invoices: readonly ReceivableInvoice[], asOf: string): CurrencyAgeing[] {
  const byCurrency = new Map<string, CurrencyAgeing>();
  const today = dayNumber(asOf);
  for (const invoice of invoices) {
    if (invoice.issueDate > asOf) continue;
    const paid = invoice.payments.filter((p) => p.paidOn <= asOf).reduce((sum, p) => sum + p.amountMinor, 0n);
    const owed = invoice.totalMinor - paid;
    if (owed <= 0n) continue;
    let entry = byCurrency.get(invoice.currency);
    if (entry === undefined) {
      const buckets = Object.fromEntries(ageingBuckets.map((b) => [b, { amountMinor: 0n, invoices: 0 }])) as CurrencyAgeing['buckets'];
      entry = { currency: invoice.currency, outstandingMinor: 0n, openInvoices: 0, buckets };
      byCurrency.set(invoice.currency, entry);
    }
    const bucket = entry.buckets[bucketOf(today - dayNumber(invoice.dueDate ?? invoice.issueDate))];
    bucket.amountMinor += owed;
    bucket.invoices += 1;
    entry.outstandingMinor += owed;
    entry.openInvoices += 1;
  }
  return [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

/** An issued credit note (not void), in minor units of its currency. */
export interface IssuedCredit {
  currency: string;
  issueDate: string;
  totalMinor: bigint;
}

/** Pure: invoice totals issued from `from` to `to` (both included) less the credit notes issued then, per currency. */
export function creditSales(invoices: readonly ReceivableInvoice[], from: string, to: string, credits: readonly IssuedCredit[] = []): Map<string, bigint> {
  const sales = new Map<string, bigint>();
  const add = (document: { currency: string; issueDate: string }, minor: bigint): void => {
    if (document.issueDate < from || document.issueDate > to) return;
    sales.set(document.currency, (sales.get(document.currency) ?? 0n) + minor);
  };
  for (const invoice of invoices) add(invoice, invoice.totalMinor);
  for (const credit of credits) add(credit, -credit.totalMinor);
  return sales;
}

/** Pure: receivables / credit sales × days, to one decimal; null without sales. */
export function daysSalesOutstanding(receivablesMinor: bigint, creditSalesMinor: bigint, days: number): number | null {
  if (creditSalesMinor <= 0n) return null;
  return Math.round((Number(receivablesMinor) / Number(creditSalesMinor)) * days * 10) / 10;
}

export interface CurrencyReceivables {
  currency: string;
  /** decimal strings with the currency's digits, e.g. "1250.00" */
  outstanding: string;
  openInvoices: number;
  buckets: { bucket: AgeingBucket; amount: string; invoices: number }[];
  creditSales: string;
  dso: number | null;
}

export interface ReceivablesReport {
  asOf: string;
  period: { from: string; to: string; days: number };
  byCurrency: CurrencyReceivables[];
}

/** The issued invoices up to `asOf`, with their payments up to `asOf`. */
export async function loadReceivableInvoices(db: Queryable, asOf: string): Promise<ReceivableInvoice[]> {
  const rows = await db
    .selectFrom('documents')
    .select(['id', 'currency', 'issue_date', 'due_date', 'total_minor'])
    .where('kind', '=', 'invoice')
    .where('status', 'not in', ['draft', 'awaiting_approval', 'void'])
    .where('issue_date', '<=', asOf)
    .execute();
  if (rows.length === 0) return [];
  const payments = await db
    .selectFrom('payments')
    .innerJoin('documents', 'documents.id', 'payments.document_id')
    .select(['payments.document_id', 'payments.amount_minor', 'payments.paid_on'])
    .where('documents.kind', '=', 'invoice')
    .where('payments.paid_on', '<=', asOf)
    .execute();
  const byDocument = new Map<string, { paidOn: string; amountMinor: bigint }[]>();
  for (const p of payments) {
    const list = byDocument.get(p.document_id) ?? [];
    list.push({ paidOn: p.paid_on, amountMinor: BigInt(p.amount_minor) });
    byDocument.set(p.document_id, list);
  }
  return rows.map((r) => ({ currency: r.currency, issueDate: r.issue_date, dueDate: r.due_date, totalMinor: BigInt(r.total_minor), payments: byDocument.get(r.id) ?? [] }));
}

/** The credit notes issued (sent, not void) up to `asOf`. */
export async function loadIssuedCredits(db: Queryable, asOf: string): Promise<IssuedCredit[]> {
  const rows = await db
    .selectFrom('documents')
    .select(['currency', 'issue_date', 'total_minor'])
    .where('kind', '=', 'credit_note')
    .where('status', 'not in', ['draft', 'awaiting_approval', 'void'])
    .where('issue_date', '<=', asOf)
    .execute();
  return rows.map((r) => ({ currency: r.currency, issueDate: r.issue_date, totalMinor: BigInt(r.total_minor) }));
}

/**
 * Receivables on `asOf` (the period's last day) aged by days past due, and DSO over `from`…`asOf`.
 *
 * @example
 * const report = await receivablesReport(db, { from: '2026-01-01', asOf: '2026-01-31' });
 * // report.byCurrency[0] → { currency: 'USD', outstanding: '1200.00', buckets: [...], dso: 24.8, … }
 */
export async function receivablesReport(db: Queryable, period: { from: string; asOf: string }): Promise<ReceivablesReport> {
  for (const [name, value] of Object.entries(period)) {
    const t = Date.parse(`${value}T00:00:00Z`);
    if (!isoDate.test(value) || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== value) {
      throw new ValidationError('REPORT_PERIOD_INVALID', `${name} must be a date written YYYY-MM-DD, not "${value}"`, { details: { path: name } });
    }
  }
  if (period.from > period.asOf) throw new ValidationError('REPORT_PERIOD_INVALID', `The period starts (${period.from}) after it ends (${period.asOf})`, { details: { path: 'from' } });
  const [invoices, credits] = await Promise.all([loadReceivableInvoices(db, period.asOf), loadIssuedCredits(db, period.asOf)]);
  const days = dayNumber(period.asOf) - dayNumber(period.from) + 1;
  const sales = creditSales(invoices, period.from, period.asOf, credits);
  const aged = new Map(ageReceivables(invoices, period.asOf).map((a) => [a.currency, a]));
  const currencies = [...new Set([...aged.keys(), ...sales.keys()])].sort();
  const byCurrency = currencies.map((currency): CurrencyReceivables => {
    const a = aged.get(currency);
    const owed = a?.outstandingMinor ?? 0n;
    const sold = sales.get(currency) ?? 0n;
    return {
      currency,
      outstanding: formatMinor(owed, currency),
      openInvoices: a?.openInvoices ?? 0,
      buckets: ageingBuckets.map((bucket) => ({ bucket, amount: formatMinor(a?.buckets[bucket].amountMinor ?? 0n, currency), invoices: a?.buckets[bucket].invoices ?? 0 })),
      creditSales: formatMinor(sold, currency),
      dso: daysSalesOutstanding(owed, sold, days),
    };
  });
  return { asOf: period.asOf, period: { from: period.from, to: period.asOf, days }, byCurrency };
}
