/**
 * The records as a reader sees them: money with its currency ("$1,250.00"), dates in words
 * ("March 14, 2026"), statuses in words. Built fresh for every draft; the records are not changed.
 *
 * Money: in an object with a `currency` (or under an ancestor with one, or `business.currency`),
 * a key ending in `Minor`/`_minor` holding an integer is minor units (`totalMinor: 125000` →
 * `total: "$1,250.00"`), and a money-named key (`total`, `amount`, `amountDue`, `price`, …)
 * holding a plain decimal ("1250.00" or 1250) is major units. Without a known currency such an
 * amount is left out rather than shown as a bare number.
 * Dates: a date-named key (`dueDate`, `issueDate`, `paidAt`, `date`, `validUntil`, …) holding an
 * ISO date or instant (or a Date, or epoch milliseconds for `…At`) becomes words in the locale.
 */
import { currencyDigits, formatMinor, isCurrency, parseDecimalToMinor } from '../draft/index.ts';

export interface FormatSettings {
  locale: string;
  timeZone: string;
}

const minorKey = /^(.+?)(?:Minor|_minor)$/;
const moneyKey = /^(?:total|subtotal|amount|balance|price|tax|fee|paid|outstanding)$|(?:Total|Amount|Balance|Price|Tax|Fee|Paid|Due|Outstanding|_total|_amount|_balance|_price|_tax|_fee|_paid|_due|_outstanding)$/;
const rateKey = /(?:^rate|Rate|_rate|[Pp]ercent(?:age)?|_percent(?:age)?|Pct|_pct|^discount|Discount|_discount)$/;
const dateKey = /^(?:date|due|until|since)$|(?:Date|_date|At|_at|On|_on|Until|_until|Since|_since)$/;
const instantKey = /(?:At|_at)$/;
const plainDecimal = /^-?\d+(?:\.\d+)?$/;
const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?$/;
const maxDepth = 8;

/** Whether a record field holds an amount or a rate (`total`, `amountDue`, `taxRate`, `discountPercent`). */
export function isAmountKey(key: string): boolean {
  return moneyKey.test(key) || rateKey.test(key);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** "$1,250.00" for the decimal string "1250.00" in USD (exact: no float on the way). */
export function formatMoney(decimal: string, currency: string, locale: string): string {
  const digits = currencyDigits(currency);
  return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
    decimal as Intl.StringNumericLiteral,
  );
}

/** Money in minor units as a decimal string in major units, or undefined if it is not money. */
export function minorToDecimal(value: unknown, currency: string): string | undefined {
  if (typeof value === 'bigint') return formatMinor(value, currency);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return formatMinor(value, currency);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return formatMinor(BigInt(value), currency);
  return undefined;
}

/** A major-unit amount as a decimal string valid for the currency, or undefined. */
export function majorToDecimal(value: unknown, currency: string): string | undefined {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined || !plainDecimal.test(text)) return undefined;
  try {
    return formatMinor(parseDecimalToMinor(text, currency), currency);
  } catch {
    return undefined; // more decimals than the currency has: not an amount we can state
  }
}

