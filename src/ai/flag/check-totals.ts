/**
 * TOTALS_MISMATCH and LINES_MISMATCH: the document's own arithmetic.
 *
 *   line net = round(quantity × unitPrice)       line tax = round(line net × taxRate / 100)
 *   subtotal = Σ line net;  taxTotal = Σ line tax;  total = subtotal + taxTotal
 *
 * rounded to the currency's minor unit, half up (the same formula as draft/money's computeTotals,
 * but unit prices may carry more digits than the currency). Each comparison with the lines allows
 * one minor unit per line, since issuers round per line or per document as they please; the
 * stated subtotal + taxTotal = total must hold exactly.
 *
 * Some documents (receipts, shop bills) print tax-inclusive prices. When the lines carry a rate,
 * the stated figures are also tried as gross prices (total = Σ line, tax extracted per line); the
 * reading with fewer mismatches is reported, so an inclusive receipt is not flagged for being one.
 * When no line carries a rate, the tax is taken as stated and only the net side is checked.
 */
import {
  currencyDigits,
  divideRounded,
  multiplyRate,
  parseDecimal,
  parseDecimalToMinor,
  powerOfTen,
  Rounding,
} from '../draft/money/index.ts';
import type { FlagContext } from './context.ts';
import { beforeActing, decimal, kindNoun, money } from './format.ts';
import type { ParsedDocument } from './input.ts';
import type { Anomaly, FlagLine } from './types.ts';

interface LineFigures {
  readonly netMinor: bigint;
  /** Tax on the net as an exclusive price; 0 without a rate. */
  readonly taxMinor: bigint;
  /** Tax contained in the line if its price is gross. */
  readonly includedTaxMinor: bigint;
  readonly hasRate: boolean;
}

type Field = 'subtotal' | 'taxTotal' | 'total' | 'sum';

interface Mismatch {
  readonly field: Field;
  readonly statedMinor: bigint;
  readonly computedMinor: bigint;
}

/** round(quantity × unitPrice) in minor units of a currency with `digits` decimals. */
function lineNet(line: FlagLine, digits: number): bigint {
  const quantity = parseDecimal(line.quantity);
  const price = parseDecimal(line.unitPrice);
  const product = quantity.units * price.units;
  const excess = quantity.scale + price.scale - digits;
  return excess >= 0 ? divideRounded(product, powerOfTen(excess), Rounding.halfUp) : product * powerOfTen(-excess);
}

function lineFigures(line: FlagLine, digits: number): LineFigures {
  const netMinor = lineNet(line, digits);
  if (line.taxRate === null || line.taxRate === undefined) {
    return { netMinor, taxMinor: 0n, includedTaxMinor: 0n, hasRate: false };
  }
  const rate = parseDecimal(line.taxRate);
  const hundred = 100n * powerOfTen(rate.scale);
  const netOfGross = divideRounded(netMinor * hundred, hundred + rate.units, Rounding.halfUp);
  return { netMinor, taxMinor: multiplyRate(netMinor, line.taxRate), includedTaxMinor: netMinor - netOfGross, hasRate: true };
}

const sum = (values: readonly bigint[]): bigint => values.reduce((total, value) => total + value, 0n);
const abs = (value: bigint): bigint => (value < 0n ? -value : value);

function compare(doc: ParsedDocument, expected: Partial<Record<Field, bigint>>, tolerance: bigint): Mismatch[] {
  const stated: Record<Exclude<Field, 'sum'>, bigint | null> = {
    subtotal: doc.subtotalMinor,
    taxTotal: doc.taxTotalMinor,
    total: doc.totalMinor,
  };
  const out: Mismatch[] = [];
  for (const field of ['subtotal', 'taxTotal', 'total'] as const) {
    const statedMinor = stated[field];
    const computedMinor = expected[field];
    if (statedMinor !== null && computedMinor !== undefined && abs(statedMinor - computedMinor) > tolerance) {
      out.push({ field, statedMinor, computedMinor });
    }
  }
  return out;
}

