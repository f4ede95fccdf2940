/**
 * Retry decisions, as pure functions: exponential backoff with jitter, a per-step attempt limit,
 * and the thrower's intent (NonRetriableError stops at once; RetryAfterError sets the delay).
 */
import { NonRetriableError, RetryAfterError } from '../core/errors.ts';
import { parseDuration } from './duration.ts';
import type { RetryPolicy } from './definition/schema.ts';

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 3, initialDelay: '1s', maxDelay: '1h', factor: 2 };

export type RetryDecision =
  | { retry: true; delayMs: number }
  | { retry: false; reason: 'non_retriable' | 'attempts_exhausted' };

/**
 * The delay before attempt `attempt + 1`, after `attempt` failures: exponential, capped, with
 * "equal jitter" (half fixed, half random) so retries of many runs do not arrive together.
 */
export function backoffDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const initial = parseDuration(policy.initialDelay) ?? 1000;
  const max = parseDuration(policy.maxDelay) ?? 3_600_000;
  const exponential = Math.min(max, initial * policy.factor ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/** Whether and when to try again after attempt number `attempt` (1-based) failed with `error`. */
export function decideRetry(policy: RetryPolicy, attempt: number, error: unknown, random: () => number = Math.random): RetryDecision {
  if (error instanceof NonRetriableError || isNonRetriableDescription(error)) return { retry: false, reason: 'non_retriable' };
  if (attempt >= policy.maxAttempts) return { retry: false, reason: 'attempts_exhausted' };
  if (error instanceof RetryAfterError) return { retry: true, delayMs: Math.max(0, error.retryAfterMs) };
  return { retry: true, delayMs: backoffDelayMs(policy, attempt, random) };
}

function isNonRetriableDescription(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { retriable?: unknown }).retriable === false && !(error instanceof Error);
}
