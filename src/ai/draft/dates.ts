/**
 * Date phrases: issue date ("dated Nov 1", "issued 2026-11-01"), due date ("due in 14 days",
 * "net 30", "due end of month", "due next Friday", "due 2026-12-01", "due Dec 1", "due on receipt")
 * and validity ("valid 30 days", "valid until Dec 31", "expires Jan 5").
 *
 * Offsets ("in 14 days", "net 30", "valid 30 days") and "end of month" count from the issue date,
 * which is `today` unless the sentence states one; they are handled here. Named dates ("next
 * Friday", "Dec 1") are read by chrono-node relative to `today`, forward for due and validity
 * dates, backward for issue dates. Numeric dates with slashes are read month first (en-US).
 */
import * as chrono from 'chrono-node';
import { addDays, addMonths, endOfMonth } from './calendar.ts';
import type { CalendarDate } from './calendar.ts';
import type { MaskedText } from './text.ts';

export type DateRule =
  | { readonly type: 'absolute'; readonly date: CalendarDate }
  | { readonly type: 'offset'; readonly amount: number; readonly unit: 'day' | 'week' | 'month' }
  | { readonly type: 'endOfMonth'; readonly monthsAhead: number }
  | { readonly type: 'onIssue' };

export interface FoundDate {
  readonly rule: DateRule;
  readonly confidence: number;
}

export interface DateFindings {
  readonly issue: FoundDate | null;
  readonly due: FoundDate | null;
  readonly validUntil: FoundDate | null;
}

/** The calendar day a rule names, given the document's issue date. */
export function resolveDate(rule: DateRule, issue: CalendarDate): CalendarDate {
  switch (rule.type) {
    case 'absolute':
      return rule.date;
    case 'offset':
      if (rule.unit === 'month') return addMonths(issue, rule.amount);
      return addDays(issue, rule.unit === 'week' ? rule.amount * 7 : rule.amount);
    case 'endOfMonth':
      return endOfMonth(issue, rule.monthsAhead);
    case 'onIssue':
      return issue;
    default: {
      const unknown: never = rule;
      throw new Error(`Unknown date rule ${JSON.stringify(unknown)}`);
    }
  }
}

const ISSUE_KEYWORD = /\b(?:dated|issued(?:\s+on)?|issue\s+date:?)\s+/gi;
const DUE_KEYWORD = /\b(?:due|payable)(?:\s+date)?:?\s+/gi;
const VALID_KEYWORD = /\b(?:valid|good)(?:\s+for)?\s+|\b(?:expires?|expiring|expiry(?:\s+date)?:?)(?:\s+on)?\s+/gi;
const NET_TERMS = /\bnet[\s-]?(\d{1,3})(?:\s*days?)?\b|\b(?:payment\s+)?terms:?\s+(?:net\s*)?(\d{1,3})\s*days?\b/gi;

const OFFSET = /^(?:(?:in|within)\s+)?(\d{1,3})\s*(days?|weeks?|months?)\b/i;
const END_OF_MONTH = /^(?:(?:at|by)\s+)?(?:the\s+)?(?:end\s+of\s+(?:the\s+)?(this\s+|next\s+|(?:the\s+)?following\s+)?month|EOM)\b/i;
const ON_RECEIPT = /^(?:(?:up)?on\s+receipt|immediately|upon\s+issue)\b/i;
const PREPOSITION = /^(?:on|by|before|until|till|til|through|thru|to)\s+/i;

interface ExpressionMatch {
  readonly length: number;
  readonly found: FoundDate;
}

/** Finds, masks and returns every date phrase; the first phrase of each sort wins. */
export function extractDates(text: MaskedText, today: CalendarDate): DateFindings {
  const issue = firstExpression(text, ISSUE_KEYWORD, today, false);
  const due = earliest([firstExpression(text, DUE_KEYWORD, today, true), netTerms(text)]);
  const validUntil = firstExpression(text, VALID_KEYWORD, today, true);
  return { issue: issue?.found ?? null, due: due?.found ?? null, validUntil: validUntil?.found ?? null };
}

interface Located extends ExpressionMatch {
  readonly start: number;
}

