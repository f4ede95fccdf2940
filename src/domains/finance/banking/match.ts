/**
 * Matching money in to open invoices: a pure function from one incoming transaction and the open
 * invoices to at most one proposal, with a confidence and the reasons a person would give.
 *
 * The confidence adds up evidence, in points out of 100:
 *   reference  55  the invoice number is in the reference or text (spacing, case, dashes and
 *                  leading zeros tolerated); 45 for its digits without the prefix ("2026-0001")
 *   amount     35  the amount is exactly what the invoice (or the set of invoices) still owes;
 *              15  it is less (a partial payment); 0 it is more (the rest stays unallocated)
 *   name       10  × the similarity of the payer's name to the client's (5 when the bank gives none)
 *   only fit   35  without a reference: the one open invoice, or one set of a client's open
 *                  invoices, that fits the amount for a payer whose name matches; 15 when the
 *                  amount is the only fit but the name does not match, or several fit
 * Invoices dated after the payment are never proposed. So only a reference plus an amount that
 * settles exactly what is owed reaches 90; partial payments, amount-only and name-only matches
 * stay below it and go to a person.
 */
import { formatMinor } from '../../../ai/draft/money/index.ts';
import { normalizeCounterpartyName } from '../../../ai/flag/index.ts';

export interface OpenInvoice {
  documentId: string;
  number: string;
  clientName: string;
  currency: string;
  issueDate: string;
  outstandingMinor: bigint;
}

export interface IncomingTransaction {
  id: string;
  date: string;
  amountMinor: bigint;
  currency: string;
  description: string | null;
  reference: string | null;
  counterparty: string | null;
}

export interface Allocation {
  invoice: string;
  documentId: string;
  amountMinor: bigint;
}

export const MatchKind = { exact: 'exact', partial: 'partial', several: 'several', overpaid: 'overpaid' } as const;
export type MatchKind = (typeof MatchKind)[keyof typeof MatchKind];

export interface Proposal {
  kind: MatchKind;
  /** 0..1 */
  confidence: number;
  reasons: string[];
  allocations: Allocation[];
  /** money of the transaction no invoice takes (an over-payment) */
  unallocatedMinor: bigint;
}

const points = { reference: 55, digitsOnly: 45, exact: 35, partial: 15, name: 10, unknownName: 5, onlyFit: 35, weakFit: 15 } as const;
/** A payer whose name is at least this similar to the client's counts as that client. */
export const nameMatchAt = 0.8;
/** Subsets of a client's open invoices are searched among its oldest this many. */
const maxSubsetInvoices = 12;

/** The best proposal for one incoming transaction, or null when nothing fits well enough to ask. */
export function proposeMatch(transaction: IncomingTransaction, invoices: readonly OpenInvoice[]): Proposal | null {
  if (transaction.amountMinor <= 0n) return null;
  const eligible = invoices
    .filter((i) => i.currency === transaction.currency && i.outstandingMinor > 0n && i.issueDate <= transaction.date)
    .sort((a, b) => a.issueDate.localeCompare(b.issueDate) || a.number.localeCompare(b.number));
  if (eligible.length === 0) return null;
  const text = [transaction.reference, transaction.description, transaction.counterparty].filter((t) => t !== null).join(' ');
  const referenced = eligible.map((invoice) => ({ invoice, strength: referenceStrength(text, invoice.number) })).filter((r) => r.strength > 0);
  if (referenced.length > 0) return byReference(transaction, referenced);
  return byAmount(transaction, eligible);
}

