/**
 * The post-check of an LLM draft. A model can be talked into promising things ("a 50% refund by
 * Friday") by the very message it answers, and it reports its own confidence as it likes; so its
 * draft is only used when everything checkable in it is grounded:
 *
 * - amounts (a number next to a currency or a percent sign): in a money or rate field of the
 *   records, or written as money in one; an invoice number or a phone number is not an amount,
 *   and an amount the customer wrote is a claim: repeating it reads as agreeing to it;
 * - dates (in any of the languages chrono-node reads) and other numbers: in the records or in
 *   the customer's messages;
 * - links: in the records; email addresses: in the records or the sender's address;
 * - no promise of a refund, discount, credit or deadline in words (English patterns; the numeric
 *   checks above cover every language).
 * A failed check is a reason string; the caller falls back to the template draft.
 */
import { isCurrency } from '../draft/index.ts';
import { inputError } from './errors.ts';
import { displayRecords, isAmountKey, isPlainObject, minorToDecimal } from './format.ts';
import { validateContext, validateSettings } from './input.ts';
import { blank, findDates, findEmails, findNumbers, findUrls, readings } from './mentions.ts';
import type { NumberMention } from './mentions.ts';
import type { ReplyContext, ReplyFormatOptions } from './types.ts';

export interface Facts {
  /** Canonical decimals the records state. */
  amounts: Set<string>;
  /** Canonical decimals in the records or the customer's messages. */
  numbers: Set<string>;
  dateKeys: Set<string>;
  urls: Set<string>;
  emails: Set<string>;
}

const minorKey = /(?:Minor|_minor)$/;
const maxLeaves = 5_000;
const maxStringChars = 4_000;
/** How much of each customer message is read for facts; a fact beyond it does not count. */
const maxMessageChars = 20_000;

/**
 * Which numbers of a text ground amounts: all of them (a money or rate field of the records),
 * those written as money ("$1,250.00" in a record's note), or none (the customer's messages).
 */
type AmountSource = 'all' | 'marked' | 'none';

/** The facts of the records (as stored and as displayed) and of the customer's messages. */
export function collectFacts(records: Record<string, unknown>, display: Record<string, unknown>, context: ReplyContext, reference: Date): Facts {
  const facts: Facts = { amounts: new Set(), numbers: new Set(), dateKeys: new Set(), urls: new Set(), emails: new Set() };
  let leaves = 0;
  const fromRecords = (text: string, key: string): void => {
    const slice = text.slice(0, maxStringChars);
    for (const url of findUrls(slice)) facts.urls.add(url.toLowerCase());
    for (const email of findEmails(slice)) facts.emails.add(email);
    readText(slice, facts, reference, isAmountKey(key) ? 'all' : 'marked');
  };
  const walk = (value: unknown, key: string, currency: string | undefined, depth: number): void => {
    if (depth > 8 || leaves > maxLeaves) return;
    if (Array.isArray(value)) return value.forEach((item) => walk(item, key, currency, depth + 1));
    if (isPlainObject(value)) {
      const own = typeof value['currency'] === 'string' && isCurrency(value['currency'].toUpperCase()) ? value['currency'].toUpperCase() : currency;
      return Object.entries(value).forEach(([k, v]) => walk(v, k, own, depth + 1));
    }
    leaves += 1;
    if (typeof value === 'string') return fromRecords(value, key);
    if (value instanceof Date && !Number.isNaN(value.getTime())) return fromRecords(value.toISOString(), key);
    if (typeof value !== 'number' && typeof value !== 'bigint') return;
    if (minorKey.test(key)) {
      // Minor units are a stored form, never an amount to write: 125000 cents is not "$125,000".
      facts.numbers.add(String(value));
      const decimal = currency === undefined ? undefined : minorToDecimal(value, currency);
      if (decimal !== undefined) addNumber(facts, readings(decimal), true);
      return;
    }
    const written = String(value);
    if (/^-?\d+(?:\.\d+)?$/.test(written)) addNumber(facts, readings(written.replace(/^-/, '')), isAmountKey(key));
  };
  walk(records, '', undefined, 0);
  walk(display, '', undefined, 0);

  const { message, thread = [] } = context;
  for (const email of findEmails(message.from ?? '')) facts.emails.add(email);
  const customerTexts = [message.from ?? '', message.subject ?? '', message.text, ...thread.flatMap((entry) => [entry.from, entry.at ?? '', entry.text])];
  for (const text of customerTexts) readText(text.slice(0, maxMessageChars), facts, reference, 'none');
  return facts;
}

function readText(text: string, facts: Facts, reference: Date, amounts: AmountSource): void {
  if (!/\d|\p{L}{3}/u.test(text)) return;
  const dates = findDates(text, reference);
  for (const mention of dates) for (const key of mention.keys) facts.dateKeys.add(key);
  // The digits of a date are not numbers of their own: "2026-02-12" must not ground "2 days".
  for (const mention of findNumbers(blank(text, dates))) {
    addNumber(facts, mention.values, amounts === 'all' || (amounts === 'marked' && mention.amount));
  }
}

