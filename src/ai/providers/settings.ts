/**
 * The AI provider, kept in Settings — the `settings` table, key `ai` — over the environment
 * (OPENAI_BASE_URL, OPENAI_MODEL, OPENAI_API_KEY, OPSLOOP_AI_*). Each field not stored comes from
 * the environment, except that the environment's API key goes only to the environment's base URL.
 * `provider: builtin` turns the model off whatever the environment says; `openai` turns it on.
 *
 * Skills ask {@link AiSettings.provider} each time they run (through {@link LlmProviderSource}):
 * read from the database at most once a second per process and dropped on save, with one
 * OpenAiProvider per distinct configuration. A configuration that cannot be used does not stop
 * anything: the provider it gives fails every call with AI_CONFIG_INVALID, so skills fall back to
 * their built-in models, and Settings shows the problem. The API key is write-only.
 */
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { ErrorCategory, messageOf, OpsLoopError, ValidationError } from '../../core/errors.ts';
import { CachedSetting, definedFields, readSetting, writeSetting } from '../../data/settings.ts';
import type { Queryable } from '../../workflow/store/runs.ts';
import { openAiDefaultsFromEnv, openAiOptionsFromEnv } from './env.ts';
import { aiError, AiErrorCode } from './errors.ts';
import { OpenAiProvider } from './openai.ts';
import { resolveOpenAiOptions, type OpenAiProviderOptions } from './options.ts';
import type { AiUsage, LlmProvider, LlmProviderSource } from './types.ts';

const settingsKey = 'ai';

export const AiProviderKind = {
  /** the built-in offline models only */
  builtin: 'builtin',
  /** an OpenAI-compatible chat-completions server (OpenAI, Ollama, vLLM, LM Studio, …) */
  openai: 'openai',
} as const;
export type AiProviderKind = (typeof AiProviderKind)[keyof typeof AiProviderKind];

type Source = 'settings' | 'environment';

/** What the database holds: only the fields the owner set. */
export interface StoredAi {
  provider?: AiProviderKind;
  baseUrl?: string;
  model?: string;
  apiKey?: string;
  timeoutMs?: number;
  priceInputPerMTok?: number;
  priceOutputPerMTok?: number;
}

const aiFields = ['provider', 'baseUrl', 'model', 'apiKey', 'timeoutMs', 'priceInputPerMTok', 'priceOutputPerMTok'] as const;

/** The AI settings as answers show them: never the key, only whether one is set. */
export interface AiView {
  provider: AiProviderKind;
  baseUrl: string | null;
  model: string | null;
  apiKeySet: boolean;
  timeoutMs: number | null;
  priceInputPerMTok: number | null;
  priceOutputPerMTok: number | null;
  /** per field: Settings, the environment, or null when nothing sets it */
  sources: Record<(typeof aiFields)[number], Source | null>;
  /** why the provider in force cannot be used (skills then use their built-in models), or null */
  problem: string | null;
}

/** The environment's side, read once at start-up (a bad variable fails the start, as before). */
export interface AiEnvironment {
  /** the provider OPENAI_BASE_URL describes, or null */
  options: OpenAiProviderOptions | null;
  /** OPSLOOP_AI_* tuning, for a provider set in Settings too */
  defaults: Omit<OpenAiProviderOptions, 'baseURL' | 'model' | 'apiKey'>;
}

export function aiEnvironment(env: Record<string, string | undefined>): AiEnvironment {
  return { options: openAiOptionsFromEnv(env), defaults: openAiDefaultsFromEnv(env) };
}

function pick<T>(stored: T | undefined, environment: T | undefined): [T | null, Source | null] {
  if (stored !== undefined) return [stored, 'settings'];
  if (environment !== undefined) return [environment, 'environment'];
  return [null, null];
}

