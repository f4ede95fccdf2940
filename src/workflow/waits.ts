/**
 * What a wait step waits for, worked out when the run reaches it: a deadline (duration or
 * until), or an event name with its correlation key and an optional timeout. Stored in the
 * journal entry's meta, so resuming never re-evaluates the expressions.
 */
import { NonRetriableError } from '../core/errors.ts';
import type { WaitStep } from './definition/schema.ts';
import { parseDuration } from './duration.ts';
import { evaluateSource } from './expression/index.ts';

export function waitMeta(step: WaitStep, scope: Record<string, unknown>, now: number, clock: () => number): Record<string, unknown> {
  if (step.duration !== undefined) return { deadline: now + (parseDuration(step.duration) ?? 0) };
  if (step.until !== undefined && step.event === undefined) return { deadline: untilInstant(step, scope, clock) };
  const key = step.key === undefined ? null : evaluateSource(step.key, scope, { now: clock });
  if (step.key !== undefined && (key === null || key === undefined || typeof key === 'object')) {
    throw new NonRetriableError(`Wait "${step.id}": the correlation key gave ${JSON.stringify(key)}; it must be a string or number`, { code: 'WAIT_KEY_INVALID' });
  }
  return {
    event: step.event,
    key: key === null ? null : String(key),
    deadline: step.until !== undefined ? untilInstant(step, scope, clock) : step.timeout === undefined ? null : now + (parseDuration(step.timeout) ?? 0),
  };
}

/** The instant an `until` expression names (an ISO date or date-time, or epoch milliseconds). */
function untilInstant(step: WaitStep, scope: Record<string, unknown>, clock: () => number): number {
  const value = evaluateSource(step.until ?? '', scope, { now: clock });
  const at = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(at)) throw new NonRetriableError(`Wait "${step.id}": "until" gave ${JSON.stringify(value)}, not a date`, { code: 'WAIT_UNTIL_INVALID' });
  return at;
}