function addNumber(facts: Facts, values: readonly string[], isAmount: boolean): void {
  for (const value of values) {
    facts.numbers.add(value);
    if (isAmount) facts.amounts.add(value);
  }
}

const promises: readonly RegExp[] = [
  /\b(?:we|i)(?:\s+|['’])(?:will|ll|shall|can|could|are going to|am going to|have|ve|would be (?:happy|glad|pleased) to|are (?:happy|glad|pleased) to|am (?:happy|glad|pleased) to)\s+(?:(?:now|gladly|happily|also|already|fully|immediately|be able to)\s+)*(?:refund|reimburs|compensat|waive)\w*/i,
  /\b(?:offer|give|grant|send|issue|apply|arrange|promis)\w*\s+(?:you\s+)?(?:a|an|the)?\s*(?:full\s+|partial\s+|special\s+|\d+\s?%\s+)?(?:refund|discount|credit|voucher|compensation|reimbursement|rebate)\b/i,
  /\b(?:refund|reimbursement|discount|credit|compensation|voucher|rebate)\s+(?:has|have|is|was|will)\s+(?:been\s+|be\s+)?(?:approved|granted|issued|processed|confirmed|sent|paid|applied|arranged)\b/i,
  /\bfree of charge\b/i,
  /\b(?:within|in the next)\s+(?:\d+|a|an|one|two|three|four|five|six|seven|ten|a few|several)\s+(?:business\s+|working\s+)?(?:hours?|days?|weeks?|months?)\b/i,
];

/** Whether `text` states an amount or makes a promise: such a text is not echoed, e.g. as "Re: …". */
export function statesAmountOrPromise(text: string): boolean {
  return findNumbers(text).some((mention) => mention.amount) || promises.some((pattern) => pattern.test(text));
}

/**
 * Why the draft must not be used, or undefined when every fact in it is grounded.
 *
 * @example
 * checkDraft({ subject: 'Re: refund', body: 'We will refund 50% by Friday.' }, facts, now)
 * // 'it mentions the amount "50%", which is not in the records'
 */
export function checkDraft(draft: { subject: string; body: string }, facts: Facts, reference: Date): string | undefined {
  const text = `${draft.subject}\n${draft.body}`;
  for (const url of findUrls(text)) if (!facts.urls.has(url.toLowerCase())) return `it contains the link "${url}", which is not in the records`;
  for (const email of findEmails(text)) if (!facts.emails.has(email)) return `it contains the email address "${email}", which is not in the records`;
  const plain = text.replace(/\bhttps?:\/\/[^\s<>"'`)\]]+/gi, (m) => ' '.repeat(m.length)).replace(/[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu, (m) => ' '.repeat(m.length));

  const dates = findDates(plain, reference);
  const grounded = dates.filter((mention) => mention.stated.every((key) => facts.dateKeys.has(key)));
  for (const mention of dates) {
    // Readings differ by language ("03/04/2026"); one grounded reading of the same span is enough.
    const covered = grounded.some((other) => other.index <= mention.index && other.end >= mention.end);
    if (!covered) return `it mentions the date "${mention.text}", which is not in the records or the customer's message`;
  }
  for (const mention of findNumbers(blank(plain, dates))) {
    const problem = ungrounded(mention, facts);
    if (problem !== undefined) return problem;
  }
  for (const pattern of promises) {
    const match = pattern.exec(text);
    if (match !== null) return `it makes a promise the records do not support ("${match[0]}")`;
  }
  return undefined;
}

function ungrounded(mention: NumberMention, facts: Facts): string | undefined {
  if (mention.amount) {
    const marked = mention.values.some((value) => facts.amounts.has(value));
    return marked ? undefined : `it mentions the amount "${mention.shown.trim()}", which is not in the records`;
  }
  const known = mention.values.some((value) => facts.numbers.has(value));
  return known ? undefined : `it mentions the number "${mention.text}", which is not in the records or the customer's message`;
}


/**
 * Why a reply draft (an LLM's, or one a person edited in the inbox) states something that the
 * records and the customer's messages do not support; undefined when everything is grounded.
 *
 * @example
 * findUngroundedFact({ subject: 'Re: Invoice', body: 'You get a 50% refund.' }, context)
 * // 'it mentions the amount "50%", which is not in the records'
 */
export function findUngroundedFact(
  draft: { subject: string; body: string },
  context: ReplyContext,
  options: Omit<ReplyFormatOptions, 'strict'> & { now?: () => number } = {},
): string | undefined {
  const { now = Date.now, ...format } = options;
  if (typeof draft?.subject !== 'string' || typeof draft.body !== 'string') throw inputError('draft', 'expected { subject: string, body: string }');
  const valid = validateContext(context);
  const settings = validateSettings(format);
  const reference = new Date(now());
  return checkDraft(draft, collectFacts(valid.records, displayRecords(valid.records, settings), valid, reference), reference);
}
