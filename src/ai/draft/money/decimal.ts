/**
 * Exact decimal arithmetic on bigint, for money, quantities and percentages. No floats anywhere:
 * a decimal is an integer count of 10^-scale steps.
 */
import { ValidationError } from '../../../core/errors.ts';

/**
 * How a result that falls between two minor units is settled.
 * - `half-up`: halves go away from zero (2.5 → 3, -2.5 → -3). Commercial rounding; the default.
 * - `half-even`: halves go to the even neighbour (2.5 → 2, 3.5 → 4). Banker's rounding.
 * Anything that is not a half goes to the nearest neighbour in both modes.
 */
export const Rounding = {
  halfUp: 'half-up',
  halfEven: 'half-even',
} as const;
export type Rounding = (typeof Rounding)[keyof typeof Rounding];

/** An exact decimal: `units / 10^scale`. `{ units: 1250n, scale: 2 }` is 12.50. */
export interface DecimalValue {
  readonly units: bigint;
  readonly scale: number;
}

const DECIMAL_PATTERN = /^(-)?(\d+)(?:\.(\d+))?$/;

/** 10^exponent as a bigint. */
export function powerOfTen(exponent: number): bigint {
  return 10n ** BigInt(exponent);
}

/**
 * Parses a plain decimal string: optional minus, digits, optional dot and digits. No grouping,
 * no exponent, no spaces. Throws a ValidationError `MONEY_AMOUNT_INVALID` otherwise.
 */
export function parseDecimal(value: string): DecimalValue {
  const match = DECIMAL_PATTERN.exec(value);
  if (match === null) {
    throw new ValidationError('MONEY_AMOUNT_INVALID', `"${value}" is not a plain decimal number such as 2500 or 12.50.`);
  }
  const [, sign, whole = '0', fraction = ''] = match;
  const magnitude = BigInt(whole + fraction);
  return { units: sign === '-' ? -magnitude : magnitude, scale: fraction.length };
}

/** Drops trailing fractional zeros: 19.50 (1950/2) → 19.5 (195/1); 7.000 → 7. */
export function simplifyDecimal(value: DecimalValue): DecimalValue {
  let { units, scale } = value;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return { units, scale };
}

/** The shortest plain string for a decimal: `{1950n, 2}` → "19.5", `{3n, 0}` → "3". */
export function formatDecimal(value: DecimalValue): string {
  const { units, scale } = simplifyDecimal(value);
  return formatScaled(units, scale);
}

/** Writes `units / 10^scale` with exactly `scale` fractional digits: (-5n, 2) → "-0.05". */
export function formatScaled(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}`;
}

/**
 * `numerator / denominator` rounded to an integer with the given rounding. The denominator must be
 * positive.
 */
export function divideRounded(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  if (denominator <= 0n) throw new RangeError('divideRounded needs a positive denominator');
  const quotient = numerator / denominator; // truncates toward zero
  const remainder = numerator % denominator; // has the sign of the numerator
  if (remainder === 0n) return quotient;
  const twiceRemainder = (remainder < 0n ? -remainder : remainder) * 2n;
  const awayFromZero = numerator < 0n ? quotient - 1n : quotient + 1n;
  if (twiceRemainder > denominator) return awayFromZero;
  if (twiceRemainder < denominator) return quotient;
  switch (rounding) {
    case Rounding.halfUp:
      return awayFromZero;
    case Rounding.halfEven:
      return quotient % 2n === 0n ? quotient : awayFromZero;
    default: {
      const unknown: never = rounding;
      throw new RangeError(`Unknown rounding ${String(unknown)}`);
    }
  }
}

/**
 * Re-expresses a decimal with `scale` fractional digits, exactly. Returns null when that would lose
 * digits (12.345 at scale 2).
 */
export function rescaleExact(value: DecimalValue, scale: number): bigint | null {
  if (value.scale <= scale) return value.units * powerOfTen(scale - value.scale);
  const divisor = powerOfTen(value.scale - scale);
  return value.units % divisor === 0n ? value.units / divisor : null;
}

/** Compares two decimals: negative, zero or positive like a sort comparator. */
export function compareDecimal(left: DecimalValue, right: DecimalValue): number {
  const scale = Math.max(left.scale, right.scale);
  const a = left.units * powerOfTen(scale - left.scale);
  const b = right.units * powerOfTen(scale - right.scale);
  return a === b ? 0 : a < b ? -1 : 1;
}
