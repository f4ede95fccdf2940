/**
 * Money amounts as written: "$2,500", "2,500 USD", "USD 2500", "€1.200,50", "1 200,50 €",
 * "CHF 3'200", "$12k", "1.5m EUR", "£150", "¥250000", "JPY 250000", "₹1,50,000", "-£20".
 *
 * An amount needs a currency (symbol or ISO code) next to it. Only when the sentence has none at
 * all are plain numbers ("Invoice Acme 500 for design", "12k") taken as amounts in the default
 * currency, with low confidence. "$" means the default currency when that is a dollar currency
 * (CAD, AUD, ...), else USD; "¥" means CNY when that is the default, else JPY.
 */
import { currencyDigits, isCurrency, powerOfTen } from './money/index.ts';
import type { DecimalValue } from './money/index.ts';
import { DraftErrorCode, draftError } from './errors.ts';
import { readNumber } from './number-notation.ts';
import { MASK } from './text.ts';
import type { MaskedText, Span } from './text.ts';

export interface MoneyToken {
  readonly span: Span;
  /** Absolute value in major units (12.5 is 12.50 of the currency). */
  readonly amount: DecimalValue;
  readonly negative: boolean;
  readonly currency: string;
  readonly currencyConfidence: number;
  readonly amountConfidence: number;
}