/** Pure: the AI settings in force — stored over the environment's — and the provider options, when usable. */
export function resolveAi(environment: AiEnvironment, stored: StoredAi): { view: AiView; options: OpenAiProviderOptions | null } {
  const env = environment.options;
  const [provider, providerSource] = pick<AiProviderKind>(stored.provider, env === null ? undefined : 'openai');
  const [baseUrl, baseUrlSource] = pick(stored.baseUrl, env?.baseURL);
  const [model, modelSource] = pick(stored.model, env?.model);
  // The environment's key belongs to the environment's server.
  const [apiKey, apiKeySource] = pick(stored.apiKey, baseUrl !== null && baseUrl === env?.baseURL ? env.apiKey : undefined);
  const [timeoutMs, timeoutSource] = pick(stored.timeoutMs, environment.defaults.timeoutMs);
  const [priceIn, priceInSource] = pick(stored.priceInputPerMTok, environment.defaults.priceInputPerMTok);
  const [priceOut, priceOutSource] = pick(stored.priceOutputPerMTok, environment.defaults.priceOutputPerMTok);
  const view: AiView = {
    provider: provider ?? 'builtin',
    baseUrl,
    model,
    apiKeySet: apiKey !== null,
    timeoutMs,
    priceInputPerMTok: priceIn,
    priceOutputPerMTok: priceOut,
    sources: { provider: providerSource, baseUrl: baseUrlSource, model: modelSource, apiKey: apiKeySource, timeoutMs: timeoutSource, priceInputPerMTok: priceInSource, priceOutputPerMTok: priceOutSource },
    problem: null,
  };
  if (view.provider === 'builtin') return { view, options: null };
  if (baseUrl === null) return { view: { ...view, problem: 'no base URL: set one in Settings → AI provider (or OPENAI_BASE_URL), e.g. http://localhost:11434/v1' }, options: null };
  if (model === null) return { view: { ...view, problem: `no model: name the model ${baseUrl} should run in Settings → AI provider (or OPENAI_MODEL)` }, options: null };
  const options: OpenAiProviderOptions = {
    ...environment.defaults,
    baseURL: baseUrl,
    model,
    ...(apiKey === null ? {} : { apiKey }),
    ...(timeoutMs === null ? {} : { timeoutMs }),
    ...(priceIn === null ? {} : { priceInputPerMTok: priceIn }),
    ...(priceOut === null ? {} : { priceOutputPerMTok: priceOut }),
  };
  try {
    resolveOpenAiOptions(options);
  } catch (error) {
    return { view: { ...view, problem: messageOf(error) }, options: null };
  }
  return { view, options };
}

// ---- input ----

/** Absent, null and blank all mean "not stored: use the environment". */
const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((value) => {
      const trimmed = value?.trim() ?? '';
      return trimmed === '' ? undefined : trimmed;
    });
const optionalNumber = (schema: z.ZodNumber) => schema.nullish().transform((value) => value ?? undefined);
const price = optionalNumber(z.number().nonnegative('must be a non-negative number of US dollars').max(10_000, 'must be at most 10000 US dollars'));

/** The body of PUT /api/settings/ai. A field left out, null or blank is not stored — except the API key, see below. */
export const aiSettingsInput = z
  .object({
    /** builtin: the offline models only; openai: an OpenAI-compatible server; blank: as the environment says */
    provider: z.enum([AiProviderKind.builtin, AiProviderKind.openai], { error: 'must be builtin or openai' }).nullish().transform((value) => value ?? undefined),
    /** the endpoint root up to /v1, e.g. http://localhost:11434/v1 (Ollama) or https://api.openai.com/v1 */
    baseUrl: text(2000).refine((value) => value === undefined || z.url({ protocol: /^https?$/ }).safeParse(value).success, 'must be an http(s) URL such as http://localhost:11434/v1'),
    /** the model as the server names it, e.g. gpt-4o-mini or llama3.1:8b */
    model: text(200),
    /** write-only: left out keeps the stored key (unless the base URL changes); null or "" removes it */
    apiKey: z
      .string()
      .max(2000, 'must be at most 2000 characters')
      .nullish()
      .transform((value) => (value === undefined ? undefined : value === null || value.trim() === '' ? null : value.trim())),
    /** the longest one request may take, in milliseconds */
    timeoutMs: optionalNumber(z.number().int('must be a whole number of milliseconds').min(1000, 'must be at least 1000 (one second)').max(3_600_000, 'must be at most 3600000 (one hour)')),
    /** US dollars per million input tokens, for the AI cost on the dashboard */
    priceInputPerMTok: price,
    /** US dollars per million output tokens */
    priceOutputPerMTok: price,
  })
  .strict();
export type AiSettingsInput = z.input<typeof aiSettingsInput>;

const storedSchema = z
  .object({
    provider: z.enum([AiProviderKind.builtin, AiProviderKind.openai]).optional(),
    baseUrl: z.string().optional(),
    model: z.string().optional(),
    apiKey: z.string().optional(),
    timeoutMs: z.number().optional(),
    priceInputPerMTok: z.number().optional(),
    priceOutputPerMTok: z.number().optional(),
  })
  .strict();

