/**
 * Money in integer minor units: the public surface. The draft parser uses it and the finance
 * domain is meant to reuse it, so that drafts and saved documents compute totals the same way.
 */
export { currencyDigits, isCurrency } from './currency.ts';
export { Rounding, compareDecimal, divideRounded, formatDecimal, parseDecimal, powerOfTen, rescaleExact } from './decimal.ts';
export type { DecimalValue } from './decimal.ts';
export {
  MAX_RATE_DECIMALS,
  formatMinor,
  multiplyQuantity,
  multiplyRate,
  normalizeTaxRate,
  parseDecimalToMinor,
} from './arithmetic.ts';
export { computeTotals, lineAmounts, netPriceForGross } from './totals.ts';
export type { DocumentTotals, LineAmounts, NetPriceForGross, PricedLine } from './totals.ts';
