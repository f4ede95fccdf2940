/**
 * Rule-based fields that have no training labels here: document number, due date, currency,
 * subtotal, tax and line items. Each rule reads a labelled value (label on the line, to the left
 * or above) and reports a modest confidence that says which rule fired.
 */
import { labelOf, type AmountOccurrence } from './amounts.ts';
import type { Reconciliation, SumTerms } from './arithmetic.ts';
import type { DateOccurrence } from './dates.ts';
import type { Layout, Segment } from './layout.ts';
import { currencyOf, KEYWORDS } from './patterns.ts';
import type { Evidence, FieldValue, LineItem } from './types.ts';

export function emptyField(): FieldValue {
  return { value: null, confidence: 0, evidence: [] };
}

function belowSegment(layout: Layout, segment: Segment): Segment | undefined {
  let best: Segment | undefined;
  for (const other of layout.segments) {
    if (other.y0 < segment.y1 - 1e-9 || other.page !== segment.page) continue;
    const overlap = Math.min(other.x1, segment.x1) - Math.max(other.x0, segment.x0);
    if (overlap <= 0) continue;
    if (best === undefined || other.y0 < best.y0) best = other;
  }
  return best !== undefined && best.y0 - segment.y1 <= 2.5 * layout.medianHeight ? best : undefined;
}

