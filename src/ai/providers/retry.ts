/**
 * Pure retry decisions for one provider call: what an HTTP failure means, how long to wait.
 *
 * Failure kinds:
 * - `config`      401, 403, 404: wrong key, base URL or model. Fail at once.
 * - `rejected`    other 4xx (400, 413, 422, …): the request itself is refused. Fail at once.
 * - `transient`   408, 409, 429, 5xx, connection errors, timeouts: back off and retry.
 */
import { APIConnectionError, APIError } from 'openai';

export type FailureKind = 'config' | 'rejected' | 'transient';

export interface TransportFailure {
  kind: FailureKind;
  status: number | null;
  /** The delay the server asked for (Retry-After / retry-after-ms), if any. */
  retryAfterMs: number | null;
  message: string;
}

export function classifyFailure(error: unknown): TransportFailure {
  if (error instanceof APIConnectionError) {
    // Includes APIConnectionTimeoutError: the server was not reached, or did not answer in time.
    return { kind: 'transient', status: null, retryAfterMs: null, message: error.message };
  }
  if (error instanceof APIError) {
    const status = typeof error.status === 'number' ? error.status : null;
    const retryAfterMs = error.headers instanceof Headers ? retryAfterFromHeaders(error.headers) : null;
    return { kind: kindOfStatus(status), status, retryAfterMs, message: error.message };
  }
  // Not from the HTTP layer (e.g. a fetch implementation throwing): treat as a connection failure.
  return { kind: 'transient', status: null, retryAfterMs: null, message: error instanceof Error ? error.message : String(error) };
}

export function kindOfStatus(status: number | null): FailureKind {
  if (status === null) return 'transient';
  if (status === 401 || status === 403 || status === 404) return 'config';
  if (status === 408 || status === 409 || status === 429 || status >= 500) return 'transient';
  return 'rejected';
}

/**
 * The server's requested delay: `retry-after-ms` (OpenAI), else `Retry-After` in seconds or as an
 * HTTP date. Null when absent or unreadable; never negative.
 */
export function retryAfterFromHeaders(headers: Headers, nowMs: number = Date.now()): number | null {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return Math.ceil(value);
  }
  const header = headers.get('retry-after');
  if (header === null || header.trim() === '') return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.ceil(seconds * 1000) : null;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/**
 * Delay before the next attempt after `failedAttempts` transient failures: the server's
 * Retry-After when given, else exponential from `baseDelayMs` (capped at 30 s) with equal jitter.
 */
export function retryDelayMs(failedAttempts: number, baseDelayMs: number, retryAfterMs: number | null, random: () => number = Math.random): number {
  if (retryAfterMs !== null) return retryAfterMs;
  const exponential = Math.min(30_000, baseDelayMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
