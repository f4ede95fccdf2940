/**
 * Money in integer minor units (bigint). Amounts cross boundaries as plain decimal strings with
 * exactly the currency's minor-unit digits ("2500.00", JPY "250000", KWD "1.250"); inside, they are
 * bigint counts of the minor unit (cents, fils). Rates are percentage strings ("19", "7.7").
 */
import { ValidationError } from '../../../core/errors.ts';
import { currencyDigits } from './currency.ts';
import {
  compareDecimal,
  divideRounded,
  formatDecimal,
  formatScaled,
  parseDecimal,
  powerOfTen,
  rescaleExact,
  Rounding,
} from './decimal.ts';
import type { DecimalValue } from './decimal.ts';

/** Largest number of fractional digits accepted in a tax rate ("8.875" is fine, "8.87512" is not). */
export const MAX_RATE_DECIMALS = 4;

/**
 * Parses a plain decimal amount into minor units of `currency`.
 *
 * ### Examples
 * `parseDecimalToMinor('2500', 'USD')` → `250000n`; `parseDecimalToMinor('1.25', 'KWD')` → `1250n`;
 * `parseDecimalToMinor('12.345', 'USD')` throws `MONEY_PRECISION_EXCEEDED` (USD has 2 digits).
 * Trailing zeros beyond the currency's digits are accepted (`'5.000'` USD → `500n`).
 */
export function parseDecimalToMinor(value: string, currency: string): bigint {
  const digits = currencyDigits(currency);
  const minor = rescaleExact(parseDecimal(value), digits);
  if (minor === null) {
    throw new ValidationError(
      'MONEY_PRECISION_EXCEEDED',
      `${value} has more decimal places than ${currency} allows (${digits}).`,
      { details: { value, currency, digits } },
    );
  }
  return minor;
}

/**
 * Writes minor units as a decimal string with exactly the currency's digits:
 * `formatMinor(250000n, 'USD')` → "2500.00", `formatMinor(250000n, 'JPY')` → "250000",
 * `formatMinor(-5n, 'KWD')` → "-0.005". A number must be a safe integer.
 */
export function formatMinor(minor: bigint | number, currency: string): string {
  return formatScaled(toBigInt(minor), currencyDigits(currency));
}

/**
 * `minor × ratePercent / 100`, rounded to a whole minor unit. This is how tax is computed from a
 * net amount: `multiplyRate(1250n, '7')` → 88n (87.5 rounded half up).
 */
export function multiplyRate(minor: bigint | number, ratePercent: string, rounding: Rounding = Rounding.halfUp): bigint {
  const rate = parseDecimal(ratePercent);
  return divideRounded(toBigInt(minor) * rate.units, 100n * powerOfTen(rate.scale), rounding);
}

/** `minor × quantity`, rounded to a whole minor unit: `multiplyQuantity(8525n, '1.5')` → 12788n. */
export function multiplyQuantity(minor: bigint | number, quantity: string, rounding: Rounding = Rounding.halfUp): bigint {
  const factor = parseDecimal(quantity);
  return divideRounded(toBigInt(minor) * factor.units, powerOfTen(factor.scale), rounding);
}

/**
 * Validates a tax rate given as a percentage and returns its canonical spelling: "19.0" → "19",
 * "07.50" → "7.5". Accepts 0 to 100 with at most {@link MAX_RATE_DECIMALS} decimals; anything else
 * throws a ValidationError `MONEY_RATE_INVALID`.
 */
export function normalizeTaxRate(ratePercent: string): string {
  let rate: DecimalValue;
  try {
    rate = parseDecimal(ratePercent);
  } catch (error) {
    throw new ValidationError('MONEY_RATE_INVALID', `Tax rate "${ratePercent}" is not a percentage such as 19 or 7.5.`, {
      cause: error,
    });
  }
  const canonical = formatDecimal(rate);
  const simplified = parseDecimal(canonical);
  if (
    simplified.scale > MAX_RATE_DECIMALS ||
    compareDecimal(simplified, { units: 0n, scale: 0 }) < 0 ||
    compareDecimal(simplified, { units: 100n, scale: 0 }) > 0
  ) {
    throw new ValidationError(
      'MONEY_RATE_INVALID',
      `Tax rate "${ratePercent}" must be between 0 and 100 with at most ${MAX_RATE_DECIMALS} decimals.`,
    );
  }
  return canonical;
}

function toBigInt(minor: bigint | number): bigint {
  if (typeof minor === 'bigint') return minor;
  if (!Number.isSafeInteger(minor)) {
    throw new ValidationError('MONEY_AMOUNT_INVALID', `${minor} is not a whole number of minor units.`);
  }
  return BigInt(minor);
}
