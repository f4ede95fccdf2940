/**
 * Calendar dates for `date()`, `addDays()` and `daysBetween()`, all in UTC.
 *
 * Accepted input is a string: a date "YYYY-MM-DD", or an ISO instant "YYYY-MM-DDTHH:MM[:SS[.fff]]"
 * with "Z" or an offset "±HH:MM" (an instant with no offset is read as UTC, never as the server's
 * local time). An instant's date is its UTC date: "2026-01-05T23:30:00-05:00" is 2026-01-06.
 * Impossible dates such as 2026-02-30 are rejected instead of rolling over. Only calendar-day
 * arithmetic is needed here, which is exact in UTC, so no date library is involved.
 */
import { ExpressionFault } from './diagnostics.ts';
import { typeName } from './values.ts';

const dayMs = 86_400_000;
const isoPattern = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** Milliseconds at 00:00 UTC of the UTC date of `value`. */
export function utcDayOf(value: unknown, fn: string): number {
  if (typeof value !== 'string') throw new ExpressionFault(`${fn}() expects an ISO date string, got ${typeName(value)}`);
  const match = isoPattern.exec(value);
  if (match === null) {
    throw new ExpressionFault(`${fn}() expects an ISO date like "2026-01-31" or "2026-01-31T09:00:00Z", got ${JSON.stringify(value)}`);
  }
  const [, year, month, day, hour, minute, second, zone] = match;
  const midnight = Date.parse(`${year}-${month}-${day}T00:00:00Z`);
  if (Number.isNaN(midnight) || formatDay(midnight) !== `${year}-${month}-${day}`) {
    throw new ExpressionFault(`${fn}() got an impossible date ${JSON.stringify(value)}`);
  }
  if (hour === undefined) return midnight;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) {
    throw new ExpressionFault(`${fn}() got an impossible time ${JSON.stringify(value)}`);
  }
  const instant = Date.parse(zone === undefined ? `${value}Z` : value);
  if (Number.isNaN(instant)) throw new ExpressionFault(`${fn}() could not read ${JSON.stringify(value)}`);
  return Math.floor(instant / dayMs) * dayMs;
}

/** "YYYY-MM-DD" of a UTC millisecond time; years outside 0000–9999 are refused. */
export function formatDay(ms: number): string {
  const iso = new Date(ms).toISOString();
  if (iso.length !== 24) throw new ExpressionFault('The date is out of range (years 0000–9999)');
  return iso.slice(0, 10);
}

export function addDays(value: unknown, days: unknown): string {
  if (typeof days !== 'number' || !Number.isInteger(days)) {
    throw new ExpressionFault(`addDays() expects a whole number of days, got ${typeof days === 'number' ? days : typeName(days)}`);
  }
  const ms = utcDayOf(value, 'addDays') + days * dayMs;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) throw new ExpressionFault('The date is out of range (years 0000–9999)');
  return formatDay(ms);
}

/** Whole calendar days from `from` to `to`: positive when `to` is later. */
export function daysBetween(from: unknown, to: unknown): number {
  return Math.round((utcDayOf(to, 'daysBetween') - utcDayOf(from, 'daysBetween')) / dayMs);
}
