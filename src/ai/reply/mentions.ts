/**
 * Finding facts in text: dates (chrono-node, in the languages a reply is likely written in),
 * numbers (with the separators of those languages), links and email addresses. The same
 * functions read the records, the customer's message and the draft, so a fact written
 * differently ("2026-03-14" / "March 14, 2026" / "14.03.2026"; "1250.00" / "$1,250.00" /
 * "1.250,00 €") is recognised as the same fact.
 */
import * as chrono from 'chrono-node';
import { isCurrency } from '../draft/index.ts';

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
  /**
   * The most specific key of each date the text states (two for a range): `ymd:2026-3-14`,
   * `md:3-14` (no year), `ym:2026-3`, `m:3`, `wd:5` (a weekday alone), `t:17:00` (a time).
   * A weekday is grounded only by the same weekday named alone, not by a date that falls on it.
   */
  stated: string[];
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

const clockTime = /\d[:.h]\d|\d\s*(?:a\.?m\b|p\.?m\b|uhr\b|h\b|heures?\b|horas?\b|ore\b|uur\b)|\b(?:noon|midnight|mittag|midi|mediod[ií]a)\b/i;

/** Dates in `text`, once per language that reads one; relative ones count from `reference`. */
export function findDates(text: string, reference: Date): DateMention[] {
  const found: DateMention[] = [];
  for (const parser of dateParsers) {
    for (const result of parser.parse(text, reference)) {
      if (isNoise(result.text)) continue;
      const parts = result.end === undefined || result.end === null ? [result.start] : [result.start, result.end];
      const keyed = parts.map(dateKeys);
      // A day of the month alone ("de 1", "le 14") is too often a number in another language;
      // its number is checked as a number instead.
      if (keyed.some((k) => k.stated.startsWith('d:'))) continue;
      // Likewise a bare hour ("at 10", Spanish "de 1"): a time needs "10:30", "3 pm", "9 Uhr"…
      if (keyed.some((k) => k.stated.startsWith('t:')) && !clockTime.test(result.text)) continue;
      found.push({
        text: result.text,
        index: result.index,
        end: result.index + result.text.length,
        stated: keyed.map((k) => k.stated),
        keys: keyed.flatMap((k) => k.keys),
      });
    }
  }
  return found;
}

function dateKeys(c: chrono.ParsedComponents): { stated: string; keys: string[] } {
  const certain = (unit: chrono.Component): boolean => c.isCertain(unit);
  const y = c.get('year') ?? 0;
  const m = c.get('month') ?? 0;
  const d = c.get('day') ?? 0;
  const weekday = `wd:${c.get('weekday') ?? new Date(Date.UTC(y, m - 1, d)).getUTCDay()}`;
  const time = `t:${c.get('hour') ?? 0}:${String(c.get('minute') ?? 0).padStart(2, '0')}`;
  const full = [`ymd:${y}-${m}-${d}`, `md:${m}-${d}`, `ym:${y}-${m}`, `m:${m}`];
  if (certain('day') && !certain('month')) return { stated: `d:${d}`, keys: [] };
  if (certain('day')) return { stated: certain('year') ? `ymd:${y}-${m}-${d}` : `md:${m}-${d}`, keys: certain('hour') ? [...full, time] : full };
  if (certain('month')) return { stated: certain('year') ? `ym:${y}-${m}` : `m:${m}`, keys: [`ym:${y}-${m}`, `m:${m}`] };
  if (certain('weekday')) return { stated: weekday, keys: [weekday] };
  if (certain('hour')) return { stated: time, keys: [time] };
  return { stated: `ymd:${y}-${m}-${d}`, keys: full };
}

export interface NumberMention {
  text: string;
  index: number;
  /** Canonical decimal readings ("1,250" may be 1250 or 1.25). */
  values: string[];
  /** Next to a currency sign or code, or a percent: an amount, which only the records may state. */
  amount: boolean;
  /** The number with its marker as written: "$1,250.00", "50%", "1.250,00 EUR". */
  shown: string;
}

const numberPattern = /(?<![\p{N}])(?:\d{1,3}(?:([,.'\u00a0\u202f ])\d{3})(?:\1\d{3})*(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?![\p{N}])/gu;
const markerBefore = /(?:\p{Sc}|\b([A-Z]{3}))[ \u00a0]?$/u;
const markerAfter = /^[ \u00a0]?(?:\p{Sc}|([A-Z]{3})\b|%|(?:percent|per cent|prozent|pour ?cent|por ?ciento|dollars?|euros?|pounds?|francs?)\b)/iu;

export function findNumbers(text: string): NumberMention[] {
  const found: NumberMention[] = [];
  for (const match of text.matchAll(numberPattern)) {
    const index = match.index;
    const raw = match[0];
    const before = markerBefore.exec(text.slice(Math.max(0, index - 4), index));
    const after = markerAfter.exec(text.slice(index + raw.length, index + raw.length + 12));
    // A three-letter word is a currency only if ISO 4217 says so ("PO 123" is not money).
    const beforeIsMarker = before !== null && (before[1] === undefined || isCurrency(before[1]));
    const afterIsMarker = after !== null && (after[1] === undefined || isCurrency(after[1].toUpperCase()));
    const shown = `${beforeIsMarker ? before[0] : ''}${raw}${afterIsMarker ? after[0] : ''}`;
    found.push({ text: raw, index, values: readings(raw), amount: beforeIsMarker || afterIsMarker, shown });
  }
  return found;
}

/** The decimal values a written number can mean, canonical ("1250.50" → "1250.5", "014" → "14"). */
export function readings(raw: string): string[] {
  const text = raw.replace(/^-/, '').replace(/[\s\u00a0\u202f']/g, '');
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
