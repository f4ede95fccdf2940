/**
 * From amounts to lines: quantities ("3 hrs @ $85/hr", "2 x $40", "$40 x 2", "$85/hr for 3
 * hours", "10 licences at $5 each") and descriptions.
 *
 * A line's description is, in order of preference: the phrase after its amount ("$2,500 for
 * website development", "£150 refund"), the words of its quantity ("10 reams of paper at $5"),
 * the phrase before it ("Invoice Acme: design $500, hosting $20"), else a default. Phrases end at
 * punctuation, at anything already read as something else (a date, the client, a tax phrase,
 * another amount) and at words that start another part ("due", "valid", "on invoice").
 */
import { DraftErrorCode, draftError } from './errors.ts';
import type { MoneyToken } from './amounts.ts';
import { compareDecimal, formatDecimal } from './money/index.ts';
import type { DecimalValue } from './money/index.ts';
import { readNumber } from './number-notation.ts';
import { MASK } from './text.ts';
import type { MaskedText, Span } from './text.ts';

export interface LineSlot {
  readonly token: MoneyToken;
  /** The amount with its quantity and unit words. */
  readonly span: Span;
  readonly quantity: string;
  readonly quantityConfidence: number;
  /** Words between a quantity and its price ("reams of paper"), unless they are only a unit. */
  readonly quantityWords: string | null;
}

export interface LineDescription {
  readonly text: string;
  readonly confidence: number;
}

const UNIT = String.raw`(?:hours?|hrs?|h|days?|weeks?|wks?|months?|mos?|years?|yrs?|units?|items?|pieces?|pcs?|seats?|users?|licen[cs]es?|nights?|sessions?|visits?|pages?|words?|kg|lbs?)`;
const GENERIC_UNIT = new RegExp(String.raw`^(?:hours?|hrs?|h|days?|weeks?|wks?|months?|mos?|years?|yrs?|units?|items?|pieces?|pcs?)$`, 'i');
const UNIT_OF = new RegExp(String.raw`^${UNIT}\s+of\s+(.+)$`, 'i');
const QUANTITY = String.raw`\d+(?:[.,]\d+)?`;
const WORD = String.raw`\p{L}[\p{L}'-]*`;
const QUANTITY_BEFORE = new RegExp(
  String.raw`(?:^|[^\p{L}\p{N}.,'])(?<body>(?<quantity>${QUANTITY})(?:\s+(?<words>${WORD}(?:\s+${WORD}){0,3}))?(?:\s*(?:@|×|\*)|(?<=\d)x|\s+(?:x|at))\s*)$`,
  'u',
);
const RATE_UNIT_AFTER = new RegExp(String.raw`^(?:\s?/\s?|\s+per\s+|\s+an?\s+)(?:${UNIT}|each|ea)\b|^\s+(?:each|ea\.?|apiece)(?![\p{L}])`, 'iu');
const QUANTITY_AFTER = new RegExp(String.raw`^\s*(?:x|×|\*)\s*(?<quantity>${QUANTITY})(?:\s*${UNIT}\b)?`, 'iu');
const QUANTITY_FOR_AFTER = new RegExp(String.raw`^\s+(?:for|x|×|\*)\s+(?<quantity>${QUANTITY})\s*${UNIT}\b`, 'iu');
const MAX_QUANTITY: DecimalValue = { units: 1_000_000n, scale: 0 };
const MAX_QUANTITY_DECIMALS = 4;

/** Reads each amount's quantity and masks the words used. */
export function attachQuantities(text: MaskedText, tokens: readonly MoneyToken[]): LineSlot[] {
  return tokens.map((token) => {
    let { start, end } = token.span;
    let written: string | null = null;
    let quantityWords: string | null = null;
    const before = QUANTITY_BEFORE.exec(text.masked.slice(0, start));
    if (before?.groups !== undefined) {
      written = before.groups['quantity'] ?? null;
      quantityWords = describingWords(before.groups['words']);
      start -= (before.groups['body'] ?? '').length;
    }
    const rateUnit = RATE_UNIT_AFTER.exec(text.masked.slice(end));
    if (rateUnit !== null) end += rateUnit[0].length;
    if (written === null) {
      const after = (rateUnit !== null ? QUANTITY_FOR_AFTER : QUANTITY_AFTER).exec(text.masked.slice(end));
      if (after?.groups !== undefined) {
        written = after.groups['quantity'] ?? null;
        end += after[0].length;
      }
    }
    text.mask(start, end);
    const quantity = written === null ? { text: '1', confidence: 1 } : readQuantity(written);
    return { token, span: { start, end }, quantity: quantity.text, quantityConfidence: quantity.confidence, quantityWords };
  });
}

