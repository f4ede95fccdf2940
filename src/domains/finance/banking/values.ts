/**
 * Amounts and dates as banks write them. Amounts become integer minor units through the shared
 * money code; a value that cannot be read is refused (the caller names the line), never guessed.
 */
import { isCurrency, parseDecimalToMinor } from '../../../ai/draft/money/index.ts';

/** Thousands separators banks use besides "." and ",": apostrophe, spaces (also no-break). */
const groupMarks = /['\u2019 \u00a0\u202f]/g;

/**
 * Reads "1.234,56", "1,234.56", "-12.50", "12,50-", "(12.50)", "+1 234,56 €" as signed minor
 * units. `decimal` fixes the decimal mark; without it, the last of "." and "," is the decimal mark
 * when both appear, and a single mark followed by exactly three digits ("1.234") groups thousands.
 * Returns null when the text is not an amount.
 *
 * ### Examples
 * `parseBankAmount('1.234,56', 'EUR')` → 123456n; `parseBankAmount('(12.50)', 'USD')` → -1250n.
 */
export function parseBankAmount(raw: string, currency: string, decimal?: '.' | ','): bigint | null {
  let text = raw.trim().replace(/\u2212/g, '-');
  if (text === '') return null;
  let negative = false;
  if (/^\(.*\)$/.test(text)) {
    negative = true;
    text = text.slice(1, -1).trim();
  }
  // Currency signs and codes around the number: "€ 12,50", "12.50 EUR", "USD -5".
  text = text.replace(/^[^\d+\-.,]+/u, '').replace(/[^\d\-.,]+$/u, '').trim();
  if (text.startsWith('-') || text.startsWith('+')) {
    negative = negative !== (text[0] === '-');
    text = text.slice(1).trim();
  } else if (text.endsWith('-')) {
    negative = !negative;
    text = text.slice(0, -1).trim();
  }
  text = text.replace(groupMarks, '');
  if (!/^[\d.,]+$/.test(text) || !/\d/.test(text)) return null;
  const mark = decimal ?? decimalMarkOf(text);
  const group = mark === '.' ? ',' : '.';
  const [whole = '', fraction, extra] = mark === null ? [text] : text.split(mark);
  if (extra !== undefined || (fraction !== undefined && !/^\d+$/.test(fraction))) return null;
  // Grouped thousands must be groups of three: "1.234.567" yes, "1.23.4" no.
  if (whole.includes(group) && !new RegExp(`^\\d{1,3}(\\${group}\\d{3})+$`).test(whole)) return null;
  if (!/^\d+$/.test(whole.replaceAll(group, '') || '0')) return null;
  const plain = `${whole.replaceAll(group, '') || '0'}${fraction === undefined ? '' : `.${fraction}`}`;
  let minor: bigint;
  try {
    minor = parseDecimalToMinor(plain, currency);
  } catch {
    return null;
  }
  return negative ? -minor : minor;
}

function decimalMarkOf(text: string): '.' | ',' | null {
  const dot = text.lastIndexOf('.');
  const comma = text.lastIndexOf(',');
  if (dot !== -1 && comma !== -1) return dot > comma ? '.' : ',';
  const index = Math.max(dot, comma);
  if (index === -1) return null;
  const mark = text[index] as '.' | ',';
  const occurrences = text.split(mark).length - 1;
  if (occurrences > 1) return null; // "1.234.567": only grouping
  return text.length - index - 1 === 3 ? null : mark;
}

/** Checks a currency code as files write it ("eur" is EUR). */
export function currencyCode(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const code = raw.trim().toUpperCase();
  return isCurrency(code) ? code : null;
}

const dateTokens = /YYYY|YY|MM|M|DD|D/g;

interface DatePattern {
  regex: RegExp;
  order: ('Y' | 'YY' | 'M' | 'D')[];
}

const patternCache = new Map<string, DatePattern>();

/** Whether a mapping's date format is usable: one year (YYYY or YY), one month (MM or M), one day (DD or D), any separators. */
export function isDateFormat(format: string): boolean {
  const tokens = [...format.matchAll(dateTokens)].map((m) => m[0][0]);
  const rest = format.replace(dateTokens, '');
  return /^[^A-Za-z0-9]*$/.test(rest) && tokens.length === 3 && ['Y', 'M', 'D'].every((c) => tokens.includes(c));
}

function patternOf(format: string): DatePattern {
  let pattern = patternCache.get(format);
  if (pattern !== undefined) return pattern;
  const order: DatePattern['order'] = [];
  let source = '';
  let last = 0;
  for (const match of format.matchAll(dateTokens)) {
    source += escapeRegex(format.slice(last, match.index));
    const token = match[0];
    if (token === 'YYYY') source += '(\\d{4})';
    else if (token === 'YY') source += '(\\d{2})';
    else source += '(\\d{1,2})';
    order.push(token === 'YYYY' ? 'Y' : token === 'YY' ? 'YY' : token.startsWith('M') ? 'M' : 'D');
    last = match.index + token.length;
  }
  source += escapeRegex(format.slice(last));
  // A time after the date ("2026-01-05 10:15", "2026-01-05T10:15:00Z") is ignored.
  pattern = { regex: new RegExp(`^${source}(?:[ T].*)?$`), order };
  patternCache.set(format, pattern);
  return pattern;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A date written in `format` (e.g. "DD/MM/YYYY") as YYYY-MM-DD, or null when the text does not
 * fit the format or is no calendar date (31/02/2026). Two-digit years are 20xx.
 */
export function parseBankDate(raw: string, format = 'YYYY-MM-DD'): string | null {
  const { regex, order } = patternOf(format);
  const match = regex.exec(raw.trim());
  if (match === null) return null;
  let year = 0;
  let month = 0;
  let day = 0;
  order.forEach((part, i) => {
    const value = Number(match[i + 1]);
    if (part === 'Y') year = value;
    else if (part === 'YY') year = 2000 + value;
    else if (part === 'M') month = value;
    else day = value;
  });
  return calendarDate(year, month, day);
}

/** YYYY-MM-DD for a real calendar date, else null. */
export function calendarDate(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || year < 1900 || year > 2999) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}
