/**
 * DATES_OUT_OF_ORDER (due before issue), DATE_IN_FUTURE (issued more than `futureDays` after
 * today) and DATE_TOO_OLD (issued more than two calendar years before today). Most of these are
 * a mistyped year; the message says so and gives both dates. The last two need `options.today`.
 */
import type { FlagContext } from './context.ts';
import { isoDate, yearsBefore } from './days.ts';
import { count, kindNoun } from './format.ts';
import type { Anomaly, AnomalyCode } from './types.ts';

export const TOO_OLD_YEARS = 2;

export function checkDates(context: FlagContext): { checked: AnomalyCode[]; anomalies: Anomaly[] } {
  const { doc, options } = context;
  const checked: AnomalyCode[] = [];
  const anomalies: Anomaly[] = [];
  const issueDate = doc.source.issueDate ?? '';
  const dueDate = doc.source.dueDate ?? '';

  if (doc.issueDay !== null && doc.dueDay !== null) {
    checked.push('DATES_OUT_OF_ORDER');
    if (doc.dueDay < doc.issueDay) {
      const days = doc.issueDay - doc.dueDay;
      anomalies.push({
        code: 'DATES_OUT_OF_ORDER',
        severity: 'warning',
        message:
          `The due date ${dueDate} is ${count(days, 'day')} before the issue date ${issueDate}. ` +
          `Check both dates on the ${kindNoun(doc)}.`,
        evidence: { issueDate, dueDate, daysDueBeforeIssue: days },
        score: 0.9,
      });
    }
  }

  if (doc.issueDay === null || options.today === null) return { checked, anomalies };
  const today = isoDate(options.today);
  checked.push('DATE_IN_FUTURE', 'DATE_TOO_OLD');
  const ahead = doc.issueDay - options.today;
  if (ahead > options.futureDays) {
    anomalies.push({
      code: 'DATE_IN_FUTURE',
      severity: 'warning',
      message:
        `The issue date ${issueDate} is ${count(ahead, 'day')} after today (${today}), more than ` +
        `${count(options.futureDays, 'day')} ahead. Check the year.`,
      evidence: { issueDate, today, daysAhead: ahead, futureDays: options.futureDays },
      score: 0.8,
    });
  }
  const limit = yearsBefore(options.today, TOO_OLD_YEARS);
  if (doc.issueDay < limit) {
    const behind = options.today - doc.issueDay;
    anomalies.push({
      code: 'DATE_TOO_OLD',
      severity: 'warning',
      message:
        `The issue date ${issueDate} is ${count(behind, 'day')} before today (${today}), more than ` +
        `${TOO_OLD_YEARS} years. Check the year; if it really is that old, check it was not already settled.`,
      evidence: { issueDate, today, daysBehind: behind, limitDate: isoDate(limit) },
      score: 0.6,
    });
  }
  return { checked, anomalies };
}