function byReference(transaction: IncomingTransaction, referenced: { invoice: OpenInvoice; strength: number }[]): Proposal {
  const { currency, amountMinor } = transaction;
  const money = (minor: bigint): string => `${formatMinor(minor, currency)} ${currency}`;
  const invoices = referenced.map((r) => r.invoice);
  const numbers = invoices.map((i) => i.number).join(', ');
  const reasons: string[] = [];
  let score = Math.min(...referenced.map((r) => r.strength));
  reasons.push(score === points.reference ? `the reference names ${numbers}` : `the reference has the number of ${numbers} without its prefix`);
  const owed = sum(invoices.map((i) => i.outstandingMinor));
  let allocations: Allocation[];
  let kind: MatchKind;
  let unallocated = 0n;
  const subset = amountMinor < owed && invoices.length > 1 ? exactSubsets(invoices, amountMinor, 1)[0] : undefined;
  if (amountMinor === owed || subset !== undefined) {
    const paid = subset ?? invoices;
    allocations = paid.map(full);
    kind = paid.length > 1 ? MatchKind.several : MatchKind.exact;
    score += points.exact;
    reasons.push(`the amount ${money(amountMinor)} is exactly what ${paid.map((i) => i.number).join(' + ')} still ${paid.length > 1 ? 'owe' : 'owes'}`);
  } else if (amountMinor < owed) {
    allocations = allocateOldestFirst(invoices, amountMinor);
    kind = MatchKind.partial;
    score += points.partial;
    reasons.push(`the amount ${money(amountMinor)} is less than the ${money(owed)} still owed: a partial payment`);
  } else {
    allocations = invoices.map(full);
    kind = MatchKind.overpaid;
    unallocated = amountMinor - owed;
    reasons.push(`the amount ${money(amountMinor)} is more than the ${money(owed)} still owed; ${money(unallocated)} would stay unallocated`);
  }
  const paidInvoices = invoices.filter((i) => allocations.some((a) => a.documentId === i.documentId));
  score += nameEvidence(transaction.counterparty, paidInvoices, reasons);
  reasons.push(datesReason(transaction.date, paidInvoices));
  return { kind, confidence: toConfidence(score), reasons, allocations, unallocatedMinor: unallocated };
}

function byAmount(transaction: IncomingTransaction, eligible: OpenInvoice[]): Proposal | null {
  const { currency, amountMinor } = transaction;
  const money = (minor: bigint): string => `${formatMinor(minor, currency)} ${currency}`;
  const similarity = new Map<string, number | null>();
  const simOf = (client: string): number | null => {
    if (!similarity.has(client)) similarity.set(client, nameSimilarity(transaction.counterparty, client));
    return similarity.get(client) ?? null;
  };
  const options: { invoices: OpenInvoice[]; strong: boolean }[] = [];
  for (const invoice of eligible) {
    if (invoice.outstandingMinor === amountMinor) options.push({ invoices: [invoice], strong: (simOf(invoice.clientName) ?? 0) >= nameMatchAt });
  }
  const byClient = new Map<string, OpenInvoice[]>();
  for (const invoice of eligible) {
    if ((simOf(invoice.clientName) ?? 0) < nameMatchAt) continue;
    byClient.set(invoice.clientName, [...(byClient.get(invoice.clientName) ?? []), invoice]);
  }
  for (const own of byClient.values()) {
    for (const set of exactSubsets(own.slice(0, maxSubsetInvoices), amountMinor, 2)) if (set.length > 1) options.push({ invoices: set, strong: true });
  }
  const strong = options.filter((o) => o.strong);
  const reasons = ['no invoice number in the reference or text'];
  if (strong.length > 0) {
    const best = strong[0] as { invoices: OpenInvoice[] };
    const numbers = best.invoices.map((i) => i.number).join(' + ');
    let score = points.exact + (strong.length === 1 ? points.onlyFit : points.weakFit);
    reasons.push(`the amount ${money(amountMinor)} is exactly what ${numbers} still ${best.invoices.length > 1 ? 'owe' : 'owes'}`);
    score += nameEvidence(transaction.counterparty, best.invoices, reasons);
    reasons.push(strong.length === 1 ? `no other open invoice, or set of this client's invoices, fits this amount` : `${strong.length - 1} other invoice(s) or set(s) of this client fit the amount as well; the oldest is proposed`);
    reasons.push(datesReason(transaction.date, best.invoices));
    return { kind: best.invoices.length > 1 ? MatchKind.several : MatchKind.exact, confidence: toConfidence(score), reasons, allocations: best.invoices.map(full), unallocatedMinor: 0n };
  }
  if (options.length === 1) {
    const only = (options[0] as { invoices: OpenInvoice[] }).invoices;
    let score = points.exact + points.weakFit;
    reasons.push(`the amount ${money(amountMinor)} is exactly what ${only.map((i) => i.number).join(' + ')} still owes, and no other open invoice has this amount`);
    score += nameEvidence(transaction.counterparty, only, reasons);
    reasons.push(datesReason(transaction.date, only));
    return { kind: MatchKind.exact, confidence: toConfidence(score), reasons, allocations: only.map(full), unallocatedMinor: 0n };
  }
  if (options.length > 1) return null;
  // Less than any fit: a partial payment, when the payer is a client with one open invoice.
  const clients = [...byClient.entries()];
  if (clients.length === 1) {
    const [, own] = clients[0] as [string, OpenInvoice[]];
    const invoice = own[0] as OpenInvoice;
    if (own.length === 1 && amountMinor < invoice.outstandingMinor) {
      let score = points.partial + points.onlyFit;
      reasons.push(`the amount ${money(amountMinor)} is less than the ${money(invoice.outstandingMinor)} ${invoice.number} still owes: a partial payment`);
      score += nameEvidence(transaction.counterparty, [invoice], reasons);
      reasons.push(`${invoice.number} is the payer's only open invoice`);
      reasons.push(datesReason(transaction.date, [invoice]));
      return { kind: MatchKind.partial, confidence: toConfidence(score), reasons, allocations: [{ invoice: invoice.number, documentId: invoice.documentId, amountMinor }], unallocatedMinor: 0n };
    }
  }
  return null;
}