function earliest(found: readonly (Located | null)[]): Located | null {
  let best: Located | null = null;
  for (const candidate of found) {
    if (candidate !== null && (best === null || candidate.start < best.start)) best = candidate;
  }
  return best;
}

function firstExpression(text: MaskedText, keyword: RegExp, today: CalendarDate, forward: boolean): Located | null {
  let first: Located | null = null;
  for (const match of text.matchAll(keyword)) {
    const keywordEnd = match.index + match[0].length;
    if (!text.isFree(match.index, keywordEnd)) continue;
    const expression = readExpression(text.masked.slice(keywordEnd), today, forward);
    if (expression === null) continue;
    text.mask(match.index, keywordEnd + expression.length);
    first ??= { ...expression, start: match.index };
  }
  return first;
}

function netTerms(text: MaskedText): Located | null {
  let first: Located | null = null;
  for (const match of text.matchAll(NET_TERMS)) {
    const days = Number(match[1] ?? match[2]);
    text.mask(match.index, match.index + match[0].length);
    first ??= {
      start: match.index,
      length: match[0].length,
      found: { rule: { type: 'offset', amount: days, unit: 'day' }, confidence: 1 },
    };
  }
  return first;
}

function readExpression(rest: string, today: CalendarDate, forward: boolean): ExpressionMatch | null {
  const offset = OFFSET.exec(rest);
  if (offset !== null) {
    const unitWord = (offset[2] ?? 'day').toLowerCase();
    const unit = unitWord.startsWith('week') ? 'week' : unitWord.startsWith('month') ? 'month' : 'day';
    return { length: offset[0].length, found: { rule: { type: 'offset', amount: Number(offset[1]), unit }, confidence: 1 } };
  }
  const receipt = ON_RECEIPT.exec(rest);
  if (receipt !== null) return { length: receipt[0].length, found: { rule: { type: 'onIssue' }, confidence: 1 } };
  const preposition = PREPOSITION.exec(rest)?.[0] ?? '';
  const afterPreposition = rest.slice(preposition.length);
  const endOfMonthMatch = END_OF_MONTH.exec(afterPreposition);
  if (endOfMonthMatch !== null) {
    const which = (endOfMonthMatch[1] ?? '').trim().toLowerCase();
    const monthsAhead = which === 'next' || which.endsWith('following') ? 1 : 0;
    return {
      length: preposition.length + endOfMonthMatch[0].length,
      found: { rule: { type: 'endOfMonth', monthsAhead }, confidence: 1 },
    };
  }
  const named = readNamedDate(afterPreposition, today, forward);
  return named === null ? null : { length: preposition.length + named.length, found: named.found };
}

const CHRONO_TRAILING = /[\s,.;:]+$/;
const ISO_TEXT = /^\d{4}-\d{2}-\d{2}/;
const NUMERIC_TEXT = /^(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}/;

function readNamedDate(rest: string, today: CalendarDate, forward: boolean): ExpressionMatch | null {
  const reference = { instant: new Date(Date.UTC(today.year, today.month - 1, today.day, 12)), timezone: 0 };
  const [result] = chrono.parse(rest, reference, { forwardDate: forward });
  if (result === undefined || result.index !== 0) return null;
  const start = result.start;
  if (!start.isCertain('day') && !start.isCertain('weekday') && !start.isCertain('month')) return null;
  const year = start.get('year');
  const month = start.get('month');
  const day = start.get('day');
  if (year === null || month === null || day === null) return null;
  const matched = result.text.replace(CHRONO_TRAILING, '');
  return { length: matched.length, found: { rule: { type: 'absolute', date: { year, month, day } }, confidence: namedConfidence(matched) } };
}

/** ISO dates are certain; "3/4/2026" could be either order, so it gets a low score. */
function namedConfidence(matched: string): number {
  if (ISO_TEXT.test(matched)) return 1;
  const numeric = NUMERIC_TEXT.exec(matched);
  if (numeric !== null && Number(numeric[1]) <= 12 && Number(numeric[2]) <= 12 && numeric[1] !== numeric[2]) return 0.6;
  return 0.9;
}
