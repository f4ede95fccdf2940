/**
 * Recurring schedules as pure calendar arithmetic. A period is named by its date (YYYY-MM-DD),
 * which is also the invoice's issue date, so the same schedule always gives the same period keys.
 *
 *   monthly { day }          day 1–31 of each month; 31 (or 29, 30) is the last day of shorter months
 *   weekly  { everyWeeks }   the start date, then every N weeks
 *   yearly  { date: MM-DD }  once a year; 02-29 is 28 February in other years
 *
 * Dates are calendar days with no time zone; which day it is "today" is decided by the caller
 * (the business's time zone, OPSLOOP_TIMEZONE).
 */
import { addDays } from '../../../core/dates.ts';

/** Calendar helpers shared with the rest of OpsLoop (src/core/dates.ts). */
export { addDays, localDate } from '../../../core/dates.ts';

export type Schedule = { kind: 'monthly'; day: number } | { kind: 'weekly'; everyWeeks: number } | { kind: 'yearly'; date: string };

const MS_PER_DAY = 86_400_000;

function parts(date: string): [year: number, month0: number, day: number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))];
}

/** The date `day` of month `month0` (0-based, may overflow into the next years), clamped to the month's last day. */
function clamped(year: number, month0: number, day: number): string {
  const first = new Date(Date.UTC(year, month0, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(day, lastDay))).toISOString().slice(0, 10);
}

/** Is this a real calendar date written YYYY-MM-DD (not 2026-02-30)? */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [year, month0, day] = parts(value);
  return month0 >= 0 && month0 < 12 && day >= 1 && clamped(year, month0, day) === value;
}

/** Is MM-DD a day of the year (in a leap year: 02-29 is allowed)? */
export function isMonthDay(value: string): boolean {
  return /^\d{2}-\d{2}$/.test(value) && isCalendarDate(`2024-${value}`);
}

/** The first period on or after `start`. */
export function firstPeriod(schedule: Schedule, start: string): string {
  const [year, month0] = parts(start);
  switch (schedule.kind) {
    case 'monthly': {
      const candidate = clamped(year, month0, schedule.day);
      return candidate >= start ? candidate : clamped(year, month0 + 1, schedule.day);
    }
    case 'weekly':
      return start;
    case 'yearly': {
      const [month, day] = schedule.date.split('-').map(Number) as [number, number];
      const candidate = clamped(year, month - 1, day);
      return candidate >= start ? candidate : clamped(year + 1, month - 1, day);
    }
    default: {
      const never: never = schedule;
      throw new Error(`unknown schedule ${String(never)}`);
    }
  }
}

/** The period after `period` (which must be a period of the schedule). */
export function nextPeriod(schedule: Schedule, period: string): string {
  const [year, month0] = parts(period);
  switch (schedule.kind) {
    case 'monthly':
      // From the month, not the date: after 28 February (day 31) comes 31 March.
      return clamped(year, month0 + 1, schedule.day);
    case 'weekly':
      return addDays(period, 7 * schedule.everyWeeks);
    case 'yearly': {
      const [month, day] = schedule.date.split('-').map(Number) as [number, number];
      return clamped(year + 1, month - 1, day);
    }
    default: {
      const never: never = schedule;
      throw new Error(`unknown schedule ${String(never)}`);
    }
  }
}

/** Is `date` one of the schedule's periods, counting from `start`? */
export function isPeriodOf(schedule: Schedule, start: string, date: string): boolean {
  if (!isCalendarDate(date) || date < start) return false;
  const [year, month0] = parts(date);
  switch (schedule.kind) {
    case 'monthly':
      return clamped(year, month0, schedule.day) === date;
    case 'weekly': {
      const days = Math.round((Date.UTC(...parts(date)) - Date.UTC(...parts(start))) / MS_PER_DAY);
      return days % (7 * schedule.everyWeeks) === 0;
    }
    case 'yearly': {
      const [month, day] = schedule.date.split('-').map(Number) as [number, number];
      return clamped(year, month - 1, day) === date;
    }
    default: {
      const never: never = schedule;
      throw new Error(`unknown schedule ${String(never)}`);
    }
  }
}

/**
 * The periods from `next` (the first not yet started) whose date has come by `today`, at most
 * `limit` of them, and the next period after those (null when the end date is passed).
 */
export function duePeriods(schedule: Schedule, next: string | null, today: string, end: string | null, limit = 1000): { due: string[]; next: string | null } {
  const due: string[] = [];
  let current = next;
  while (current !== null && current <= today && due.length < limit) {
    if (end !== null && current > end) {
      current = null;
      break;
    }
    due.push(current);
    current = nextPeriod(schedule, current);
  }
  if (current !== null && end !== null && current > end) current = null;
  return { due, next: current };
}

/** In words, for lists: "monthly on day 31 (the last day in shorter months)", "every 2 weeks", "yearly on 03-15". */
export function describeSchedule(schedule: Schedule): string {
  switch (schedule.kind) {
    case 'monthly':
      return `monthly on day ${schedule.day}${schedule.day > 28 ? ' (the last day in shorter months)' : ''}`;
    case 'weekly':
      return schedule.everyWeeks === 1 ? 'every week' : `every ${schedule.everyWeeks} weeks`;
    case 'yearly':
      return `yearly on ${schedule.date}`;
    default: {
      const never: never = schedule;
      throw new Error(`unknown schedule ${String(never)}`);
    }
  }
}
