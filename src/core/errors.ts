/**
 * Typed errors. Every error OpsLoop raises on purpose is an {@link OpsLoopError} with a stable
 * string `code`, a message a person can act on, and an optional `cause`. Code is matched on
 * `code`, never on message text. HTTP statuses and CLI exit codes are mapped in one place:
 * {@link httpStatusFor} and {@link exitCodeFor}.
 */

/** The category decides the HTTP status and the CLI exit code. */
export const ErrorCategory = {
  invalid: 'invalid',
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  notFound: 'not_found',
  conflict: 'conflict',
  tooLarge: 'too_large',
  tooManyRequests: 'too_many_requests',
  unavailable: 'unavailable',
  internal: 'internal',
} as const;
export type ErrorCategory = (typeof ErrorCategory)[keyof typeof ErrorCategory];

export interface OpsLoopErrorOptions {
  cause?: unknown;
  /** Structured details for API clients (e.g. the path of a bad field). */
  details?: Record<string, unknown>;
}

export class OpsLoopError extends Error {
  readonly code: string;
  readonly category: ErrorCategory;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, category: ErrorCategory, message: string, options: OpsLoopErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OpsLoopError';
    this.code = code;
    this.category = category;
    this.details = options.details;
  }

  toJSON(): { code: string; message: string; details?: Record<string, unknown> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** Input that does not validate. `details.path` names the bad field where there is one. */
export class ValidationError extends OpsLoopError {
  constructor(code: string, message: string, options: OpsLoopErrorOptions = {}) {
    super(code, ErrorCategory.invalid, message, options);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends OpsLoopError {
  constructor(code: string, message: string, options: OpsLoopErrorOptions = {}) {
    super(code, ErrorCategory.notFound, message, options);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends OpsLoopError {
  constructor(code: string, message: string, options: OpsLoopErrorOptions = {}) {
    super(code, ErrorCategory.conflict, message, options);
    this.name = 'ConflictError';
  }
}

/**
 * Thrown by a step to say: retrying will not help (bad data, a refused request).
 * The engine stops the run in an exception at once instead of backing off.
 */
export class NonRetriableError extends OpsLoopError {
  constructor(message: string, options: OpsLoopErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'STEP_NON_RETRIABLE', ErrorCategory.invalid, message, options);
    this.name = 'NonRetriableError';
  }
}

/** Thrown by a step to ask for a retry no sooner than `retryAfterMs` from now. */
export class RetryAfterError extends OpsLoopError {
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number, options: OpsLoopErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'STEP_RETRY_AFTER', ErrorCategory.unavailable, message, options);
    this.name = 'RetryAfterError';
    this.retryAfterMs = retryAfterMs;
  }
}

const httpStatusByCategory: Record<ErrorCategory, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  too_many_requests: 429,
  unavailable: 503,
  internal: 500,
};

const exitCodeByCategory: Record<ErrorCategory, number> = {
  invalid: 2,
  unauthenticated: 3,
  forbidden: 3,
  not_found: 4,
  conflict: 5,
  too_large: 2,
  too_many_requests: 6,
  unavailable: 6,
  internal: 1,
};

/** The HTTP status for an error; anything not an OpsLoopError is a 500. */
export function httpStatusFor(error: unknown): number {
  return error instanceof OpsLoopError ? httpStatusByCategory[error.category] : 500;
}

/** The process exit code for an error; anything not an OpsLoopError is 1. */
export function exitCodeFor(error: unknown): number {
  return error instanceof OpsLoopError ? exitCodeByCategory[error.category] : 1;
}

/** A plain message for any thrown value. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A serialisable description of any thrown value, as stored in the journal. */
export function describeError(error: unknown): { code: string; message: string; name: string } {
  if (error instanceof OpsLoopError) return { code: error.code, message: error.message, name: error.name };
  if (error instanceof Error) return { code: 'STEP_FAILED', message: error.message, name: error.name };
  return { code: 'STEP_FAILED', message: String(error), name: 'Error' };
}

/**
 * The same error as a NonRetriableError, keeping its code: for input that cannot be read (a
 * sentence, a document), which will not read better on a retry.
 */
export function asNonRetriable(error: unknown, fallbackCode: string): NonRetriableError {
  if (error instanceof NonRetriableError) return error;
  const code = error instanceof OpsLoopError ? error.code : fallbackCode;
  return new NonRetriableError(messageOf(error), { code, cause: error });
}
