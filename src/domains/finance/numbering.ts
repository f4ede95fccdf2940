/**
 * Document numbers: a pattern per kind (`INV-{YYYY}-{0000}`), a counter per kind and period in
 * the database, advanced in the same transaction that creates the document — so numbers are
 * unique under concurrent processes (the counter row is locked) and have no gaps (a rolled-back
 * document rolls back its number too).
 */
import { ValidationError } from '../../core/errors.ts';
import type { Queryable } from '../../workflow/store/runs.ts';
import type { DocumentKind } from './status.ts';

export const defaultPatterns: Record<DocumentKind, string> = {
  invoice: 'INV-{YYYY}-{0000}',
  quote: 'QUO-{YYYY}-{0000}',
  estimate: 'EST-{YYYY}-{0000}',
  purchase_order: 'PO-{YYYY}-{0000}',
  credit_note: 'CN-{YYYY}-{0000}',
  receipt: 'REC-{YYYY}-{0000}',
};

const token = /\{(YYYY|YY|MM|0+)\}/g;

/** Checks a pattern: it must contain exactly one counter placeholder ({0000}: zero-padded to 4). */
export function validatePattern(pattern: string): void {
  const counters = pattern.match(/\{0+\}/g) ?? [];
  if (counters.length !== 1) throw new ValidationError('NUMBER_PATTERN_INVALID', `Number pattern "${pattern}" needs exactly one counter such as {0000}`);
}

/** The counter's period: numbering restarts each year when the pattern shows the year, each month with {MM}. */
export function periodOf(pattern: string, issueDate: string): string {
  if (pattern.includes('{MM}')) return issueDate.slice(0, 7);
  if (pattern.includes('{YYYY}') || pattern.includes('{YY}')) return issueDate.slice(0, 4);
  return 'all';
}

/** Pure: the number for the `seq`-th document of its period. */
export function formatNumber(pattern: string, issueDate: string, seq: number): string {
  return pattern.replace(token, (_, t: string) => {
    if (t === 'YYYY') return issueDate.slice(0, 4);
    if (t === 'YY') return issueDate.slice(2, 4);
    if (t === 'MM') return issueDate.slice(5, 7);
    return String(seq).padStart(t.length, '0');
  });
}

/** Takes the next number for `kind`, inside the caller's transaction. */
export async function takeNumber(tx: Queryable, kind: DocumentKind, pattern: string, issueDate: string): Promise<string> {
  validatePattern(pattern);
  const period = periodOf(pattern, issueDate);
  await tx.insertInto('document_counters').values({ kind, period, last: 0 }).onConflict((oc) => oc.columns(['kind', 'period']).doNothing()).execute();
  const row = await tx
    .updateTable('document_counters')
    .set((eb) => ({ last: eb('last', '+', 1) }))
    .where('kind', '=', kind)
    .where('period', '=', period)
    .returning('last')
    .executeTakeFirstOrThrow();
  return formatNumber(pattern, issueDate, Number(row.last));
}
