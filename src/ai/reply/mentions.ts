/**
 * Finding facts in text: dates (chrono-node, in the languages a reply is likely written in),
 * numbers (with the separators of those languages), links and email addresses. The same
 * functions read the records, the customer's message and the draft, so a fact written
 * differently ("2026-03-14" / "March 14, 2026" / "14.03.2026"; "1250.00" / "$1,250.00" /
 * "1.250,00 €") is recognised as the same fact.
 */
import * as chrono from 'chrono-node';

const dateParsers: readonly chrono.Chrono[] = [
  chrono.casual,
  chrono.en.GB,
  chrono.de.casual,
  chrono.fr.casual,
  chrono.es.casual,
  chrono.nl.casual,
  chrono.pt.casual,
  chrono.it.casual,
];

export interface DateMention {
  text: string;
  index: number;
  end: number;
  /** The most specific key the text states: `ymd:2026-3-14`, `md:3-14`, `ym:2026-3`, `m:3`, `wd:5`, `t:17:00`. */
  key: string;
  /** Every key the text is consistent with, for facts: a full date also matches its month-day, month… */
  keys: string[];
}

/**
 * Single short words that some locale reads as a date ("So", "Do", "Mar.", "now"): in the other
 * languages they are ordinary words, so they are not counted as dates.
 */
function isNoise(text: string): boolean {
  const word = text.trim().replace(/[.,]$/, '');
  return /^\p{L}{1,4}$/u.test(word) || /^(?:now|jetzt|maintenant|ahora|agora|adesso|nu)$/i.test(word);
}

export function findDates(text: string, reference: Date): DateMention[] {
  const found: DateMention[] = [];
  for (const parser of dateParsers) {
    for (const result of parser.parse(text, reference)) {
      if (isNoise(result.text)) continue;
      const { key, keys } = dateKeys(result.start);
      found.push({ text: result.text, index: result.index, end: result.index + result.text.length, key, keys });
      if (result.end !== undefined && result.end !== null) found.push({ text: result.text, index: result.index, end: result.index + result.text.length, ...dateKeys(result.end) });
    }
  }
  return found;
}

function dateKeys(c: chrono.ParsedComponents): { key: string; keys: string[] } {
  const certain = (unit: chrono.Component): boolean => c.isCertain(unit);
  const date = c.date();
  const y = date.getFullYear();
  const m = date.getMonth() + 1;
  const d = date.getDate();
  const time = `t:${c.get('hour') ?? 0}:${String(c.get('minute') ?? 0).padStart(2, '0')}`;
  const full = [`ymd:${y}-${m}-${d}`, `md:${m}-${d}`, `ym:${y}-${m}`, `m:${m}`, `wd:${date.getDay()}`];
  if (certain('day')) return { key: certain('year') ? `ymd:${y}-${m}-${d}` : `md:${m}-${d}`, keys: certain('hour') ? [...full, time] : full };
  if (certain('month')) return { key: certain('year') ? `ym:${y}-${m}` : `m:${m}`, keys: [`ym:${y}-${m}`, `m:${m}`] };
  if (certain('weekday')) return { key: `wd:${date.getDay()}`, keys: [`wd:${date.getDay()}`] };
  if (certain('hour')) return { key: time, keys: [time] };
  return { key: `ymd:${y}-${m}-${d}`, keys: full };
}

export interface NumberMention {
  text: string;
  index: number;
  /** Canonical decimal readings ("1,250" may be 1250 or 1.25). */
  values: string[];
  /** Next to a currency sign or code, or a percent: an amount, which only the records may state. */
  amount: boolean;
}

const numberPattern = /(?<![\p{N}])(?:\d{1,3}(?:([,.'\u00a0\u202f ])\d{3})(?:\1\d{3})*(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?![\p{N}])/gu;
const amountBefore = /(?:\p{Sc}|\b[A-Z]{3})\s?$/u;
const amountAfter = /^\s?(?:\p{Sc}|[A-Z]{3}\b|%|percent\b|per cent\b|prozent\b|pour ?cent\b|por ?ciento\b|dollars?\b|euros?\b|pounds?\b|francs?\b)/iu;

export function findNumbers(text: string): NumberMention[] {
  const found: NumberMention[] = [];
  for (const match of text.matchAll(numberPattern)) {
    const index = match.index;
    const raw = match[0];
    const before = text.slice(Math.max(0, index - 4), index);
    const after = text.slice(index + raw.length, index + raw.length + 12);
    found.push({ text: raw, index, values: readings(raw), amount: amountBefore.test(before) || amountAfter.test(after) });
  }
  return found;
}

/** The decimal values a written number can mean, canonical ("1250.50" → "1250.5", "014" → "14"). */
export function readings(raw: string): string[] {
  const text = raw.replace(/[\s\u00a0\u202f']/g, '');
  const lastDot = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    const decimal = lastDot > lastComma ? '.' : ',';
    const grouping = decimal === '.' ? ',' : '.';
    return [canonical(text.split(grouping).join('').replace(decimal, '.'))];
  }
  const separator = lastDot >= 0 ? '.' : lastComma >= 0 ? ',' : '';
  if (separator === '') return [canonical(text)];
  const parts = text.split(separator);
  const asDecimal = parts.length === 2 ? canonical(`${parts[0]}.${parts[1]}`) : undefined;
  const grouped = parts.slice(1).every((part) => part.length === 3) ? canonical(parts.join('')) : undefined;
  return [...new Set([asDecimal, grouped].filter((value): value is string => value !== undefined))];
}

function canonical(decimal: string): string {
  const [whole = '0', fraction = ''] = decimal.split('.');
  const int = whole.replace(/^0+(?=\d)/, '');
  const frac = fraction.replace(/0+$/, '');
  return frac === '' ? int : `${int}.${frac}`;
}

const urlPattern = /\bhttps?:\/\/[^\s<>"'`)\]]+/gi;
const emailPattern = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

/** Links, without trailing punctuation or slash. */
export function findUrls(text: string): string[] {
  return [...text.matchAll(urlPattern)].map((match) => match[0].replace(/[.,;:!?]+$/, '').replace(/\/+$/, ''));
}

export function findEmails(text: string): string[] {
  return [...text.matchAll(emailPattern)].map((match) => match[0].replace(/\.+$/, '').toLowerCase());
}

/** The text with the given spans replaced by spaces (so offsets stay valid). */
export function blank(text: string, spans: readonly { index: number; end: number }[]): string {
  let result = text;
  for (const span of spans) result = result.slice(0, span.index) + ' '.repeat(span.end - span.index) + result.slice(span.end);
  return result;
}
