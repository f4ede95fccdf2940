/**
 * Options of the OpenAI-compatible provider, declared once with their defaults. The environment
 * reader (env.ts) maps variables onto these fields; explicit options win over it.
 */
import { z } from 'zod';
import { aiError, AiErrorCode } from './errors.ts';

export const ResponseFormat = {
  /** `response_format: json_schema` (strict when the schema allows): OpenAI, vLLM, Ollama ≥ 0.5, LM Studio, llama.cpp. */
  jsonSchema: 'json_schema',
  /** `response_format: json_object`, for servers that know JSON mode but not schemas. */
  jsonObject: 'json_object',
  /** No `response_format`; the schema is still in the prompt and every answer is still validated. */
  none: 'none',
} as const;
export type ResponseFormat = (typeof ResponseFormat)[keyof typeof ResponseFormat];

export const openAiOptionsSchema = z.object({
  /** Endpoint root, up to and including `/v1`, e.g. `http://localhost:11434/v1` (Ollama). */
  baseURL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://localhost:11434/v1' }),
  /** Bearer token; local servers usually need none. */
  apiKey: z.string().min(1).optional(),
  /** Model name as the server knows it, e.g. `gpt-4o-mini` or `llama3.1:8b`. */
  model: z.string().trim().min(1, 'must name a model'),
  /** Per HTTP request. */
  timeoutMs: z.number().int().min(1).max(3_600_000).default(30_000),
  /** HTTP requests per call, counting every retry of either kind (transport or invalid output). */
  maxAttempts: z.number().int().min(1).max(10).default(3),
  /** US dollars per million prompt tokens; 0 for local models. */
  priceInputPerMTok: z.number().nonnegative().max(10_000).default(0),
  /** US dollars per million completion tokens; 0 for local models. */
  priceOutputPerMTok: z.number().nonnegative().max(10_000).default(0),
  responseFormat: z.enum([ResponseFormat.jsonSchema, ResponseFormat.jsonObject, ResponseFormat.none]).default(ResponseFormat.jsonSchema),
  /** Sent only when set: some models (reasoning ones) reject any temperature but their default. */
  temperature: z.number().min(0).max(2).optional(),
  /** First backoff delay after a transient failure; doubles per attempt, with jitter. */
  retryBaseDelayMs: z.number().int().nonnegative().max(600_000).default(500),
  /**
   * Longest Retry-After waited for inside the call. A longer one ends the call at once with a
   * RetryAfterError, so the engine reschedules the step instead of holding a worker.
   */
  maxRetryAfterMs: z.number().int().nonnegative().max(3_600_000).default(30_000),
});

export type OpenAiProviderOptions = z.input<typeof openAiOptionsSchema> & {
  /** A fetch implementation for the client (tests, proxies). */
  fetch?: typeof fetch;
};
export type ResolvedOpenAiOptions = z.output<typeof openAiOptionsSchema> & { fetch?: typeof fetch };

/** Validates and copies options; a bad one fails with AI_CONFIG_INVALID naming it. */
export function resolveOpenAiOptions(options: OpenAiProviderOptions): ResolvedOpenAiOptions {
  const { fetch: fetchImpl, ...rest } = options;
  const parsed = openAiOptionsSchema.safeParse(rest);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || '(options)';
    throw aiError(AiErrorCode.configInvalid, `OpenAI provider option "${field}" is invalid: ${issue?.message ?? 'invalid'}`, { path: field });
  }
  return fetchImpl === undefined ? { ...parsed.data } : { ...parsed.data, fetch: fetchImpl };
}