function nameEvidence(counterparty: string | null, invoices: OpenInvoice[], reasons: string[]): number {
  if (counterparty === null || normalizeCounterpartyName(counterparty) === '') {
    reasons.push('the bank gives no payer name');
    return points.unknownName;
  }
  const clients = [...new Set(invoices.map((i) => i.clientName))];
  const scored = clients.map((client) => ({ client, similarity: nameSimilarity(counterparty, client) ?? 0 })).sort((a, b) => b.similarity - a.similarity);
  const best = scored[0] as { client: string; similarity: number };
  reasons.push(
    best.similarity >= nameMatchAt
      ? `the payer "${counterparty}" matches the client "${best.client}" (similarity ${best.similarity.toFixed(2)})`
      : `the payer "${counterparty}" does not look like the client "${best.client}" (similarity ${best.similarity.toFixed(2)})`,
  );
  return Math.round(best.similarity * points.name);
}

function datesReason(date: string, invoices: OpenInvoice[]): string {
  const latest = invoices.map((i) => i.issueDate).sort().at(-1) ?? date;
  return `paid on ${date}, on or after the invoice date${invoices.length > 1 ? 's' : ''} (latest ${latest})`;
}

function toConfidence(score: number): number {
  return Math.max(0, Math.min(100, score)) / 100;
}

function full(invoice: OpenInvoice): Allocation {
  return { invoice: invoice.number, documentId: invoice.documentId, amountMinor: invoice.outstandingMinor };
}

function sum(values: bigint[]): bigint {
  return values.reduce((a, b) => a + b, 0n);
}

/** Pays the oldest first; the last one paid may be paid in part. */
function allocateOldestFirst(invoices: OpenInvoice[], amountMinor: bigint): Allocation[] {
  const allocations: Allocation[] = [];
  let left = amountMinor;
  for (const invoice of invoices) {
    if (left <= 0n) break;
    const take = left < invoice.outstandingMinor ? left : invoice.outstandingMinor;
    allocations.push({ invoice: invoice.number, documentId: invoice.documentId, amountMinor: take });
    left -= take;
  }
  return allocations;
}

