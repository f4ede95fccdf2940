/** Amount candidates (for total, subtotal, tax) with layout and keyword features. */
import { reconcile } from './arithmetic.ts';
import { binFeature, keywordFeatures, valueContext, type ValueContext } from './context.ts';
import { relativeX, relativeY, type Layout, type Segment } from './layout.ts';
import { findAmounts, KEYWORDS, type AmountMatch } from './patterns.ts';
import { countCopies, type Candidate } from './ranker.ts';

export interface AmountOccurrence {
  match: AmountMatch;
  segment: Segment;
  context: ValueContext;
}

const FAMILIES = {
  total: KEYWORDS.total,
  strong: KEYWORDS.totalStrong,
  sub: KEYWORDS.subtotal,
  tax: KEYWORDS.tax,
  round: KEYWORDS.rounding,
  cash: KEYWORDS.cash,
  change: KEYWORDS.change,
  disc: KEYWORDS.discount,
  qty: KEYWORDS.quantity,
  incl: /\b(INCL?\.?|INCLUSIVE|INCLUDING|INKL\.?)\b/,
  price: /\b(PRICE|U\.?\s?PRICE|UNIT|@|RATE)\b/,
  item: /\b(ITEM|ITEMS|DESC)\b/,
} as const;

export function amountOccurrences(layout: Layout): AmountOccurrence[] {
  const found: AmountOccurrence[] = [];
  for (const segment of layout.segments) {
    for (const match of findAmounts(segment.text)) {
      found.push({ match, segment, context: valueContext(layout, segment, match.index, match.index + match.text.length) });
    }
  }
  return found;
}

/**
 * Label text that names an occurrence: its own line first, else the row, else the line before.
 * With `nearest`, only row text after the closest amount to the left counts (wide invoice rows).
 */
export function labelOf(occurrence: AmountOccurrence, nearest = false): string {
  const { before, left, previous, above } = occurrence.context;
  if (/\p{L}{2,}/u.test(before)) return before;
  // Only the text after the nearest amount to the left names this one ("EXCL. VAT 593.36  SUBTOTAL").
  const nearestLeft = nearest ? (left.split(/\d[.,]\d{2}(?!\d)\s*%?/).pop() ?? left) : left;
  if (/\p{L}{2,}/u.test(nearestLeft)) return nearestLeft;
  if (/\p{L}{2,}/u.test(above)) return above;
  return previous;
}

/** Style of the printed form, used to learn a vendor's habit (`RM 9.00` vs `9.00`). */
export function amountStyle(text: string): string {
  const match = /^(\D*?)\s?-?\d/.exec(text);
  const prefix = match?.[1] ?? '';
  if (prefix === '') return 'bare';
  return /\s$/.test(text.slice(0, text.search(/\d|-/))) ? `${prefix.trim()}_space` : prefix.trim();
}

/** Candidates for the document total, one per printed string, features merged over copies. */
export function totalCandidates(layout: Layout, occurrences: readonly AmountOccurrence[], styleHabit: ReadonlyMap<string, number> = new Map()): Candidate[] {
  const values = [...new Set(occurrences.map((o) => o.match.minor))].sort((a, b) => b - a);
  const cashValues = occurrences.filter((o) => FAMILIES.cash.test(labelOf(o)) && !FAMILIES.change.test(labelOf(o))).map((o) => o.match.minor);
  const changeValues = occurrences.filter((o) => FAMILIES.change.test(labelOf(o))).map((o) => o.match.minor);
  const totalLabelled = occurrences.filter((o) => FAMILIES.total.test(labelOf(o)));
  const lastTotalOrder = Math.max(-1, ...totalLabelled.map((o) => o.segment.order));
  const sums = reconcile(occurrences, (o) => labelOf(o, true));
  const valueCounts = new Map<number, number>();
  for (const o of occurrences) valueCounts.set(o.match.minor, (valueCounts.get(o.match.minor) ?? 0) + 1);

  const raw: Candidate[] = [];
  for (const occurrence of occurrences) {
    const { match, segment, context } = occurrence;
    const f: Record<string, number> = { bias: 1 };
    keywordFeatures(f, 'own', context.before, FAMILIES);
    keywordFeatures(f, 'left', context.left, FAMILIES);
    keywordFeatures(f, 'above', context.above, FAMILIES);
    keywordFeatures(f, 'label', labelOf(occurrence), FAMILIES);
    keywordFeatures(f, 'prev', context.previous, { total: FAMILIES.total, strong: FAMILIES.strong, cash: FAMILIES.cash });
    keywordFeatures(f, 'after', context.after + ' ' + context.right, { amountToo: /\d[.,]\d{2}/, pct: /%/ });
    const label = labelOf(occurrence);
    if (FAMILIES.total.test(label) && FAMILIES.tax.test(label) && !FAMILIES.incl.test(label)) f['label_total_tax_excl'] = 1;
    if (FAMILIES.total.test(label) && FAMILIES.incl.test(label)) f['label_total_incl'] = 1;
    if (label.trim() === '') f['label_none'] = 1;
    const rank = values.indexOf(match.minor);
    f[`rank_${Math.min(rank, 4)}`] = 1;
    if (match.minor <= 0) f['nonpositive'] = 1;
    // Cash totals are rounded to 5 sen/cents in many countries; unrounded sums precede them.
    if (match.minor % 5 === 0) f['round5'] = 1;
    if (match.minor % 100 === 0) f['round100'] = 1;
    binFeature(f, 'y', relativeY(layout, segment), [0.3, 0.5, 0.65, 0.8, 0.9]);
    if (layout.hasBoxes) binFeature(f, 'x', relativeX(layout, segment), [0.4, 0.6, 0.8]);
    f['value_copies'] = Math.min(valueCounts.get(match.minor) ?? 1, 4) / 4;
    if (cashValues.some((cash) => changeValues.some((change) => cash - change === match.minor))) f['cash_minus_change'] = 1;
    if (cashValues.includes(match.minor)) f['equals_cash'] = 1;
    // Subtotal + tax (+ charges − discounts ± rounding) = this: a total; the subtotal itself is a part.
    if (sums.labelledSums.has(match.minor) && !sums.parts.has(match.minor)) f[sums.roundedSums.has(match.minor) ? 'sum_final_rounded' : 'sum_final'] = 1;
    if (sums.parts.has(match.minor)) f['sum_part'] = 1;
    if (segment.order === lastTotalOrder) f['last_total_label'] = 1;
    if (totalLabelled.length > 0 && segment.order > lastTotalOrder) f['after_last_total'] = 1;
    const wholeSegment = segment.text.trim() === match.text.trim();
    if (wholeSegment) f['whole_segment'] = 1;
    const forms: [string, string][] = [[match.text, match.prefix === '' ? 'bare' : 'prefixed']];
    if (match.prefix !== '') forms.push([match.numberText, 'bare_of_prefixed']);
    for (const [value, form] of forms) {
      const features = { ...f, [`form_${form}`]: 1 };
      // Annotators keep a currency mark glued to the number ("RM9.00") more often than a spaced one ("RM 9.00").
      if (match.prefix !== '' && /\s/.test(match.text)) features[`form_${form}_spaced`] = 1;
      if (styleHabit.size > 0) {
        const share = styleHabit.get(amountStyle(value)) ?? 0;
        features['kb_style_share'] = share;
        if (share === 0) features['kb_style_unseen'] = 1;
      }
      raw.push({ value, features, lines: [segment.lineIndex] });
    }
  }
  return countCopies(raw);
}