export async function readStoredAi(db: Queryable): Promise<StoredAi> {
  const stored = await readSetting(db, settingsKey, storedSchema, 'the AI settings stored in the database cannot be read: save them again in Settings → AI provider');
  return stored === undefined ? {} : (definedFields(stored) as StoredAi);
}

/** The stored fields as answers show them (the key as `apiKeySet`). */
export function storedAiView(stored: StoredAi): Omit<StoredAi, 'apiKey'> & { apiKeySet: boolean } {
  const { apiKey, ...rest } = stored;
  return { ...rest, apiKeySet: apiKey !== undefined };
}

function invalid(path: string, message: string): ValidationError {
  return new ValidationError('AI_SETTINGS_INVALID', `AI provider ${path}: ${message}`, { details: { path } });
}

/**
 * Validates and stores the AI settings (replacing what was stored; a key left out is kept while
 * the base URL stays the same), checked against the environment they will be merged with: an
 * OpenAI-compatible provider needs a base URL and a model from one or the other. Returns what the
 * audit entry records, without the key.
 */
export async function saveAiSettings(tx: Queryable, environment: AiEnvironment, raw: unknown, actor: string, now: number): Promise<{ stored: StoredAi; audit: Record<string, unknown> }> {
  const parsed = aiSettingsInput.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(issue?.path.join('.') ?? '', issue?.message ?? 'invalid');
  }
  const input = parsed.data;
  const before = await readStoredAi(tx).catch(() => ({}) as StoredAi);
  const stored: StoredAi = {};
  for (const key of aiFields) {
    if (key === 'apiKey') continue;
    const value = input[key];
    if (value !== undefined) (stored as Record<string, unknown>)[key] = value;
  }
  // A kept key follows its server: pointing the provider elsewhere must not carry it along unseen.
  const apiKey = input.apiKey === undefined ? (before.baseUrl === stored.baseUrl ? before.apiKey : undefined) : (input.apiKey ?? undefined);
  if (apiKey !== undefined) stored.apiKey = apiKey;

  const { view } = resolveAi(environment, stored);
  if (view.provider === 'openai') {
    if (view.baseUrl === null) throw invalid('baseUrl', 'is required for an OpenAI-compatible provider (none is set in the environment either)');
    if (view.model === null) throw invalid('model', 'is required for an OpenAI-compatible provider: name the model the server should run');
    if (view.problem !== null) throw invalid('provider', view.problem);
  }

  await writeSetting(tx, settingsKey, stored, actor, now);
  const key = before.apiKey === stored.apiKey ? null : stored.apiKey === undefined ? 'removed' : before.apiKey === undefined ? 'set' : 'changed';
  return { stored, audit: { before: storedAiView(before), after: storedAiView(stored), ...(key === null ? {} : { apiKey: key }) } };
}

// ---- the settings in force ----

/** A provider whose every call fails with `error`: skills fall back to their built-in models. */
function unusableProvider(model: string, error: OpsLoopError): LlmProvider {
  return { name: 'openai', model, structured: () => Promise.reject(error) };
}

/** The AI settings in force, read from the database at most once a second per process. */
export class AiSettings implements LlmProviderSource {
  readonly #environment: AiEnvironment;
  readonly #stored: CachedSetting<StoredAi>;
  #llm: { key: string; provider: OpenAiProvider } | null = null;

  constructor(db: Queryable, environment: AiEnvironment, ttlMs = 1000) {
    this.#environment = environment;
    this.#stored = new CachedSetting(db, readStoredAi, ttlMs);
  }

  get environment(): AiEnvironment {
    return this.#environment;
  }

