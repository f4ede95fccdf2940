/**
 * ISO 4217 currencies and their minor-unit digits, from the `currency-codes` package.
 *
 * Only tender currencies count: precious metals, bond-market units, the SDR, the testing code XTS
 * and "no currency" XXX are in ISO 4217 but nobody invoices in them, so {@link isCurrency} says no.
 * Codes are matched exactly (upper case, as ISO writes them).
 */
import { data as iso4217 } from 'currency-codes';
import { ValidationError } from '../../../core/errors.ts';

const NON_TENDER_CODES: ReadonlySet<string> = new Set([
  'XAG', 'XAU', 'XPD', 'XPT', // metals
  'XBA', 'XBB', 'XBC', 'XBD', // European bond-market units
  'XDR', 'XSU', 'XUA', // SDR, Sucre, ADB unit of account
  'XTS', 'XXX', // testing, no currency
]);

const DIGITS_BY_CODE: ReadonlyMap<string, number> = new Map(
  iso4217.filter((record) => !NON_TENDER_CODES.has(record.code)).map((record) => [record.code, record.digits]),
);

/** True for an ISO 4217 tender currency code written in upper case (`'EUR'`, not `'eur'`). */
export function isCurrency(code: string): boolean {
  return DIGITS_BY_CODE.has(code);
}

/**
 * Number of minor-unit digits of a currency: USD 2, JPY 0, KWD 3.
 * Throws a ValidationError `MONEY_CURRENCY_UNKNOWN` for anything {@link isCurrency} rejects.
 */
export function currencyDigits(code: string): number {
  const digits = DIGITS_BY_CODE.get(code);
  if (digits === undefined) {
    throw new ValidationError('MONEY_CURRENCY_UNKNOWN', `"${code}" is not an ISO 4217 currency code.`, {
      details: { currency: code },
    });
  }
  return digits;
}