function describingWords(words: string | undefined): string | null {
  if (words === undefined || GENERIC_UNIT.test(words)) return null;
  return UNIT_OF.exec(words)?.[1] ?? words;
}

function readQuantity(written: string): { text: string; confidence: number } {
  const read = readNumber(written, null);
  const canonical = read === null ? null : formatDecimal(read.value);
  const decimals = canonical?.split('.')[1]?.length ?? 0;
  if (read === null || canonical === null || read.value.units <= 0n || compareDecimal(read.value, MAX_QUANTITY) > 0 || decimals > MAX_QUANTITY_DECIMALS) {
    throw draftError(
      DraftErrorCode.quantityInvalid,
      `Quantity ${written} is not usable: give a number above 0 and up to 1,000,000 with at most ${MAX_QUANTITY_DECIMALS} decimals.`,
      { path: 'lines.quantity', quantity: written },
    );
  }
  return { text: canonical, confidence: read.ambiguous ? 0.8 : 1 };
}

const PHRASE_END = new RegExp(
  String.raw`[${MASK},;:()[\]"!?]|\.(?:\s|$)|\s(?:due|payable|valid|expires?|ref|reference|(?:on|against|re|per)\s+(?:invoice|inv|quote|order|receipt))(?![\p{L}])`,
  'iu',
);
const FOR_START = new RegExp(String.raw`^[\s${MASK}]*(?:,\s*)?(?:for|of)\s+`, 'i');
const PLAIN_START = new RegExp(String.raw`^[\s${MASK}]*(?!(?:and|or|but|then|so|plus|with)(?![\p{L}]))(?=\p{L})`, 'iu');
const TRAILING_CONNECTORS = /(?:\s+(?:and|&|plus|with|or|\+|-))+$/i;
const LEADING_CONNECTORS = /^(?:[\s,;:&+-]|\b(?:and|plus|for|then)\b)+/i;
const MAX_DESCRIPTION = 200;

/** Descriptions for the lines, in order; reads text between and around the masked amounts. */
export function describeLines(text: MaskedText, slots: readonly LineSlot[], leadEnd: number, fallback: string): LineDescription[] {
  const descriptions: LineDescription[] = [];
  let previousEnd = leadEnd;
  slots.forEach((slot, index) => {
    const from = previousEnd;
    const regionEnd = slots[index + 1]?.span.start ?? text.length;
    const after = phraseAfter(text, slot.span.end, regionEnd);
    previousEnd = Math.max(slot.span.end, after?.end ?? 0);
    if (after !== null) {
      descriptions.push({ text: after.text, confidence: after.confidence });
    } else if (slot.quantityWords !== null) {
      descriptions.push({ text: slot.quantityWords, confidence: 0.8 });
    } else {
      const before = phraseBefore(text, from, slot.span.start);
      descriptions.push(before !== null ? { text: before, confidence: 0.7 } : { text: fallback, confidence: 0.3 });
    }
  });
  return descriptions;
}

function phraseAfter(text: MaskedText, from: number, to: number): { text: string; confidence: number; end: number } | null {
  const region = text.masked.slice(from, to);
  const forStart = FOR_START.exec(region);
  const plainStart = forStart === null ? PLAIN_START.exec(region) : null;
  const start = forStart?.[0].length ?? plainStart?.[0].length;
  if (start === undefined) return null;
  const rest = region.slice(start);
  const stop = PHRASE_END.exec(rest)?.index ?? rest.length;
  const phrase = tidy(text.original.slice(from + start, from + start + stop));
  if (phrase.length === 0) return null;
  return { text: phrase, confidence: forStart !== null ? 0.9 : 0.7, end: from + start + stop };
}

function phraseBefore(text: MaskedText, from: number, to: number): string | null {
  if (to <= from) return null;
  const region = text.masked.slice(from, to);
  const lastMask = region.lastIndexOf(MASK);
  const piece = region.slice(lastMask + 1);
  const lastBreak = Math.max(piece.lastIndexOf(','), piece.lastIndexOf(';'), piece.lastIndexOf(':'));
  const phrase = tidy(piece.slice(lastBreak + 1).replace(LEADING_CONNECTORS, ''));
  return /\p{L}/u.test(phrase) ? phrase : null;
}

function tidy(phrase: string): string {
  let result = phrase.trim().replace(TRAILING_CONNECTORS, '').replace(/[\s.,;:-]+$/, '').trim();
  if (result.length > MAX_DESCRIPTION) {
    const cut = result.lastIndexOf(' ', MAX_DESCRIPTION);
    result = result.slice(0, cut > 0 ? cut : MAX_DESCRIPTION);
  }
  return result;
}
