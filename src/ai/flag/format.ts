/** Wording shared by the checks' messages. Amounts are written "4,800.00 EUR", JPY "120,000 JPY". */
import { formatMinor } from '../draft/money/index.ts';
import type { ParsedDocument } from './input.ts';
import type { DocumentKind } from './types.ts';

/** A decimal amount with thousands separators and the currency code. */
export function money(minor: bigint, currency: string): string {
  const plain = formatMinor(minor, currency);
  const negative = plain.startsWith('-');
  const [whole = '', fraction] = (negative ? plain.slice(1) : plain).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`} ${currency}`;
}

/** The plain decimal for evidence ("4800.00"): the same form the input uses. */
export function decimal(minor: bigint, currency: string): string {
  return formatMinor(minor, currency);
}

const KIND_NOUNS: Record<DocumentKind, [singular: string, plural: string]> = {
  invoice: ['invoice', 'invoices'],
  bill: ['bill', 'bills'],
  quote: ['quote', 'quotes'],
  estimate: ['estimate', 'estimates'],
  purchase_order: ['purchase order', 'purchase orders'],
  credit_note: ['credit note', 'credit notes'],
  receipt: ['receipt', 'receipts'],
};

/** "invoice" / "invoices"; an incoming invoice is called a bill, which is what it is to the reader. */
export function kindNoun(doc: ParsedDocument, count = 1): string {
  const kind = doc.source.kind === 'invoice' && doc.direction === 'incoming' ? 'bill' : doc.source.kind;
  return KIND_NOUNS[kind][count === 1 ? 0 : 1];
}

/** "3 documents", "1 document". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** What to do before acting on the document: pay it (incoming) or send it (outgoing). */
export function beforeActing(doc: ParsedDocument): string {
  return doc.direction === 'incoming' ? 'before paying' : 'before sending';
}

/** Scores are reported with two decimals so results compare exactly across runs and machines. */
export function roundScore(score: number): number {
  return Math.round(Math.min(1, Math.max(0, score)) * 100) / 100;
}
