/**
 * Errors of the AI providers. The class says what the workflow engine should do next:
 * - AI_CONFIG_INVALID, AI_REQUEST_REJECTED, AI_SCHEMA_UNSUPPORTED, AI_OUTPUT_INVALID are
 *   NonRetriableErrors: trying the step again cannot help, a fallback or a person must.
 * - AI_PROVIDER_UNAVAILABLE is retriable later; it is a RetryAfterError when the server said when.
 * Every error from a call carries `details.usage` (what the failed attempts cost).
 */
import { ErrorCategory, NonRetriableError, OpsLoopError, RetryAfterError } from '../../core/errors.ts';
import type { AiUsage } from './types.ts';

export const AiErrorCode = {
  /** Bad provider configuration: an environment variable, an option, or a 401/403/404 answer. */
  configInvalid: 'AI_CONFIG_INVALID',
  /** The server could not be reached or answered 408/409/429/5xx on every attempt. */
  providerUnavailable: 'AI_PROVIDER_UNAVAILABLE',
  /** Every attempt's answer was empty, a refusal, not JSON, or did not match the schema. */
  outputInvalid: 'AI_OUTPUT_INVALID',
  /** The server rejected the request itself (400/413/422): too long, unsupported parameter. */
  requestRejected: 'AI_REQUEST_REJECTED',
  /** The skill's zod schema cannot be sent as a JSON schema (not an object, has transforms). */
  schemaUnsupported: 'AI_SCHEMA_UNSUPPORTED',
} as const;
export type AiErrorCode = (typeof AiErrorCode)[keyof typeof AiErrorCode];

type NonRetriableAiCode = Exclude<AiErrorCode, typeof AiErrorCode.providerUnavailable>;

export function aiError(code: NonRetriableAiCode, message: string, details: Record<string, unknown> = {}, cause?: unknown): NonRetriableError {
  return new NonRetriableError(message, { code, details, cause });
}

/** AI_PROVIDER_UNAVAILABLE; a RetryAfterError when the server asked for a delay. */
export function unavailableError(message: string, details: Record<string, unknown>, retryAfterMs: number | null, cause?: unknown): OpsLoopError {
  if (retryAfterMs !== null) {
    return new RetryAfterError(message, retryAfterMs, { code: AiErrorCode.providerUnavailable, details, cause });
  }
  return new OpsLoopError(AiErrorCode.providerUnavailable, ErrorCategory.unavailable, message, { details, cause });
}

/** The usage recorded on an error thrown by a provider call, for cost accounting of failures. */
export function usageFromError(error: unknown): AiUsage | undefined {
  if (!(error instanceof OpsLoopError)) return undefined;
  const usage = error.details?.['usage'];
  return isUsage(usage) ? usage : undefined;
}

function isUsage(value: unknown): value is AiUsage {
  if (typeof value !== 'object' || value === null) return false;
  const u = value as Record<string, unknown>;
  return typeof u['provider'] === 'string' && typeof u['costMicros'] === 'number' && typeof u['attempts'] === 'number';
}
