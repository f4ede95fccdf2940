/**
 * Numbers as people write them: "2,500", "2500.75", "1.200,50" (European), "1 200,50",
 * "3'200" (Swiss), "1,50,000" (Indian grouping).
 *
 * Rules, in order:
 * - spaces and apostrophes only ever group digits;
 * - with both "." and "," the one written last is the decimal separator;
 * - a separator written more than once groups digits;
 * - a single separator followed by exactly three digits groups digits ("1,200", "€1.200" → 1200),
 *   except a "." after a lone "0" ("0.125"), or a "." in a currency with three or more minor
 *   digits ("BHD 1.250" → 1.250), which are decimal points. Only "," in a currency with up to two
 *   minor digits is certain ("$2,500"); the other readings are marked ambiguous;
 * - any other single separator is the decimal point ("2,5" → 2.5, "85.50").
 */
import type { DecimalValue } from './money/index.ts';

export interface ReadNumber {
  readonly value: DecimalValue;
  /** True when the reading relied on the "three digits after one separator" rule. */
  readonly ambiguous: boolean;
}

/** Reads a written number; null when its separators make no sense ("1.2.3", "1,2,3"). */
export function readNumber(written: string, currencyDigits: number | null): ReadNumber | null {
  const hasSpaceGrouping = /[ ']/.test(written);
  const compact = written.replace(/[ ']/g, '');
  if (!/^\d[\d.,]*$/.test(compact) || /[.,]$/.test(compact)) return null;
  const lastDot = compact.lastIndexOf('.');
  const lastComma = compact.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    const decimalSeparator = lastDot > lastComma ? '.' : ',';
    const groupSeparator = decimalSeparator === '.' ? ',' : '.';
    const decimalAt = Math.max(lastDot, lastComma);
    const whole = compact.slice(0, decimalAt);
    const fraction = compact.slice(decimalAt + 1);
    if (whole.includes(decimalSeparator) || !validGrouping(whole.split(groupSeparator))) return null;
    return exact(whole.replaceAll(groupSeparator, ''), fraction);
  }
  const separator = lastDot >= 0 ? '.' : lastComma >= 0 ? ',' : null;
  if (separator === null) return exact(compact, '');
  const parts = compact.split(separator);
  if (hasSpaceGrouping) {
    // "1 200,50": the spaces grouped, so the one separator left is the decimal point.
    return parts.length === 2 ? exact(parts[0] ?? '', parts[1] ?? '') : null;
  }
  if (parts.length > 2) return validGrouping(parts) ? exact(parts.join(''), '') : null;
  const [whole = '', fraction = ''] = parts;
  if (fraction.length !== 3 || (separator === '.' && whole === '0')) return exact(whole, fraction);
  // One separator and three digits. "2,500" is grouping wherever the currency has up to two minor
  // digits. "12.345" is grouping too (European), but could be a mistyped decimal, so it is marked
  // ambiguous, as is anything in a currency with three or more minor digits (or none known yet).
  const ambiguous = currencyDigits === null || currencyDigits >= 3 || separator === '.';
  if (separator === '.' && currencyDigits !== null && currencyDigits >= 3) return { value: toDecimal(whole, fraction), ambiguous };
  return { value: toDecimal(whole + fraction, ''), ambiguous };
}

/** Groups after the first have three digits, or two (Indian lakh/crore) before a final three. */
function validGrouping(groups: readonly string[]): boolean {
  if (groups.length < 2) return true;
  const [first = '', ...rest] = groups;
  if (first.length === 0 || first.length > 3) return false;
  const last = rest[rest.length - 1] ?? '';
  return last.length === 3 && rest.slice(0, -1).every((group) => group.length === 3 || group.length === 2);
}

function exact(whole: string, fraction: string): ReadNumber | null {
  if (whole.length === 0) return null;
  return { value: toDecimal(whole, fraction), ambiguous: false };
}

function toDecimal(whole: string, fraction: string): DecimalValue {
  return { units: BigInt(whole + fraction), scale: fraction.length };
}