const NUMBER_LABEL =
  /\b(INVOICE|INV|RECEIPT|BILL|DOCUMENT|DOC|FAKTURA|RECHNUNG(?:S)?|FACTUUR|FACTURE|TRANSACTION|TRANS|SLIP|ORDER)\s*(NO\.?|NUMBER|NUMMER|NR\.?|NUM|#|ID)?\s*(NR\.?|NO\.?)?\s*[:#.]?\s*/i;
const NUMBER_VALUE = /^[#:\s]*([A-Z]{0,6}[-/]?[A-Z0-9]*\d[A-Z0-9/\-_.]*)/i;

/** Invoice / receipt number: the first code-looking token after a number label. */
export function documentNumber(layout: Layout, toEvidence: (s: Segment) => Evidence): FieldValue {
  for (const segment of layout.segments) {
    const label = NUMBER_LABEL.exec(segment.text);
    if (label === null) continue;
    const strong = label[2] !== undefined || label[3] !== undefined;
    if (/\b(DATE|DATUM|DATA)\b/i.test(segment.text.slice(label.index))) continue;
    const rest = segment.text.slice(label.index + label[0].length);
    const sources: [string, Segment, number][] = [[rest, segment, strong ? 0.8 : 0.55]];
    const right = layout.segments.filter((s) => s.order > segment.order && Math.abs((s.y0 + s.y1) / 2 - (segment.y0 + segment.y1) / 2) < layout.medianHeight * 0.6);
    if (right[0] !== undefined) sources.push([right[0].text, right[0], strong ? 0.7 : 0.45]);
    const below = belowSegment(layout, segment);
    if (below !== undefined && rest.trim() === '') sources.push([below.text, below, strong ? 0.6 : 0.4]);
    for (const [text, source, confidence] of sources) {
      const value = NUMBER_VALUE.exec(text)?.[1];
      if (value !== undefined && value.length >= 3 && !/^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$/.test(value)) {
        return { value: value.replace(/[.,:]+$/, ''), confidence, evidence: [toEvidence(source)] };
      }
    }
  }
  return emptyField();
}

/** Due date: a date whose label says due / payable by. */
export function dueDate(dates: readonly DateOccurrence[], layout: Layout, toEvidence: (s: Segment) => Evidence): FieldValue {
  for (const { match, segment } of dates) {
    const before = segment.text.slice(0, match.index).toUpperCase();
    const previous = layout.segments[segment.order - 1]?.text.toUpperCase() ?? '';
    const above = layout.segments.find((s) => s.y1 <= segment.y0 && s.x0 < segment.x1 && s.x1 > segment.x0 && segment.y0 - s.y1 <= 2 * layout.medianHeight);
    const confidence = KEYWORDS.dueDate.test(before) ? 0.8 : KEYWORDS.dueDate.test(above?.text.toUpperCase() ?? '') ? 0.7 : KEYWORDS.dueDate.test(previous) ? 0.5 : 0;
    if (confidence > 0) return { value: match.text, normalized: match.iso, confidence, evidence: [toEvidence(segment)] };
  }
  return emptyField();
}

/** Currency: the most frequent currency mark on amounts, else a currency word in the text. */
export function currency(layout: Layout, amounts: readonly AmountOccurrence[], toEvidence: (s: Segment) => Evidence): FieldValue {
  const votes = new Map<string, { count: number; segment: Segment }>();
  const vote = (code: string | null, segment: Segment, weight: number): void => {
    if (code === null) return;
    const entry = votes.get(code) ?? { count: 0, segment };
    entry.count += weight;
    votes.set(code, entry);
  };
  for (const o of amounts) vote(currencyOf(o.match.prefix), o.segment, 1);
  for (const segment of layout.segments) {
    for (const m of segment.text.matchAll(/(?<![\p{L}])(RM|MYR|USD|EUR|GBP|SGD|PLN|CHF|AUD|CAD|INR|JPY|€|£|\$)(?![\p{L}])/gu)) vote(currencyOf(m[1] ?? ''), segment, 0.5);
  }
  const ranked = [...votes.entries()].sort((a, b) => b[1].count - a[1].count);
  const best = ranked[0];
  if (best === undefined) return emptyField();
  const total = ranked.reduce((sum, [, v]) => sum + v.count, 0);
  const share = best[1].count / total;
  const confidence = Math.min(0.95, 0.5 + 0.4 * share + (best[1].count >= 3 ? 0.05 : 0)) * (best[0] === 'USD' ? 0.85 : 1);
  return { value: best[0], normalized: best[0], confidence, evidence: [toEvidence(best[1].segment)] };
}

function amountField(occurrence: AmountOccurrence | undefined, confidence: number, toEvidence: (s: Segment) => Evidence): FieldValue {
  if (occurrence === undefined) return emptyField();
  const { match } = occurrence;
  return { value: match.text, normalized: (match.minor / 100).toFixed(2), minor: match.minor, confidence, evidence: [toEvidence(occurrence.segment)] };
}

/**
 * Subtotal and tax. When the total is a printed base plus adjustments (see `reconcile`), they
 * are that base and its tax; otherwise labelled amounts below the total, the last label wins.
 */
export function subtotalAndTax(
  amounts: readonly AmountOccurrence[],
  totalMinor: number | null,
  sums: Reconciliation,
  toEvidence: (s: Segment) => Evidence,
): { subtotal: FieldValue; tax: FieldValue } {
  const reconciled = totalMinor === null ? undefined : bestTerms(sums.terms.get(totalMinor) ?? []);
  if (reconciled !== undefined) {
    const taxes = reconciled.adjustments.filter((a) => a.kind === 'tax');
    const onlyTax = taxes.length === 1 ? taxes[0]?.occurrence : undefined;
    return {
      subtotal: amountField(reconciled.base, 0.9, toEvidence),
      tax: onlyTax === undefined ? labelledSubtotalAndTax(amounts, totalMinor, toEvidence).tax : amountField(onlyTax, 0.9, toEvidence),
    };
  }
  return labelledSubtotalAndTax(amounts, totalMinor, toEvidence);
}

/** The way of making the total that names a subtotal best: a base labelled as one, with tax added. */
function bestTerms(terms: readonly SumTerms[]): SumTerms | undefined {
  const score = (t: SumTerms): number =>
    (KEYWORDS.subtotal.test(labelOf(t.base, true).toUpperCase()) ? 4 : 0) + (t.adjustments.some((a) => a.kind === 'tax') ? 2 : 0) + (t.baseLabelled ? 1 : 0);
  // A base plus rounding alone is the unrounded total, not a subtotal.
  const candidates = terms.filter((t) => t.adjustments.some((a) => a.kind !== 'rounding'));
  return candidates.sort((a, b) => score(b) - score(a))[0];
}

function labelledSubtotalAndTax(
  amounts: readonly AmountOccurrence[],
  totalMinor: number | null,
  toEvidence: (s: Segment) => Evidence,
): { subtotal: FieldValue; tax: FieldValue } {
  const under = (o: AmountOccurrence): boolean => totalMinor === null || (o.match.minor > 0 && o.match.minor <= totalMinor);
  const subtotals = amounts.filter((o) => KEYWORDS.subtotal.test(labelOf(o, true).toUpperCase()) && under(o));
  const taxes = amounts.filter((o) => {
    const label = labelOf(o, true).toUpperCase();
    return KEYWORDS.tax.test(label) && !/\b(INCL|INCLUSIVE|EXCL|EXCLUSIVE|EXCLUSIEF|ID|NO|REG|SUMMARY)\b/.test(label) && !/%\s*$/.test(o.match.text) && under(o) && (totalMinor === null || o.match.minor < totalMinor);
  });
  // "Excl. tax" / "untaxed" / "netto" name the pre-tax amount outright; some "subtotals" include tax.
  const preTax = subtotals.filter((o) => /\b(EXCL\w*|UNTAXED|NETTO|BEFORE\s+TAX|EXCLUDING)\b/.test(labelOf(o, true).toUpperCase()));
  const subtotal = preTax[preTax.length - 1] ?? subtotals[subtotals.length - 1];
  const tax = taxes[taxes.length - 1];
  let taxConfidence = tax === undefined ? 0 : 0.6;
  let subtotalConfidence = subtotal === undefined ? 0 : 0.6;
  if (tax !== undefined && subtotal !== undefined && totalMinor !== null && tax.match.minor + subtotal.match.minor === totalMinor) {
    taxConfidence = 0.9;
    subtotalConfidence = 0.9;
  }
  return { subtotal: amountField(subtotal, subtotalConfidence, toEvidence), tax: amountField(tax, taxConfidence, toEvidence) };
}

/** Groups segments into visual rows, top to bottom. */
function rows(layout: Layout): Segment[][] {
  const sorted = [...layout.segments].sort((a, b) => a.y0 + a.y1 - (b.y0 + b.y1));
  const out: Segment[][] = [];
  for (const segment of sorted) {
    const row = out[out.length - 1];
    const anchor = row?.[0];
    if (row !== undefined && anchor !== undefined) {
      const overlap = Math.min(anchor.y1, segment.y1) - Math.max(anchor.y0, segment.y0);
      if (overlap >= 0.5 * Math.min(anchor.y1 - anchor.y0, segment.y1 - segment.y0)) {
        row.push(segment);
        continue;
      }
    }
    out.push([segment]);
  }
  return out.map((row) => row.sort((a, b) => a.x0 - b.x0));
}

const MONEY = /^(?:RM|€|\$|£|EUR|USD|MYR)?\s?-?\d{1,3}(?:[,.' ]\d{3})*[.,]\d{2,3}(?:\s?(?:RM|€|EUR|USD))?$/i;
const QUANTITY = /^(\d{1,4}(?:[.,]\d{1,3})?)\s*(?:X|PCS?|UNITS?|KG|G|L|M|EA|STK|ST)?\.?$/i;
const NOT_DESCRIPTION = /^(?:[*@x%#]|\d+(?:[.,]\d+)?\s*%|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}.*)$/i;

/** Line items: rows between the column header and the first total line with a description and amounts. */
export function lineItems(layout: Layout, amounts: readonly AmountOccurrence[]): LineItem[] {
  const stop = amounts.find((o) => KEYWORDS.totalStrong.test(labelOf(o).toUpperCase()) || KEYWORDS.subtotal.test(labelOf(o).toUpperCase()))?.segment;
  const items: LineItem[] = [];
  let started = false;
  let pending: { text: string; lineIndex: number } | undefined;
  for (const row of rows(layout)) {
    const upper = row.map((s) => s.text).join(' ').toUpperCase();
    if (stop !== undefined && row.includes(stop)) break;
    if (!started) {
      const header = /\b(QTY|QUANTITY|MENGE|AANTAL|ILO[SŚ][CĆ])\b/.test(upper) && /\b(DESC\w*|ITEM|PRICE|AMOUNT|AMT|PRIJS|PREIS|BESCHREIBUNG|ARTIKEL|NAZWA|TOTAL)\b/.test(upper);
      started = header || (/\b(DESCRIPTION|ITEM|ARTIKEL)\b/.test(upper) && /\b(PRICE|AMOUNT|PRIJS|PREIS|TOTAL)\b/.test(upper));
      continue;
    }
    const words: Segment[] = [];
    const numbers: string[] = [];
    for (const segment of row) {
      const text = segment.text.trim();
      if (MONEY.test(text) || QUANTITY.test(text)) numbers.push(text);
      else if (!NOT_DESCRIPTION.test(text) && /\p{L}{2,}/u.test(text)) words.push(segment);
    }
    const money = numbers.filter((n) => MONEY.test(n));
    const description = words.map((s) => s.text).join(' ').trim();
    if (money.length === 0) {
      if (description !== '') pending = { text: description, lineIndex: words[0]?.lineIndex ?? 0 };
      continue;
    }
    const desc = description !== '' ? description : pending?.text;
    if (desc === undefined) continue;
    const quantityText = numbers.find((n) => QUANTITY.test(n) && !/[.,]\d{2,3}$/.test(n)) ?? numbers.find((n) => QUANTITY.test(n) && /[a-z]/i.test(n));
    const quantity = quantityText === undefined ? null : Number((QUANTITY.exec(quantityText)?.[1] ?? '').replace(',', '.'));
    const prices = money.filter((n) => n !== quantityText);
    items.push({
      description: desc,
      quantity: quantity !== null && Number.isFinite(quantity) ? quantity : null,
      unitPrice: prices.length >= 2 ? (prices[0] ?? null) : null,
      amount: prices[prices.length - 1] ?? null,
      confidence: description !== '' ? 0.5 : 0.4,
      lineIndex: description !== '' ? (words[0]?.lineIndex ?? 0) : (pending?.lineIndex ?? 0),
    });
    pending = undefined;
  }
  return items;
}
