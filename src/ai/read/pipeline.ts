/**
 * The per-document steps shared by training and reading: build candidates for each ranked
 * field from a layout, given the lexicons and (optionally) vendor knowledge.
 */
import { amountOccurrences, totalCandidates, type AmountOccurrence } from './amounts.ts';
import { dateOccurrences, documentDateOrder, issueDateCandidates, type DateOccurrence } from './dates.ts';
import { addressCandidates, buildHeader, companyCandidates, type Header, type HeaderLexicons, type KnownValue } from './header.ts';
import type { VendorKnowledge, VendorMatch } from './knowledge.ts';
import type { Layout } from './layout.ts';
import type { Candidate } from './ranker.ts';

export const RANKED_FIELDS = ['vendor', 'address', 'issueDate', 'total'] as const;
export type RankedField = (typeof RANKED_FIELDS)[number];

export interface DocumentState {
  layout: Layout;
  header: Header;
  matches: VendorMatch[];
  dateOrder: 'dmy' | 'mdy';
  amounts: AmountOccurrence[];
  dates: DateOccurrence[];
}

export function prepareDocument(
  layout: Layout,
  lexicons: HeaderLexicons,
  knowledge: readonly VendorKnowledge[],
  dateOrder?: 'dmy' | 'mdy',
): DocumentState {
  const order = documentDateOrder(layout, dateOrder ?? 'dmy');
  return {
    layout,
    header: buildHeader(layout, lexicons),
    matches: knowledge.flatMap((k) => k.match(layout)).sort((a, b) => b.score - a.score),
    dateOrder: order,
    amounts: amountOccurrences(layout),
    dates: dateOccurrences(layout, order),
  };
}

/** Remembered values of the best-matching vendors, with the share of matching documents behind each. */
function known(matches: readonly VendorMatch[], key: 'vendor' | 'address'): KnownValue[] {
  const best = matches[0]?.score ?? 0;
  const pool = matches.filter((m) => m.score >= best * 0.75);
  const byValue = new Map<string, KnownValue>();
  let total = 0;
  for (const match of pool) {
    const value = match[key];
    if (value === undefined) continue;
    const weight = match.count * match.score;
    total += weight;
    const entry = byValue.get(value) ?? { value, vendorMatch: 0, support: 0, count: 0 };
    entry.vendorMatch = Math.max(entry.vendorMatch, match.score);
    entry.support += weight;
    entry.count += match.count;
    byValue.set(value, entry);
  }
  return [...byValue.values()]
    .map((entry) => ({ ...entry, support: total === 0 ? 0 : entry.support / total }))
    .sort((a, b) => b.support - a.support)
    .slice(0, 3);
}

/** A habit (style, shape) of the best-matching vendors: the share of their documents with each variant. */
function habit(matches: readonly VendorMatch[], key: 'totalStyle' | 'dateShape'): Map<string, number> {
  const best = matches[0]?.score ?? 0;
  const shares = new Map<string, number>();
  if (best < 0.3) return shares;
  let total = 0;
  for (const match of matches) {
    const value = match[key];
    if (match.score < best * 0.75 || value === undefined) continue;
    const weight = match.count * match.score;
    shares.set(value, (shares.get(value) ?? 0) + weight);
    total += weight;
  }
  for (const [value, weight] of shares) shares.set(value, weight / total);
  return shares;
}

export function vendorCandidates(state: DocumentState): Candidate[] {
  return companyCandidates(state.layout, state.header, known(state.matches, 'vendor'));
}

/** Address candidates given the input line indices of the chosen vendor name. */
export function addressCandidatesFor(state: DocumentState, vendorLines: readonly number[]): Candidate[] {
  const positions = state.header.segments.flatMap((segment, i) => (vendorLines.includes(segment.lineIndex) ? [i] : []));
  return addressCandidates(state.header, positions, known(state.matches, 'address'));
}

export function issueDateCandidatesFor(state: DocumentState): Candidate[] {
  return issueDateCandidates(state.layout, state.dates, habit(state.matches, 'dateShape'));
}

export function totalCandidatesFor(state: DocumentState): Candidate[] {
  return totalCandidates(state.layout, state.amounts, habit(state.matches, 'totalStyle'));
}
