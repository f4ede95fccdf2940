/**
 * The arithmetic of a document's totals block: which printed amounts are a base (a subtotal, or
 * an unrounded total) plus labelled adjustments (tax, charges, minus discounts, rounding).
 * Receipts and invoices of any layout add up the same way, so a value that is such a sum is
 * likely the total, and the base of a larger sum is likely not.
 */
import type { AmountOccurrence } from './amounts.ts';
import { KEYWORDS } from './patterns.ts';

export type AdjustmentKind = 'tax' | 'charge' | 'discount' | 'rounding';

const CHARGE = /\b(SHIPPING|FREIGHT|HANDLING|POSTAGE|DELIVERY\s*(CHARGE|FEE)|SERVICE\s*(CHARGE|CHG|FEE|TAX)|SVC\s*CHG|SURCHARGE|GRATUITY|TIPS?)\b/;
const TOTAL_AFTER = /\b(TOTAL|TTL|GRAND|NETT?)\b.*\b(AFTER|ATF|ROUNDED|RND|ADJ\w*)\b|\b(ROUNDED|AFTER\s+\w+)\s+(TOTAL|TTL)\b|\bINCL\w*\b.*\b(ADJ|ROUND\w*)\b/;
/** Tax lines that are part of the total already, or are not an amount of tax at all. */
const NOT_ADDED_TAX = /\b(INCL\w*|EXCL\w*|EXCLUSIEF|INKL\w*|OF\s+WHICH|ID|NO|REG\w*|SUMMARY|AMOUNT\s+SUBJECT)\b/;

/** The adjustment an amount's label names, if any (labels are upper case). */
export function adjustmentKind(label: string): AdjustmentKind | null {
  // "Total after rounding adj." and "Rounded total" name the total, not the adjustment.
  if (TOTAL_AFTER.test(label)) return null;
  if (KEYWORDS.rounding.test(label)) return 'rounding';
  if (KEYWORDS.discount.test(label)) return 'discount';
  if (CHARGE.test(label)) return 'charge';
  if (KEYWORDS.tax.test(label) && !NOT_ADDED_TAX.test(label) && !KEYWORDS.subtotal.test(label)) return 'tax';
  return null;
}

export interface SumTerms {
  base: AmountOccurrence;
  baseLabelled: boolean;
  adjustments: { occurrence: AmountOccurrence; kind: AdjustmentKind }[];
}

export interface Reconciliation {
  /** Values printed on the document that equal a printed base plus adjustments. */
  sums: Set<number>;
  /** Sums whose base is labelled as a subtotal or a total (`Subtotal` + `VAT` = this). */
  labelledSums: Set<number>;
  /** Labelled sums made with a rounding adjustment (SROIE's labels sometimes take the unrounded total). */
  roundedSums: Set<number>;
  /** Bases of a printed sum: the part before tax, charges, discounts or rounding. */
  parts: Set<number>;
  /** For each sum, the ways it is made: a base and the adjustments added to it. */
  terms: Map<number, SumTerms[]>;
}

/** At most this many adjustments are combined (2^n sums per base). */
const MAX_ADJUSTMENTS = 6;

/**
 * Finds the sums among the printed amounts. Tax and charges add, discounts subtract, rounding
 * either way (it is printed with and without its sign); adjustments of zero are ignored.
 *
 * @example
 * // "Subtotal 1,028.80", "VAT 20% 205.76", "Total 1,234.56"
 * reconcile(occurrences, (o) => labelOf(o, true)).labelledSums.has(123456); // true
 */
export function reconcile(occurrences: readonly AmountOccurrence[], labelOf: (occurrence: AmountOccurrence) => string): Reconciliation {
  const adjustments: { occurrence: AmountOccurrence; kind: AdjustmentKind; deltas: number[] }[] = [];
  const bases: { occurrence: AmountOccurrence; labelled: boolean }[] = [];
  for (const occurrence of occurrences) {
    const label = labelOf(occurrence);
    const minor = occurrence.match.minor;
    const kind = adjustmentKind(label);
    if (kind !== null) {
      if (minor === 0) continue;
      const size = Math.abs(minor);
      const deltas = kind === 'discount' ? [-size] : kind === 'rounding' ? [size, -size] : [minor];
      if (adjustments.length < MAX_ADJUSTMENTS && !adjustments.some((a) => a.occurrence.match.minor === minor)) adjustments.push({ occurrence, kind, deltas });
      continue;
    }
    if (minor <= 0 || KEYWORDS.cash.test(label) || KEYWORDS.change.test(label)) continue;
    bases.push({ occurrence, labelled: KEYWORDS.subtotal.test(label) || KEYWORDS.total.test(label) });
  }
  // Where each value is printed last: a sum is printed after its base (rounding is printed with
  // and without its sign, so order tells the rounded total from the unrounded one).
  const lastAt = new Map<number, number>();
  for (const { occurrence } of bases) lastAt.set(occurrence.match.minor, Math.max(lastAt.get(occurrence.match.minor) ?? -1, position(occurrence)));
  const result: Reconciliation = { sums: new Set(), labelledSums: new Set(), roundedSums: new Set(), parts: new Set(), terms: new Map() };
  if (adjustments.length === 0) return result;
  // Every signed sum of a non-empty subset of the adjustments, with the subset.
  const combos: { delta: number; rounding: number; discount: number; used: SumTerms['adjustments'] }[] = [{ delta: 0, rounding: 0, discount: 0, used: [] }];
  for (const { occurrence, kind, deltas } of adjustments) {
    const grown: typeof combos = [];
    for (const combo of combos) {
      for (const delta of deltas) {
        grown.push({
          delta: combo.delta + delta,
          rounding: combo.rounding + (kind === 'rounding' ? delta : 0),
          discount: combo.discount + (kind === 'discount' ? delta : 0),
          used: [...combo.used, { occurrence, kind }],
        });
      }
    }
    combos.push(...grown);
  }
  for (const base of bases) {
    for (const { delta, rounding, discount, used } of combos) {
      // Discounts take away part of the base, never all of it.
      if (used.length === 0 || delta === 0 || base.occurrence.match.minor + discount <= 0) continue;
      const sum = base.occurrence.match.minor + delta;
      if (sum <= 0 || (lastAt.get(sum) ?? -1) <= position(base.occurrence)) continue;
      // Rounding makes a rounder number, never a less round one.
      if (rounding !== 0 && roundness(sum) <= roundness(sum - rounding)) continue;
      result.sums.add(sum);
      if (base.labelled) {
        result.labelledSums.add(sum);
        if (rounding !== 0) result.roundedSums.add(sum);
        result.parts.add(base.occurrence.match.minor);
      }
      const terms = result.terms.get(sum) ?? [];
      if (terms.length < 8) terms.push({ base: base.occurrence, baseLabelled: base.labelled, adjustments: used });
      result.terms.set(sum, terms);
    }
  }
  return result;
}

/** 3 for whole units, 2 for tens of cents, 1 for five cents, else 0. */
function roundness(minor: number): number {
  return minor % 100 === 0 ? 3 : minor % 10 === 0 ? 2 : minor % 5 === 0 ? 1 : 0;
}

function position(occurrence: AmountOccurrence): number {
  return occurrence.segment.order * 1000 + occurrence.match.index;
}