/** Sets of invoices (in the given order, oldest first) whose outstanding amounts add up to `target`; at most `limit`. */
export function exactSubsets(invoices: readonly OpenInvoice[], target: bigint, limit: number): OpenInvoice[][] {
  const found: OpenInvoice[][] = [];
  const chosen: OpenInvoice[] = [];
  const walk = (start: number, left: bigint): void => {
    if (found.length >= limit) return;
    if (left === 0n && chosen.length > 0) {
      found.push([...chosen]);
      return;
    }
    for (let i = start; i < invoices.length; i += 1) {
      const invoice = invoices[i] as OpenInvoice;
      if (invoice.outstandingMinor > left) continue;
      chosen.push(invoice);
      walk(i + 1, left - invoice.outstandingMinor);
      chosen.pop();
      if (found.length >= limit) return;
    }
  };
  walk(0, target);
  return found;
}

const separators = '[\\s\\-_./#:]*';

/**
 * How strongly `text` names the invoice `number`: 55 for the number itself (any case, spacing or
 * dashes between its parts, leading zeros optional: "inv 2026 1" names INV-2026-0001), 45 for its
 * digits with their zeros but without the prefix ("2026-0001", "20260001"), 0 for neither.
 */
export function referenceStrength(text: string, number: string): number {
  if (text === '') return 0;
  const parts = number.match(/\p{L}+|\p{N}+/gu) ?? [];
  if (parts.length === 0) return 0;
  const loose = parts.map((p) => (/^\p{N}+$/u.test(p) ? `0*${p.replace(/^0+(?=\d)/, '')}` : escape(p))).join(separators);
  if (new RegExp(`(?<![\\p{L}\\p{N}])${loose}(?![\\p{L}\\p{N}])`, 'iu').test(text)) return points.reference;
  const digits = parts.filter((p) => /^\p{N}+$/u.test(p));
  if (digits.length === parts.length || digits.join('').length < 5) return 0;
  const strict = digits.map(escape).join(separators);
  // Not right after another prefix: "QUO-2026-0001" names a quote, not INV-2026-0001.
  return new RegExp(`(?<![\\p{L}\\p{N}][\\-_/.#:]?)${strict}(?![\\p{L}\\p{N}])`, 'u').test(text) ? points.digitsOnly : 0;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * How alike a payer's name and a client's name are, 0..1, after case, punctuation and legal
 * forms (Ltd, GmbH, Inc…) are set aside: the same words in any order count as 1; one name's words
 * all within the other's 0.85; otherwise the overlap of letter pairs (which forgives typos and
 * names a bank cut short). Null when there is no payer name.
 */
export function nameSimilarity(payer: string | null, client: string): number | null {
  if (payer === null) return null;
  const a = normalizeCounterpartyName(payer);
  const b = normalizeCounterpartyName(client);
  if (a === '' || b === '') return a === '' ? null : 0;
  if (a === b) return 1;
  const wordsA = new Set(a.split(' '));
  const wordsB = new Set(b.split(' '));
  if (wordsA.size === wordsB.size && [...wordsA].every((w) => wordsB.has(w))) return 1;
  const [small, large] = wordsA.size <= wordsB.size ? [wordsA, wordsB] : [wordsB, wordsA];
  const contained = [...small].every((w) => large.has(w)) ? 0.85 : 0;
  return Math.max(contained, dice(a.replace(/ /g, ''), b.replace(/ /g, '')));
}

function dice(a: string, b: string): number {
  if (a.length < 2 || b.length < 2) return a === b ? 1 : 0;
  const pairs = new Map<string, number>();
  for (let i = 0; i < a.length - 1; i += 1) {
    const pair = a.slice(i, i + 2);
    pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
  }
  let shared = 0;
  for (let i = 0; i < b.length - 1; i += 1) {
    const pair = b.slice(i, i + 2);
    const count = pairs.get(pair) ?? 0;
    if (count > 0) {
      pairs.set(pair, count - 1);
      shared += 1;
    }
  }
  return (2 * shared) / (a.length - 1 + b.length - 1);
}