export function checkTotals(context: FlagContext): { checked: boolean; anomaly: Anomaly | null } {
  const { doc } = context;
  const lines = doc.source.lines ?? [];
  const headerComplete = doc.subtotalMinor !== null && doc.taxTotalMinor !== null;
  if (lines.length === 0 && !headerComplete) return { checked: false, anomaly: null };

  let mismatches: Mismatch[] = [];
  let pricing: 'net' | 'gross' = 'net';
  if (lines.length > 0) {
    const figures = lines.map((line) => lineFigures(line, currencyDigits(doc.currency)));
    const tolerance = BigInt(lines.length);
    const net = sum(figures.map((line) => line.netMinor));
    const anyRate = figures.some((line) => line.hasRate);
    const tax = anyRate ? sum(figures.map((line) => line.taxMinor)) : (doc.taxTotalMinor ?? 0n);
    mismatches = compare(doc, { subtotal: net, ...(anyRate ? { taxTotal: tax } : {}), total: net + tax }, tolerance);
    if (mismatches.length > 0 && figures.some((line) => line.includedTaxMinor !== 0n)) {
      const included = sum(figures.map((line) => line.includedTaxMinor));
      const gross = compare(doc, { subtotal: net - included, taxTotal: included, total: net }, tolerance);
      if (gross.length < mismatches.length) [mismatches, pricing] = [gross, 'gross'];
    }
  }
  if (headerComplete) {
    const computedMinor = (doc.subtotalMinor ?? 0n) + (doc.taxTotalMinor ?? 0n);
    // When the lines already gave this same figure for the total, saying it twice adds nothing.
    const sameAsLines = mismatches.some((mismatch) => mismatch.field === 'total' && mismatch.computedMinor === computedMinor);
    if (computedMinor !== doc.totalMinor && !sameAsLines) mismatches.push({ field: 'sum', statedMinor: doc.totalMinor, computedMinor });
  }
  if (mismatches.length === 0) return { checked: true, anomaly: null };

  const currency = doc.currency;
  const sentences = mismatches.map((mismatch) => describeMismatch(mismatch, doc, pricing));
  const fix =
    doc.direction === 'incoming'
      ? `Ask the sender for a corrected ${kindNoun(doc)} before paying.`
      : `Correct the ${kindNoun(doc)} before sending it.`;
  return {
    checked: true,
    anomaly: {
      code: 'TOTALS_MISMATCH',
      severity: 'warning',
      message: [...sentences, fix].join(' '),
      evidence: {
        currency,
        pricing,
        tolerance: decimal(BigInt(lines.length), currency),
        mismatches: mismatches.map((mismatch) => ({
          field: mismatch.field,
          stated: decimal(mismatch.statedMinor, currency),
          computed: decimal(mismatch.computedMinor, currency),
          difference: decimal(mismatch.statedMinor - mismatch.computedMinor, currency),
        })),
      },
      // Arithmetic is certain; what is left is a charge we cannot see (shipping, a discount).
      score: mismatches.some((mismatch) => mismatch.field === 'total' || mismatch.field === 'sum') ? 0.9 : 0.8,
    },
  };
}

function describeMismatch(mismatch: Mismatch, doc: ParsedDocument, pricing: 'net' | 'gross'): string {
  const stated = money(mismatch.statedMinor, doc.currency);
  const computed = money(mismatch.computedMinor, doc.currency);
  switch (mismatch.field) {
    case 'subtotal':
      return `The lines add up to ${computed} before tax, but the subtotal says ${stated}.`;
    case 'taxTotal':
      return `Tax on the lines comes to ${computed}, but the tax total says ${stated}.`;
    case 'total': {
      const difference = mismatch.statedMinor - mismatch.computedMinor;
      const lineRates = doc.source.lines?.some((line) => line.taxRate) === true;
      const withTax =
        pricing === 'gross' ? '' : lineRates ? ' with tax' : (doc.taxTotalMinor ?? 0n) !== 0n ? ' with the stated tax' : '';
      return (
        `The lines add up to ${computed}${withTax}, but the total says ${stated}: ` +
        `${money(abs(difference), doc.currency)} ${difference > 0n ? 'more' : 'less'}.`
      );
    }
    case 'sum': {
      const subtotal = money(doc.subtotalMinor ?? 0n, doc.currency);
      const tax = money(doc.taxTotalMinor ?? 0n, doc.currency);
      return `Subtotal ${subtotal} plus tax ${tax} makes ${computed}, but the total says ${stated}.`;
    }
    default: {
      const unknown: never = mismatch.field;
      throw new Error(`unreachable field ${String(unknown)}`);
    }
  }
}

/** Lines whose stated amount is neither quantity × unitPrice nor that plus its tax (± 1 minor unit). */
export function checkLines(context: FlagContext): { checked: boolean; anomaly: Anomaly | null } {
  const { doc } = context;
  const lines = doc.source.lines ?? [];
  if (!lines.some((line) => line.amount !== null && line.amount !== undefined)) return { checked: false, anomaly: null };
  const digits = currencyDigits(doc.currency);
  const bad: { index: number; line: FlagLine; figures: LineFigures; statedMinor: bigint }[] = [];
  lines.forEach((line, index) => {
    if (line.amount === null || line.amount === undefined) return;
    const figures = lineFigures(line, digits);
    const statedMinor = parseDecimalToMinor(line.amount, doc.currency);
    const fits = (expected: bigint): boolean => abs(statedMinor - expected) <= 1n;
    if (!fits(figures.netMinor) && !fits(figures.netMinor + figures.taxMinor)) bad.push({ index, line, figures, statedMinor });
  });
  if (bad.length === 0) return { checked: true, anomaly: null };

  const currency = doc.currency;
  const shown = bad.slice(0, 3).map(({ index, line, figures, statedMinor }) => {
    const withTax = figures.taxMinor === 0n ? '' : ` (${money(figures.netMinor + figures.taxMinor, currency)} with tax)`;
    return (
      `Line ${index + 1} ("${line.description}"): ${line.quantity} × ${line.unitPrice} ${currency} is ` +
      `${money(figures.netMinor, currency)}${withTax}, but the line says ${money(statedMinor, currency)}.`
    );
  });
  const more = bad.length > 3 ? [`${bad.length - 3} more lines differ too.`] : [];
  return {
    checked: true,
    anomaly: {
      code: 'LINES_MISMATCH',
      severity: 'warning',
      message: [...shown, ...more, `Check the quantities and prices ${beforeActing(doc)}.`].join(' '),
      evidence: {
        currency,
        lines: bad.map(({ index, line, figures, statedMinor }) => ({
          index,
          description: line.description,
          quantity: line.quantity,
          unitPrice: line.unitPrice,
          computed: decimal(figures.netMinor, currency),
          computedWithTax: decimal(figures.netMinor + figures.taxMinor, currency),
          stated: decimal(statedMinor, currency),
        })),
      },
      score: 0.8,
    },
  };
}
