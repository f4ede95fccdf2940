/** Date candidates with keyword and layout features. */
import { binFeature, keywordFeatures, valueContext } from './context.ts';
import { relativeY, type Layout, type Segment } from './layout.ts';
import { findDates, KEYWORDS, type DateMatch } from './patterns.ts';
import { countCopies, type Candidate } from './ranker.ts';
import { shapeOf } from './text.ts';

export interface DateOccurrence {
  match: DateMatch;
  segment: Segment;
}

const FAMILIES = {
  date: KEYWORDS.date,
  due: KEYWORDS.dueDate,
  not: KEYWORDS.notIssueDate,
  invoice: /\b(INVOICE|RECEIPT|BILL|FAKTURA|RECHNUNG|FACTUUR)\b/,
  time: /\b(TIME|MASA)\b/,
} as const;

/** Day/month order for the document: forced by any unambiguous numeric date, else `fallback`. */
export function documentDateOrder(layout: Layout, fallback: 'dmy' | 'mdy' = 'dmy'): 'dmy' | 'mdy' {
  let dmy = 0;
  let mdy = 0;
  for (const segment of layout.segments) {
    for (const match of findDates(segment.text, fallback)) {
      if (match.forcedOrder === 'dmy') dmy++;
      if (match.forcedOrder === 'mdy') mdy++;
    }
  }
  if (dmy === mdy) return fallback;
  return dmy > mdy ? 'dmy' : 'mdy';
}

export function dateOccurrences(layout: Layout, order: 'dmy' | 'mdy'): DateOccurrence[] {
  const found: DateOccurrence[] = [];
  for (const segment of layout.segments) {
    for (const match of findDates(segment.text, order)) found.push({ match, segment });
  }
  return found;
}

/** Candidates for the issue date; `shapeHabit` is the share of each printed shape (`99/99/9999`) in the vendor's past documents. */
export function issueDateCandidates(layout: Layout, occurrences: readonly DateOccurrence[], shapeHabit: ReadonlyMap<string, number> = new Map()): Candidate[] {
  const isoCounts = new Map<string, number>();
  for (const o of occurrences) if (o.match.iso !== null) isoCounts.set(o.match.iso, (isoCounts.get(o.match.iso) ?? 0) + 1);
  const raw: Candidate[] = [];
  occurrences.forEach((occurrence, position) => {
    const { match, segment } = occurrence;
    const context = valueContext(layout, segment, match.index, match.index + match.text.length);
    const f: Record<string, number> = { bias: 1, [`shape_${match.shape}`]: 1 };
    if (match.iso === null) f['invalid'] = 1;
    if (match.fourDigitYear) f['year4'] = 1;
    if (match.ambiguous) f['ambiguous'] = 1;
    keywordFeatures(f, 'own', context.before, FAMILIES);
    keywordFeatures(f, 'left', context.left, FAMILIES);
    keywordFeatures(f, 'prev', context.previous, FAMILIES);
    keywordFeatures(f, 'above', context.above, FAMILIES);
    if (/\d{1,2}:\d{2}/.test(context.after + ' ' + context.right)) f['time_after'] = 1;
    if (/\d{1,2}:\d{2}/.test(context.before + ' ' + context.left)) f['time_before'] = 1;
    if (/^[\s:]*$/.test(context.before)) f['starts_segment'] = 1;
    if (/[\p{L}\d]$/u.test(context.before)) f['glued_before'] = 1;
    if (/^[\p{L}\d]/u.test(context.after)) f['glued_after'] = 1;
    if (/-\s*$/.test(context.before) || /^\s*-\s*\d/.test(context.after)) f['range'] = 1;
    binFeature(f, 'y', relativeY(layout, segment), [0.15, 0.3, 0.5, 0.7, 0.85]);
    f[`position_${Math.min(position, 3)}`] = 1;
    if (match.iso !== null) f['iso_copies'] = Math.min(isoCounts.get(match.iso) ?? 1, 3) / 3;
    if (shapeHabit.size > 0) {
      const share = shapeHabit.get(shapeOf(match.text)) ?? 0;
      f['kb_shape_share'] = share;
      if (share === 0) f['kb_shape_unseen'] = 1;
    }
    raw.push({ value: match.text, features: f, lines: [segment.lineIndex] });
  });
  return countCopies(raw);
}