  /** The environment's settings: what applies when nothing is stored. */
  get environmentView(): AiView {
    return resolveAi(this.#environment, {}).view;
  }

  /** The stored fields (cached). */
  stored(): Promise<StoredAi> {
    return this.#stored.get();
  }

  /** The settings in force; stored settings that cannot be read are a `problem`, not an error. */
  async current(): Promise<{ view: AiView; options: OpenAiProviderOptions | null }> {
    let stored: StoredAi;
    try {
      stored = await this.stored();
    } catch (error) {
      const { view } = resolveAi(this.#environment, {});
      return { view: { ...view, problem: messageOf(error) }, options: null };
    }
    return resolveAi(this.#environment, stored);
  }

  /** The provider skills use now: null for the built-in models only. */
  async provider(): Promise<LlmProvider | null> {
    const { view, options } = await this.current();
    if (view.problem !== null) {
      return unusableProvider(view.model ?? 'unknown', aiError(AiErrorCode.configInvalid, `The AI provider cannot be used: ${view.problem}`, { provider: 'openai', model: view.model }));
    }
    if (view.provider === 'builtin' || options === null) return null;
    const key = JSON.stringify(options);
    if (this.#llm?.key !== key) this.#llm = { key, provider: new OpenAiProvider(options) };
    return this.#llm.provider;
  }

  /** Drops the cache (after a save in this process). */
  invalidate(): void {
    this.#stored.invalidate();
  }
}

// One per database, like the business profile: the app and the HTTP server share it.
const perDatabase = new WeakMap<object, AiSettings>();

/**
 * The AI settings of this application (keyed by its database object). `OpsLoop.open` creates
 * them with its environment; later callers get the same object.
 */
export function aiSettings(database: { db: Queryable }, environment?: AiEnvironment): AiSettings {
  let settings = perDatabase.get(database);
  if (settings === undefined) {
    if (environment === undefined) throw new Error('the AI settings of this database were not set up: open it with OpsLoop.open');
    settings = new AiSettings(database.db, environment);
    perDatabase.set(database, settings);
  }
  return settings;
}

// ---- the connection test ----

const testTimeoutMs = 15_000;

/** A connection test that failed: the message says what happened, in words. */
export class AiTestError extends OpsLoopError {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super('AI_TEST_FAILED', ErrorCategory.unavailable, message, options);
    this.name = 'AiTestError';
  }
}

function causeCode(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e !== null && e !== undefined && depth < 6; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
  }
  return null;
}

/** What went wrong, in words, from a provider error. */
export function describeAiError(error: unknown, baseUrl: string, model: string): string {
  const status = error instanceof OpsLoopError ? error.details?.['status'] : undefined;
  const detail = messageOf(error);
  if (status === 401) return `${baseUrl} refused the API key (HTTP 401): check the API key in Settings → AI provider (or OPENAI_API_KEY)`;
  if (status === 403) return `${baseUrl} answered HTTP 403: the API key has no access to model "${model}"`;
  if (status === 404) return `${baseUrl} answered HTTP 404: model "${model}" was not found there, or the base URL does not end in /v1`;
  const code = causeCode(error);
  if (code === 'ECONNREFUSED') return `Could not connect to ${baseUrl}: connection refused (is the server running, and are the host and port right?)`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `Could not connect to ${baseUrl}: the host name could not be resolved`;
  if (error instanceof Error && (error.name === 'TimeoutError' || /timed? ?out/i.test(detail))) return `${baseUrl} did not answer within ${testTimeoutMs / 1000} s`;
  return detail;
}

/**
 * Asks the provider in force one tiny structured question, once, within 15 s. Answers the model,
 * the latency and the tokens used; throws AI_PROVIDER_BUILTIN when there is no model to ask, the
 * stored problem when the settings cannot be used, or an AiTestError saying what the server did.
 */
export async function testAiProvider(current: { view: AiView; options: OpenAiProviderOptions | null }): Promise<{ provider: 'openai'; baseUrl: string; model: string; answer: string; latencyMs: number; usage: AiUsage }> {
  const { view, options } = current;
  if (view.provider === 'builtin') throw new ValidationError('AI_PROVIDER_BUILTIN', 'The AI provider is the built-in one: there is no server to test. Choose "OpenAI-compatible", save, then test');
  if (options === null) throw new ValidationError('AI_CONFIG_INVALID', `The AI provider cannot be used: ${view.problem ?? 'it is not complete'}`);
  const provider = new OpenAiProvider({ ...options, maxAttempts: 1, timeoutMs: Math.min(options.timeoutMs ?? testTimeoutMs, testTimeoutMs) });
  const started = performance.now();
  try {
    const result = await provider.structured({
      task: 'connection test',
      instructions: 'This is a connection test. Set "answer" to the word ok.',
      untrusted: [],
      schema: z.object({ answer: z.string().max(200) }).strict(),
      schemaName: 'connection_test',
      signal: AbortSignal.timeout(testTimeoutMs),
    });
    return { provider: 'openai', baseUrl: options.baseURL, model: options.model, answer: result.data.answer, latencyMs: Math.round(performance.now() - started), usage: result.usage };
  } catch (error) {
    throw new AiTestError(describeAiError(error, options.baseURL, options.model), { cause: error, details: { baseUrl: options.baseURL, model: options.model, ...(error instanceof OpsLoopError ? { reason: error.code } : {}) } });
  }
}
