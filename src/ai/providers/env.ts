/**
 * Reading the OpenAI-compatible provider's configuration from the environment.
 *
 * The provider is on only when OPENAI_BASE_URL is set: sending business email to a hosted model
 * must be a deliberate choice, and an OPENAI_API_KEY present for other tools is not one. For
 * OpenAI itself set OPENAI_BASE_URL=https://api.openai.com/v1.
 */
import { z } from 'zod';
import { aiError, AiErrorCode } from './errors.ts';
import { OpenAiProvider } from './openai.ts';
import { ResponseFormat, type OpenAiProviderOptions } from './options.ts';
import type { LlmProvider } from './types.ts';

type Env = Record<string, string | undefined>;

/** Empty means unset, as in most shells' `VAR=` idiom. */
const text = z.string().trim().transform((value) => (value === '' ? undefined : value)).optional();
const integer = (min: number, max: number) =>
  text.pipe(z.coerce.number<string | undefined>().int(`must be a whole number`).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`).optional());
const price = text.pipe(z.coerce.number<string | undefined>().nonnegative('must be a non-negative number of US dollars').max(10_000).optional());

const envSchema = z.object({
  OPENAI_BASE_URL: text.pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://localhost:11434/v1' }).optional()),
  OPENAI_API_KEY: text,
  OPENAI_MODEL: text,
  OPSLOOP_AI_TIMEOUT_MS: integer(1, 3_600_000),
  OPSLOOP_AI_MAX_ATTEMPTS: integer(1, 10),
  OPSLOOP_AI_PRICE_INPUT_PER_MTOK: price,
  OPSLOOP_AI_PRICE_OUTPUT_PER_MTOK: price,
  OPSLOOP_AI_RESPONSE_FORMAT: text.pipe(z.enum([ResponseFormat.jsonSchema, ResponseFormat.jsonObject, ResponseFormat.none]).optional()),
  OPSLOOP_AI_TEMPERATURE: text.pipe(z.coerce.number<string | undefined>().min(0).max(2).optional()),
});

/**
 * The provider described by the environment, or null when OPENAI_BASE_URL is not set.
 * A bad value throws AI_CONFIG_INVALID naming the variable, at start-up rather than mid-run.
 *
 * @example
 * // Ollama on this machine, no key, no price:
 * // OPENAI_BASE_URL=http://localhost:11434/v1 OPENAI_MODEL=llama3.1:8b
 * const llm = openAiProviderFromEnv(); // LlmProvider | null
 */
export function openAiProviderFromEnv(env: Env = process.env): LlmProvider | null {
  const options = openAiOptionsFromEnv(env);
  return options === null ? null : new OpenAiProvider(options);
}

/**
 * The provider options the environment describes, or null when OPENAI_BASE_URL is not set; the
 * same checks as {@link openAiProviderFromEnv}. Settings → AI provider starts from these.
 */
export function openAiOptionsFromEnv(env: Env = process.env): OpenAiProviderOptions | null {
  const parsed = envSchema.safeParse(pick(env));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    throw aiError(AiErrorCode.configInvalid, `${name} is invalid: ${issue?.message ?? 'invalid'}`, { path: name });
  }
  const e = parsed.data;
  if (e.OPENAI_BASE_URL === undefined) {
    if (e.OPENAI_MODEL !== undefined) {
      throw aiError(AiErrorCode.configInvalid, 'OPENAI_BASE_URL is not set but OPENAI_MODEL is: set OPENAI_BASE_URL (e.g. https://api.openai.com/v1 or http://localhost:11434/v1) to use the model, or unset OPENAI_MODEL', { path: 'OPENAI_BASE_URL' });
    }
    return null;
  }
  if (e.OPENAI_MODEL === undefined) {
    throw aiError(AiErrorCode.configInvalid, `OPENAI_MODEL is required when OPENAI_BASE_URL is set (${e.OPENAI_BASE_URL}): name the model the server should run`, { path: 'OPENAI_MODEL' });
  }
  return {
    baseURL: e.OPENAI_BASE_URL,
    model: e.OPENAI_MODEL,
    ...(e.OPENAI_API_KEY === undefined ? {} : { apiKey: e.OPENAI_API_KEY }),
    ...(e.OPSLOOP_AI_TIMEOUT_MS === undefined ? {} : { timeoutMs: e.OPSLOOP_AI_TIMEOUT_MS }),
    ...(e.OPSLOOP_AI_MAX_ATTEMPTS === undefined ? {} : { maxAttempts: e.OPSLOOP_AI_MAX_ATTEMPTS }),
    ...(e.OPSLOOP_AI_PRICE_INPUT_PER_MTOK === undefined ? {} : { priceInputPerMTok: e.OPSLOOP_AI_PRICE_INPUT_PER_MTOK }),
    ...(e.OPSLOOP_AI_PRICE_OUTPUT_PER_MTOK === undefined ? {} : { priceOutputPerMTok: e.OPSLOOP_AI_PRICE_OUTPUT_PER_MTOK }),
    ...(e.OPSLOOP_AI_RESPONSE_FORMAT === undefined ? {} : { responseFormat: e.OPSLOOP_AI_RESPONSE_FORMAT }),
    ...(e.OPSLOOP_AI_TEMPERATURE === undefined ? {} : { temperature: e.OPSLOOP_AI_TEMPERATURE }),
  };
}

/** The OPSLOOP_AI_* tuning (timeout, attempts, prices, response format, temperature), which applies to a provider set in Settings too. */
export function openAiDefaultsFromEnv(env: Env = process.env): Omit<OpenAiProviderOptions, 'baseURL' | 'model' | 'apiKey'> {
  const parsed = envSchema.safeParse(pick(env));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    throw aiError(AiErrorCode.configInvalid, `${name} is invalid: ${issue?.message ?? 'invalid'}`, { path: name });
  }
  const e = parsed.data;
  return {
    ...(e.OPSLOOP_AI_TIMEOUT_MS === undefined ? {} : { timeoutMs: e.OPSLOOP_AI_TIMEOUT_MS }),
    ...(e.OPSLOOP_AI_MAX_ATTEMPTS === undefined ? {} : { maxAttempts: e.OPSLOOP_AI_MAX_ATTEMPTS }),
    ...(e.OPSLOOP_AI_PRICE_INPUT_PER_MTOK === undefined ? {} : { priceInputPerMTok: e.OPSLOOP_AI_PRICE_INPUT_PER_MTOK }),
    ...(e.OPSLOOP_AI_PRICE_OUTPUT_PER_MTOK === undefined ? {} : { priceOutputPerMTok: e.OPSLOOP_AI_PRICE_OUTPUT_PER_MTOK }),
    ...(e.OPSLOOP_AI_RESPONSE_FORMAT === undefined ? {} : { responseFormat: e.OPSLOOP_AI_RESPONSE_FORMAT }),
    ...(e.OPSLOOP_AI_TEMPERATURE === undefined ? {} : { temperature: e.OPSLOOP_AI_TEMPERATURE }),
  };
}

function pick(env: Env): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const key of Object.keys(envSchema.shape)) out[key] = env[key];
  return out;
}
