/** Regular shapes of dates and amounts, and the keyword families that label them. */

const MONTHS: Record<string, number> = {};
const MONTH_NAMES: [number, string[]][] = [
  [1, ['JAN', 'JANUARY', 'JANUAR', 'JANVIER', 'JANUARI', 'ENERO', 'GENNAIO', 'STYCZNIA', 'JANEIRO']],
  [2, ['FEB', 'FEBRUARY', 'FEBRUAR', 'FEVRIER', 'FÉVRIER', 'FEBRUARI', 'FEBRERO', 'FEBBRAIO', 'LUTEGO', 'FEVEREIRO']],
  [3, ['MAR', 'MARCH', 'MÄRZ', 'MARZ', 'MARS', 'MAART', 'MAC', 'MARZO', 'MARCA', 'MARÇO']],
  [4, ['APR', 'APRIL', 'AVRIL', 'ABRIL', 'APRILE', 'KWIETNIA']],
  [5, ['MAY', 'MAI', 'MEI', 'MAYO', 'MAGGIO', 'MAJA', 'MAIO']],
  [6, ['JUN', 'JUNE', 'JUNI', 'JUIN', 'JUNIO', 'GIUGNO', 'CZERWCA', 'JUNHO']],
  [7, ['JUL', 'JULY', 'JULI', 'JUILLET', 'JULAI', 'JULIO', 'LUGLIO', 'LIPCA', 'JULHO']],
  [8, ['AUG', 'AUGUST', 'AOUT', 'AOÛT', 'AUGUSTUS', 'OGOS', 'AGOSTO', 'SIERPNIA']],
  [9, ['SEP', 'SEPT', 'SEPTEMBER', 'SEPTEMBRE', 'SEPTIEMBRE', 'SETTEMBRE', 'WRZEŚNIA', 'SETEMBRO']],
  [10, ['OCT', 'OCTOBER', 'OKT', 'OKTOBER', 'OCTOBRE', 'OKTOBER', 'OCTUBRE', 'OTTOBRE', 'PAŹDZIERNIKA', 'OUTUBRO']],
  [11, ['NOV', 'NOVEMBER', 'NOVEMBRE', 'NOVIEMBRE', 'LISTOPADA', 'NOVEMBRO']],
  [12, ['DEC', 'DECEMBER', 'DEZ', 'DEZEMBER', 'DECEMBRE', 'DÉCEMBRE', 'DISEMBER', 'DICIEMBRE', 'DICEMBRE', 'GRUDNIA', 'DEZEMBRO']],
];
for (const [month, names] of MONTH_NAMES) for (const name of names) MONTHS[name] = month;
const MONTH_ALT = Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .join('|');

export const DateShape = {
  dmyNumeric: 'dmy_numeric',
  ymdNumeric: 'ymd_numeric',
  dayMonthName: 'day_month_name',
  monthNameDay: 'month_name_day',
  compact: 'compact',
  compactYmd: 'compact_ymd',
} as const;
export type DateShape = (typeof DateShape)[keyof typeof DateShape];

export interface DateMatch {
  /** As printed (whitespace collapsed). */
  text: string;
  index: number;
  shape: DateShape;
  /** ISO `YYYY-MM-DD` when the parts make a real date; with `order` the day/month order used. */
  iso: string | null;
  /** True when day and month could be swapped (both ≤ 12). */
  ambiguous: boolean;
  /** True when the day/month order was forced by a part greater than 12 (`dmy` or `mdy`). */
  forcedOrder: 'dmy' | 'mdy' | null;
  fourDigitYear: boolean;
}

const DATE_PATTERNS: [DateShape, RegExp][] = [
  [DateShape.ymdNumeric, /(?<![\d])(\d{4})\s?([/.-])\s?(\d{1,2})\2\s?(\d{1,2})(?![\d])/g],
  [DateShape.dmyNumeric, /(?<![\d/.-])(\d{1,2})\s?([/.-])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?![\d])/g],
  [DateShape.dayMonthName, new RegExp(`(?<![\\p{L}\\d])(\\d{1,2})(?:ST|ND|RD|TH)?\\.?[\\s/-]*(${MONTH_ALT})\\.?(?![\\p{L}])[\\s/.,-]*('?\\d{4}|'?\\d{2})(?![\\d])`, 'giu')],
  [DateShape.monthNameDay, new RegExp(`(?<![\\p{L}])(${MONTH_ALT})\\.?\\s+(\\d{1,2})(?:ST|ND|RD|TH)?,?\\s+(\\d{4})(?![\\d])`, 'giu')],
  [DateShape.compact, /(?<![\d])([0-3]\d)([01]\d)(20\d\d)(?![\d])/g],
  [DateShape.compactYmd, /(?<![\d])(20\d\d)([01]\d)([0-3]\d)(?![\d])/g],
];