/** A calendar date or an instant in words ("March 14, 2026"), or undefined if it is neither. */
export function readableDate(value: unknown, key: string, settings: FormatSettings): string | undefined {
  let instant: Date | undefined;
  let zone = settings.timeZone;
  if (typeof value === 'string' && isoDate.test(value)) {
    instant = new Date(`${value}T00:00:00Z`);
    zone = 'UTC'; // a calendar date is the same day everywhere
    if (instant.toISOString().slice(0, 10) !== value) return undefined; // 2026-02-30
  } else if (typeof value === 'string' && isoInstant.test(value)) {
    instant = new Date(/(?:Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`);
  } else if (value instanceof Date) {
    instant = value;
  } else if (typeof value === 'number' && instantKey.test(key) && Number.isSafeInteger(value) && value > 0) {
    instant = new Date(value);
  }
  if (instant === undefined || Number.isNaN(instant.getTime())) return undefined;
  return new Intl.DateTimeFormat(settings.locale, { dateStyle: 'long', timeZone: zone }).format(instant);
}

/** "partially_paid" → "partially paid". */
export function statusText(status: string): string {
  return status.replace(/[_-]+/g, ' ').trim().toLowerCase();
}

/** The records with readable money, dates and statuses, as the templates and the LLM see them. */
export function displayRecords(records: Record<string, unknown>, settings: FormatSettings): Record<string, unknown> {
  const business = records['business'];
  const fallbackCurrency = isPlainObject(business) ? currencyOf(business['currency']) : undefined;
  return displayObject(records, fallbackCurrency, settings, 0);
}

function currencyOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const code = value.trim().toUpperCase();
  return isCurrency(code) ? code : undefined;
}

function displayValue(value: unknown, currency: string | undefined, settings: FormatSettings, depth: number): unknown {
  if (depth >= maxDepth) return undefined;
  if (Array.isArray(value)) return value.map((item) => displayValue(item, currency, settings, depth + 1));
  if (isPlainObject(value)) return displayObject(value, currency, settings, depth + 1);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

function displayObject(source: Record<string, unknown>, inherited: string | undefined, settings: FormatSettings, depth: number): Record<string, unknown> {
  const currency = currencyOf(source['currency']) ?? inherited;
  const out: Record<string, unknown> = {};
  const set = (key: string, value: unknown): void => {
    // defineProperty: a "__proto__" key in the records must stay a plain key.
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  };
  for (const [key, value] of Object.entries(source)) {
    if (dateKey.test(key)) {
      const words = readableDate(value, key, settings);
      if (words !== undefined) {
        set(key, words);
        continue;
      }
    }
    if (moneyKey.test(key) && (typeof value === 'number' || (typeof value === 'string' && plainDecimal.test(value.trim())))) {
      const decimal = currency === undefined ? undefined : majorToDecimal(value, currency);
      set(key, decimal === undefined || currency === undefined ? undefined : formatMoney(decimal, currency, settings.locale));
      continue;
    }
    set(key, displayValue(value, currency, settings, depth));
    if (key === 'status' && typeof value === 'string') set('statusText', statusText(value));
  }
  // Minor units win over a major-unit field of the same name: they are the stored truth.
  for (const [key, value] of Object.entries(source)) {
    const base = minorKey.exec(key)?.[1];
    if (base === undefined || currency === undefined) continue;
    const decimal = minorToDecimal(value, currency);
    if (decimal !== undefined) set(base, formatMoney(decimal, currency, settings.locale));
  }
  return out;
}

/**
 * The display name in a From header, if it looks like a name: `"Jane Smith" <jane@example.com>`
 * → "Jane Smith". At most four words of letters (a dot only after an initial or a title such as
 * "Dr."), so a crafted display name cannot carry an amount, a link or a sentence into the greeting.
 */
export function senderName(from: string | undefined): string | undefined {
  if (from === undefined) return undefined;
  const match = /^\s*"?([^"<]*?)"?\s*<[^>]*>\s*$/.exec(from);
  const name = (match?.[1] ?? '').replace(/\s+/g, ' ').trim();
  const words = name.split(' ');
  if (name === '' || name.length > 40 || words.length > 4) return undefined;
  const nameWord = /^\p{L}[\p{L}\p{M}'’-]*\.?$/u;
  return words.every((word) => nameWord.test(word) && (!word.endsWith('.') || word.length <= 4)) ? name : undefined;
}

/** The value at a dotted path, or undefined. Only own keys of plain objects are read. */
export function valueAt(root: unknown, path: string): unknown {
  let current = root;
  for (const key of path.split('.')) {
    if (!isPlainObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/** Sets a dotted path, creating (or replacing non-object) parents. `root` must be ours to change. */
export function setAt(root: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let current = root;
  keys.forEach((key, index) => {
    if (index === keys.length - 1) {
      Object.defineProperty(current, key, { value, enumerable: true, writable: true, configurable: true });
      return;
    }
    const next = Object.hasOwn(current, key) ? current[key] : undefined;
    const child = isPlainObject(next) ? next : {};
    if (child !== next) Object.defineProperty(current, key, { value: child, enumerable: true, writable: true, configurable: true });
    current = child;
  });
}

export function isEmptySlot(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** A copy without minor-unit fields, whose readable twins are present: what the LLM is shown. */
export function withoutMinorUnits(value: unknown, depth = 0): unknown {
  if (depth > maxDepth) return undefined;
  if (Array.isArray(value)) return value.map((item) => withoutMinorUnits(item, depth + 1));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (minorKey.test(key) || item === undefined) continue;
    Object.defineProperty(out, key, { value: withoutMinorUnits(item, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