const FIXED_SYMBOLS: ReadonlyMap<string, string> = new Map([
  ['US$', 'USD'], ['A$', 'AUD'], ['AU$', 'AUD'], ['C$', 'CAD'], ['CA$', 'CAD'], ['NZ$', 'NZD'],
  ['HK$', 'HKD'], ['S$', 'SGD'], ['R$', 'BRL'], ['MX$', 'MXN'], ['€', 'EUR'], ['£', 'GBP'],
  ['₹', 'INR'], ['₩', 'KRW'], ['₽', 'RUB'], ['₺', 'TRY'], ['₪', 'ILS'], ['₱', 'PHP'], ['฿', 'THB'],
  ['₫', 'VND'], ['₦', 'NGN'], ['₴', 'UAH'], ['₡', 'CRC'], ['₲', 'PYG'], ['zł', 'PLN'], ['Kč', 'CZK'],
]);
const DOLLAR_CURRENCIES: ReadonlySet<string> = new Set(['USD', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD', 'MXN', 'TWD']);
/** Codes accepted in lower case too; other lower-case words ("all", "try", "top") are words. */
const LOWER_CASE_CODES = ['usd', 'eur', 'gbp', 'chf', 'jpy', 'cad', 'aud', 'inr'];
/** Capitalised three-letter words that sit next to numbers without being currencies. */
const NOT_CURRENCY = new Set([
  'LLC', 'LTD', 'INC', 'PLC', 'VAT', 'GST', 'HST', 'PST', 'QST', 'TAX', 'SEO', 'EOM', 'INV', 'REF', 'PDF',
  'API', 'CEO', 'CTO', 'CFO', 'HRS', 'PCS', 'QTY', 'NET', 'DUE', 'SKU', 'KPI', 'ROI', 'CRM', 'ERP', 'SMS',
  'AWS', 'USA', 'NYC', 'FAQ', 'DIY', 'ATM', 'PPC', 'SSL', 'DNS', 'VPN', 'CMS',
]);

const SYMBOL = [...FIXED_SYMBOLS.keys(), '$', '¥']
  .sort((a, b) => b.length - a.length)
  .map((symbol) => symbol.replace(/[$]/g, '\\$'))
  .join('|');
const CURRENCY_MARK = String.raw`${SYMBOL}|[A-Z]{3}(?![\p{L}])|(?:${LOWER_CASE_CODES.join('|')})(?![\p{L}])`;
const NUMBER = /(?<![\p{N}.,'])\d+(?:(?:[.,']|[ ](?=\d{3}(?!\d)))\d+)*/gu;
const LEFT = new RegExp(String.raw`(?:^|[^\p{L}\p{N}])(?<body>(?<sign1>-)?(?<mark>${CURRENCY_MARK})\s?(?<sign2>-)?)$`, 'u');
const RIGHT = new RegExp(
  String.raw`^(?<multiplier>[kK](?![\p{L}\p{N}])|[mM](?![\p{L}\p{N}])|bn(?![\p{L}\p{N}])| (?:thousand|million|billion)(?![\p{L}]))?(?<suffix>\s?(?<mark>${CURRENCY_MARK}))?`,
  'u',
);
/** What may follow a plain number for it to count as an amount when nothing else does. */
const PLAIN_FOLLOWER = new RegExp(
  String.raw`^(?:\s*$|\s*[,;.!?)+/${MASK}]|\s+(?:for|and|plus|incl|including|excl|excluding|due|payable|with|each|per|an?|on|to)\b)`,
  'u',
);
const TYPED_TOTAL = /\b(?:(?:sub|grand\s+)?total|balance(?:\s+due)?|amount\s+due)\s*(?:[:=]|of|is)?\s*$/i;
const MULTIPLIER_DIGITS: Readonly<Record<string, number>> = { k: 3, thousand: 3, m: 6, million: 6, bn: 9, billion: 9 };

/** `ambiguous`: a symbol shared by several currencies ("$", "¥"), which a written code may settle. */
type Mark = { readonly currency: string; readonly confidence: number; readonly ambiguous: boolean } | { readonly unknown: string } | null;

/**
 * Finds every amount and masks it. Throws DRAFT_CURRENCY_UNKNOWN ("XYZ 100" and no real currency
 * anywhere) and DRAFT_CURRENCY_MIXED ("$500 and €300"). Returns [] when there is no amount.
 */
export function extractAmounts(text: MaskedText, defaultCurrency: string): MoneyToken[] {
  const marked: MoneyToken[] = [];
  const plain: MoneyToken[] = [];
  const unknown: string[] = [];
  for (const match of text.matchAll(NUMBER)) {
    const numberStart = match.index;
    const numberEnd = numberStart + match[0].length;
    const before = text.masked.slice(0, numberStart);
    const after = text.masked.slice(numberEnd);
    const left = LEFT.exec(before);
    const right = RIGHT.exec(after);
    const leftMark = classify(left?.groups?.['mark'], defaultCurrency);
    const rightMark = classify(right?.groups?.['mark'], defaultCurrency);
    const multiplier = right?.groups?.['multiplier'] ?? '';
    const currency = combine(leftMark, rightMark);
    if (currency !== null && 'unknown' in currency) {
      unknown.push(currency.unknown);
      continue;
    }
    const negative = left?.groups?.['sign1'] !== undefined || left?.groups?.['sign2'] !== undefined || (!left && /(?:^|[^\p{L}\p{N}])-$/u.test(before));
    const currencyCode = currency?.currency ?? defaultCurrency;
    const read = readNumber(match[0], digitsOf(currencyCode));
    if (read === null) continue;
    const amount = applyMultiplier(read.value, multiplier.trim().toLowerCase());
    const amountConfidence = read.ambiguous ? 0.8 : 1;
    if (currency !== null) {
      const start = isKnown(leftMark) ? numberStart - (left?.groups?.['body'] ?? '').length : negative ? numberStart - 1 : numberStart;
      const end = numberEnd + multiplier.length + (isKnown(rightMark) ? (right?.groups?.['suffix'] ?? '').length : 0);
      marked.push({ span: { start, end }, amount, negative, currency: currency.currency, currencyConfidence: currency.confidence, amountConfidence });
    } else if (!/[\p{L}#/:.-]$/u.test(before) && PLAIN_FOLLOWER.test(after.slice(multiplier.length))) {
      const span = { start: numberStart, end: numberEnd + multiplier.length };
      plain.push({ span, amount, negative: false, currency: defaultCurrency, currencyConfidence: 0.5, amountConfidence: 0.6 });
    }
  }
  let tokens = marked;
  if (marked.length === 0) {
    const [firstUnknown] = unknown;
    if (firstUnknown !== undefined) {
      throw draftError(
        DraftErrorCode.currencyUnknown,
        `"${firstUnknown}" is not a currency code. Write an ISO 4217 code such as USD or EUR, or a symbol such as $ or €.`,
        { path: 'currency', currency: firstUnknown },
      );
    }
    tokens = plain;
  }
  const currencies = [...new Set(tokens.map((token) => token.currency))];
  if (currencies.length > 1) {
    throw draftError(
      DraftErrorCode.currencyMixed,
      `The sentence mixes currencies (${currencies.join(', ')}); a document has one currency.`,
      { path: 'currency', currencies },
    );
  }
  tokens = withoutTypedTotals(text, tokens);
  for (const token of tokens) text.mask(token.span.start, token.span.end);
  return tokens;
}

/**
 * "total $0", "balance due $10": totals are computed, never typed, so an amount written as a total
 * is not a line, unless it is the only amount in the sentence ("Invoice Acme total $500").
 */
function withoutTypedTotals(text: MaskedText, tokens: readonly MoneyToken[]): MoneyToken[] {
  const typed = tokens.filter((token) => TYPED_TOTAL.test(text.masked.slice(0, token.span.start)));
  if (typed.length === 0 || typed.length === tokens.length) return [...tokens];
  for (const token of typed) {
    const keyword = TYPED_TOTAL.exec(text.masked.slice(0, token.span.start));
    text.mask(keyword?.index ?? token.span.start, token.span.end);
  }
  return tokens.filter((token) => !typed.includes(token));
}

function classify(mark: string | undefined, defaultCurrency: string): Mark {
  if (mark === undefined) return null;
  const fixed = FIXED_SYMBOLS.get(mark);
  if (fixed !== undefined) return { currency: fixed, confidence: 0.95, ambiguous: false };
  if (mark === '$') return { currency: DOLLAR_CURRENCIES.has(defaultCurrency) ? defaultCurrency : 'USD', confidence: 0.85, ambiguous: true };
  if (mark === '¥') return { currency: defaultCurrency === 'CNY' ? 'CNY' : 'JPY', confidence: 0.85, ambiguous: true };
  const code = mark.toUpperCase();
  if (isCurrency(code)) return { currency: code, confidence: 1, ambiguous: false };
  if (NOT_CURRENCY.has(code) || code !== mark) return null;
  return { unknown: code };
}

/** One currency from the marks on both sides of a number; "$500 CAD" is CAD, "€500 USD" is an error. */
function combine(left: Mark, right: Mark): Mark {
  const leftKnown = left !== null && 'currency' in left ? left : null;
  const rightKnown = right !== null && 'currency' in right ? right : null;
  if (leftKnown !== null && rightKnown !== null) {
    if (leftKnown.currency === rightKnown.currency) return { ...rightKnown, confidence: Math.max(leftKnown.confidence, rightKnown.confidence) };
    if (leftKnown.ambiguous && !rightKnown.ambiguous) return rightKnown;
    throw draftError(
      DraftErrorCode.currencyMixed,
      `An amount is marked with two currencies (${leftKnown.currency} and ${rightKnown.currency}).`,
      { path: 'currency', currencies: [leftKnown.currency, rightKnown.currency] },
    );
  }
  return leftKnown ?? rightKnown ?? left ?? right;
}

function isKnown(mark: Mark): boolean {
  return mark !== null && 'currency' in mark;
}

function digitsOf(currency: string): number | null {
  return isCurrency(currency) ? currencyDigits(currency) : null;
}

function applyMultiplier(value: DecimalValue, multiplier: string): DecimalValue {
  const digits = MULTIPLIER_DIGITS[multiplier] ?? 0;
  return { units: value.units * powerOfTen(digits), scale: value.scale };
}