function expandYear(text: string): number {
  const digits = Number(text.replace("'", ''));
  if (text.replace("'", '').length === 4) return digits;
  return digits >= 70 ? 1900 + digits : 2000 + digits;
}

function iso(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1970 || year > 2099) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCDate() !== day) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * All date-looking spans of a text. Numeric dates are read day-first unless `order` says `mdy`
 * or a part greater than 12 forces the other order.
 */
export function findDates(text: string, order: 'dmy' | 'mdy' = 'dmy'): DateMatch[] {
  const found: DateMatch[] = [];
  const taken: [number, number][] = [];
  for (const [shape, pattern] of DATE_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      const g = (i: number): string => m[i] ?? '';
      let result: Omit<DateMatch, 'text' | 'index' | 'shape'>;
      if (shape === DateShape.ymdNumeric) {
        result = { iso: iso(Number(g(1)), Number(g(3)), Number(g(4))), ambiguous: false, forcedOrder: null, fourDigitYear: true };
      } else if (shape === DateShape.dmyNumeric) {
        const a = Number(g(1));
        const b = Number(g(3));
        const year = expandYear(g(4));
        const forcedOrder = a > 12 && b <= 12 ? 'dmy' : b > 12 && a <= 12 ? 'mdy' : null;
        const useOrder = forcedOrder ?? order;
        result = {
          iso: useOrder === 'dmy' ? iso(year, b, a) : iso(year, a, b),
          ambiguous: a <= 12 && b <= 12 && a !== b,
          forcedOrder,
          fourDigitYear: g(4).length === 4,
        };
      } else if (shape === DateShape.dayMonthName) {
        result = { iso: iso(expandYear(g(3)), MONTHS[g(2).toUpperCase()] ?? 0, Number(g(1))), ambiguous: false, forcedOrder: null, fourDigitYear: g(3).replace("'", '').length === 4 };
      } else if (shape === DateShape.monthNameDay) {
        result = { iso: iso(Number(g(3)), MONTHS[g(1).toUpperCase()] ?? 0, Number(g(2))), ambiguous: false, forcedOrder: null, fourDigitYear: true };
      } else if (shape === DateShape.compactYmd) {
        result = { iso: iso(Number(g(1)), Number(g(2)), Number(g(3))), ambiguous: false, forcedOrder: null, fourDigitYear: true };
        if (result.iso === null) continue;
      } else {
        result = { iso: iso(Number(g(3)), Number(g(2)), Number(g(1))), ambiguous: false, forcedOrder: null, fourDigitYear: true };
        if (result.iso === null) continue;
      }
      taken.push([start, end]);
      found.push({ text: m[0].replace(/\s+/g, ' ').trim(), index: start, shape, ...result });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

export interface AmountMatch {
  /** As printed, with the currency mark when one is attached (`RM 9.00`, `$8.20`, `9.00`). */
  text: string;
  /** The number alone as printed (`9.00`). */
  numberText: string;
  prefix: string;
  index: number;
  value: number;
  /** Integer minor units (2 decimals). */
  minor: number;
}

const CURRENCY_MARK = String.raw`RM|MYR|USD|EUR|GBP|SGD|PLN|CHF|S\$|US\$|\$|€|£|¥|zł`;
const AMOUNT = new RegExp(
  String.raw`(?<![\p{L}\d.,/])(?:(${CURRENCY_MARK})\s?)?(-\s?)?((?:\d{1,3}(?:[,.' ]\d{3})+|\d+)[.,]\d{2})(?![\d]|[.,]\d)(?!\s?%)`,
  'giu',
);

/** Parses `1,234.56`, `1.234,56`, `1 234,56`, `9.00` into a number (null when not an amount). */
export function parseAmount(numberText: string): number | null {
  const cleaned = numberText.replace(/\s+/g, '');
  const match = /^(-?)([\d.,']*?)[.,](\d{2})$/.exec(cleaned);
  if (match === null) return null;
  const whole = (match[2] ?? '').replace(/[.,']/g, '');
  const value = Number(`${whole === '' ? '0' : whole}.${match[3] ?? '00'}`);
  if (!Number.isFinite(value)) return null;
  return match[1] === '-' ? -value : value;
}

/** Money-looking spans with two decimals, with an attached currency mark when present. */
export function findAmounts(text: string): AmountMatch[] {
  const found: AmountMatch[] = [];
  for (const m of text.matchAll(AMOUNT)) {
    const prefix = m[1] ?? '';
    const negative = m[2] !== undefined;
    const numberText = `${negative ? '-' : ''}${m[3] ?? ''}`;
    const value = parseAmount(numberText);
    if (value === null) continue;
    found.push({
      text: m[0].replace(/\s+/g, ' ').trim(),
      numberText,
      prefix: prefix.toUpperCase(),
      index: m.index,
      value,
      minor: Math.round(value * 100),
    });
  }
  return found;
}

/** Currency codes recognised from marks and words. */
export function currencyOf(mark: string): string | null {
  const upper = mark.toUpperCase();
  const table: Record<string, string> = {
    RM: 'MYR', MYR: 'MYR', USD: 'USD', US$: 'USD', $: 'USD', EUR: 'EUR', '€': 'EUR', GBP: 'GBP', '£': 'GBP',
    SGD: 'SGD', S$: 'SGD', PLN: 'PLN', ZŁ: 'PLN', CHF: 'CHF', '¥': 'JPY', JPY: 'JPY', INR: 'INR', '₹': 'INR',
    AUD: 'AUD', CAD: 'CAD', NZD: 'NZD', HKD: 'HKD', IDR: 'IDR', THB: 'THB', PHP: 'PHP', CNY: 'CNY',
  };
  return table[upper] ?? null;
}

/** Keyword families. Each is tested against upper-cased text. */
export const KEYWORDS = {
  total: /\b(TOTAL|TOTAAL|GESAMT\w*|SUMME|RAZEM|NALE[ŻZ]NO[ŚS][ĆC]|MONTANT|AMOUNT|AMT|JUMLAH|BALANCE|DUE|PAYABLE|NETT?|GRAND)\b/,
  // "Sub-total:" is not a strong total: the TOTAL alternatives that could end one look behind for SUB.
  totalStrong: /(GRAND\s*TOTAL|NETT?\s*TOTAL|(?<!SUB\s*-?\s*)TOTAL\s*(AMOUNT|AMT|DUE|PAYABLE|SALES?|INCL|\(RM\)|RM|:)|ROUND(ED|ING)?\s*\w*\s*TOTAL|(?<!SUB\s*-?\s*)TOTAL\s*$|^TOTAL|AMOUNT\s*DUE|BALANCE\s*DUE|TOTAAL|GESAMTBETRAG|RAZEM|NALE[ŻZ]NO[ŚS][ĆC])/,
  subtotal: /\b(SUB\s*-?\s*TOTAL|SUBTOTAAL|ZWISCHENSUMME|NETTO|EXCL(USIEF|\.)?\s*(BTW|VAT|GST|TAX)?|UNTAXED|BEFORE\s+TAX|EXCLUDING)\b/,
  tax: /\b(GST|SST|VAT|TAX|BTW|MWST|UST|IVA|TVA|PODATEK)\b/,
  rounding: /\b(ROUND(ING)?\s*(ADJ|ADJUSTMENT)|ADJ(USTMENT)?|RND|ROUNDING)\b/,
  cash: /\b(CASH|TUNAI|TENDER(ED)?|PAID|PAYMENT|CARD|VISA|MASTER|CREDIT|DEBIT|RECEIVED)\b/,
  change: /\b(CHANGE|BAKI|BALANCE\s*CHANGE|KEMBALI)\b/,
  discount: /\b(DISC(OUNT)?|SAVINGS?|VOUCHER|REBATE|LESS)\b/,
  quantity: /\b(QTY|QUANTITY|PCS?|UNIT|X\s*\d)\b/,
  date: /\b(DATE|DATED|TARIKH|DATUM|DATA|FECHA|RECHNUNGSDATUM|FACTUURDATUM|INVOICE\s*DATE|ISSUED?)\b/,
  dueDate: /\b(DUE|F[ÄA]LLIG|VERVALDATUM|ZAHLUNGSZIEL|PAYMENT\s+DUE|TERMIN|PAY\s+BY)\b/,
  notIssueDate: /\b(DUE|EXP(IRY|IRES?)?|VALID|ORDER\s*DATE|ORDERDATUM|DELIVERY|LIEFER|PRINTED|BIRTH)\b/,
} as const;
