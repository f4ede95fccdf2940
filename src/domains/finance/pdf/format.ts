/**
 * Numbers, money and dates as a reader of the document expects them, in the document's locale.
 * Every value arrives as an exact decimal string and goes to Intl as a string, so nothing passes
 * through a float: "0.10" + "0.20" is never computed here, and 12345678901234.56 prints exactly.
 */
import { currencyDigits, formatDecimal, parseDecimal } from '../../../ai/draft/money/index.ts';

export interface DocumentFormat {
  /** "$1,200.50", "1.200,50 €", "¥1,500": always the currency's minor-unit digits. */
  money(decimal: string): string;
  /** Like {@link money}, but keeps extra digits a unit price was given with ("€0.125"). */
  unitPrice(decimal: string): string;
  /** "2.5" → "2.5" (en-US), "2,5" (de-DE); never rounded. */
  quantity(decimal: string): string;
  /** "19" → "19%" (en-US), "19 %" (de-DE). */
  percent(decimal: string): string;
  /** "2026-03-14" → "Mar 14, 2026" (en-US), "14.03.2026" (de-DE). */
  date(isoDate: string): string;
}

/** Intl never rounds below this many fraction digits; validation keeps inputs well inside it. */
const MAX_FRACTION_DIGITS = 20;

/**
 * Fullwidth currency signs that some locales print (ja-JP "￥") and the embedded DejaVu font
 * does not have: mapped to the ordinary sign, which it has, so no box is printed instead.
 */
const FULLWIDTH_SIGNS: ReadonlyMap<string, string> = new Map([
  ['\uFFE0', '\u00A2'],
  ['\uFFE1', '\u00A3'],
  ['\uFFE5', '\u00A5'],
  ['\uFFE6', '\u20A9'],
]);

function printable(text: string): string {
  return text.replace(/[\uFFE0\uFFE1\uFFE5\uFFE6]/g, (sign) => FULLWIDTH_SIGNS.get(sign) ?? sign);
}

/** Decimal places written in a plain decimal string: "12.500" → 3. */
export function decimalPlaces(decimal: string): number {
  return parseDecimal(decimal).scale;
}

/** The formatter for one document. `locale` and `currency` must already be valid. */
export function documentFormat(locale: string, currency: string): DocumentFormat {
  const digits = currencyDigits(currency);
  const moneyFormat = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  const unitPriceFormats = new Map<number, Intl.NumberFormat>();
  const quantityFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: MAX_FRACTION_DIGITS });
  const percentFormat = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: MAX_FRACTION_DIGITS });
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });

  const unitPriceFormat = (places: number): Intl.NumberFormat => {
    let format = unitPriceFormats.get(places);
    if (format === undefined) {
      format = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: places });
      unitPriceFormats.set(places, format);
    }
    return format;
  };

  return {
    money: (decimal) => printable(moneyFormat.format(decimal as Intl.StringNumericLiteral)),
    unitPrice: (decimal) =>
      printable(unitPriceFormat(Math.max(digits, decimalPlaces(decimal))).format(decimal as Intl.StringNumericLiteral)),
    quantity: (decimal) => quantityFormat.format(decimal as Intl.StringNumericLiteral),
    percent: (decimal) => {
      // Intl's percent style multiplies by 100: move the decimal point instead of dividing a float.
      const { units, scale } = parseDecimal(decimal);
      return percentFormat.format(formatDecimal({ units, scale: scale + 2 }) as Intl.StringNumericLiteral);
    },
    date: (isoDate) => dateFormat.format(new Date(`${isoDate}T00:00:00Z`)),
  };
}

/** An IBAN in groups of four, as printed on paper: "DE89 3704 0044 0532 0130 00". */
export function groupIban(iban: string): string {
  const compact = iban.replace(/\s+/g, '').toUpperCase();
  return compact.replace(/(.{4})(?=.)/g, '$1 ');
}
