/**
 * The `openai` provider: any OpenAI-compatible chat-completions endpoint (OpenAI, Ollama, vLLM,
 * LM Studio, llama.cpp server) asked for one JSON object that must match a zod schema.
 *
 * One call = up to `maxAttempts` HTTP requests:
 *   request ─ 401/403/404 ─────────────→ AI_CONFIG_INVALID (at once)
 *           ─ other 4xx ───────────────→ AI_REQUEST_REJECTED (at once)
 *           ─ 408/409/429/5xx/network/timeout → wait (Retry-After or backoff) → next attempt
 *           ─ 200, answer invalid (empty, refusal, not JSON, off-schema) → next attempt with the
 *             rejection fed back
 *           ─ 200, answer valid ───────→ { data, usage }
 *   attempts used up → AI_PROVIDER_UNAVAILABLE or AI_OUTPUT_INVALID, after the last failure's kind.
 * The client's own retries are off (maxRetries: 0) so every request is counted here.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { z } from 'zod';
import { aiError, AiErrorCode, unavailableError } from './errors.ts';
import { resolveOpenAiOptions, ResponseFormat } from './options.ts';
import type { OpenAiProviderOptions, ResolvedOpenAiOptions } from './options.ts';
import { parseReply, schemaForServer } from './output.ts';
import type { SchemaForServer } from './output.ts';
import { buildMessages, correctionMessages } from './prompt.ts';
import { classifyFailure, retryDelayMs } from './retry.ts';
import type { TransportFailure } from './retry.ts';
import type { LlmProvider, StructuredRequest, StructuredResult } from './types.ts';
import { UsageMeter } from './usage.ts';

/** Sent as the bearer token when none is configured: local servers ignore it, the client needs one. */
const placeholderApiKey = 'opsloop-no-key';

/** Only what is read from a response; the rest of the wire format is ignored. */
const completionSchema = z.object({
  choices: z.array(
    z.object({
      message: z.object({ content: z.string().nullish(), refusal: z.string().nullish() }).nullish(),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: z.object({ prompt_tokens: z.number().nullish(), completion_tokens: z.number().nullish() }).nullish(),
});

type LastFailure = { type: 'transport'; failure: TransportFailure; error: unknown } | { type: 'output'; reason: string };

/**
 * @example
 * const llm = new OpenAiProvider({ baseURL: 'http://localhost:11434/v1', model: 'llama3.1:8b' });
 * const { data, usage } = await llm.structured({
 *   task: 'classify', instructions: 'Label the email.', untrusted: [{ label: 'email', content: body }],
 *   schema: z.object({ label: z.enum(['refund', 'invoice', 'other']) }), schemaName: 'email_label',
 * });
 */
export class OpenAiProvider implements LlmProvider {
  readonly name = 'openai';
  readonly model: string;
  readonly #options: ResolvedOpenAiOptions;
  readonly #client: OpenAI;

  constructor(options: OpenAiProviderOptions) {
    this.#options = resolveOpenAiOptions(options);
    this.model = this.#options.model;
    this.#client = new OpenAI({
      baseURL: this.#options.baseURL,
      apiKey: this.#options.apiKey ?? placeholderApiKey,
      // Explicit nulls keep the client from reading OPENAI_ORG_ID & co. from the environment.
      organization: null,
      project: null,
      adminAPIKey: null,
      webhookSecret: null,
      timeout: this.#options.timeoutMs,
      maxRetries: 0,
      logLevel: 'off',
      ...(this.#options.fetch === undefined ? {} : { fetch: this.#options.fetch }),
    });
  }

  get baseURL(): string {
    return this.#options.baseURL;
  }

  async structured<T>(req: StructuredRequest<T>): Promise<StructuredResult<T>> {
    const { signal } = req;
    const options = this.#options;
    const server = schemaForServer(req.schema, req.schemaName, req.task);
    const meter = new UsageMeter(this.name, this.model, options);
    const base = buildMessages({ task: req.task, instructions: req.instructions, untrusted: req.untrusted, schemaName: req.schemaName, jsonSchema: server.jsonSchema, examples: req.examples });
    const details = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ provider: this.name, model: this.model, baseURL: options.baseURL, task: req.task, usage: meter.snapshot(), ...extra });
    let messages = base;
    let last: LastFailure | null = null;

    while (meter.attempts < options.maxAttempts) {
      signal?.throwIfAborted();
      meter.startAttempt();
      let response: unknown;
      try {
        response = await this.#client.chat.completions.create(this.#body(messages, req.schemaName, server), { signal, timeout: options.timeoutMs, maxRetries: 0 });
      } catch (error) {
        signal?.throwIfAborted();
        const failure = classifyFailure(error);
        const status = failure.status;
        if (failure.kind === 'config') {
          throw aiError(AiErrorCode.configInvalid, `The AI endpoint ${options.baseURL} answered HTTP ${status} for model "${this.model}" (${short(failure.message)}): ${configHint(status)}`, details({ status }), error);
        }
        if (failure.kind === 'rejected') {
          throw aiError(AiErrorCode.requestRejected, `The AI endpoint ${options.baseURL} rejected the "${req.task}" request for model "${this.model}" (HTTP ${status}: ${short(failure.message)}). If the server does not support structured output, set OPSLOOP_AI_RESPONSE_FORMAT=json_object or none`, details({ status }), error);
        }
        last = { type: 'transport', failure, error };
        const waitTooLong = failure.retryAfterMs !== null && failure.retryAfterMs > options.maxRetryAfterMs;
        if (meter.attempts >= options.maxAttempts || waitTooLong) break;
        await pause(retryDelayMs(meter.attempts, options.retryBaseDelayMs, failure.retryAfterMs), signal);
        continue;
      }
      const reply = readCompletion(response);
      meter.addTokens(reply.promptTokens, reply.completionTokens);
      const parsed = reply.content === null ? { ok: false as const, reason: reply.reason } : parseReply(reply.content, req.schema);
      if (parsed.ok) return { data: parsed.data, usage: meter.snapshot() };
      const reason = reply.finishReason === 'length' ? `${parsed.reason} (the reply was cut off at the output token limit)` : parsed.reason;
      last = { type: 'output', reason };
      messages = [...base, ...correctionMessages(reply.content ?? '', reason, req.schemaName)];
    }

    if (last?.type === 'transport') {
      const { failure } = last;
      const what = failure.status === null ? short(failure.message) : `HTTP ${failure.status}: ${short(failure.message)}`;
      throw unavailableError(`The AI endpoint ${options.baseURL} (model "${this.model}") is unavailable after ${meter.attempts} attempt(s): ${what}`, details({ status: failure.status }), failure.retryAfterMs, last.error);
    }
    const reason = last?.reason ?? 'no attempt was made';
    throw aiError(AiErrorCode.outputInvalid, `Model "${this.model}" at ${options.baseURL} gave no valid answer for "${req.task}" in ${meter.attempts} attempt(s); the last was rejected because ${reason}`, details({ reason }));
  }

  #body(messages: ChatCompletionMessageParam[], schemaName: string, server: SchemaForServer): ChatCompletionCreateParamsNonStreaming {
    const { responseFormat, temperature } = this.#options;
    const body: ChatCompletionCreateParamsNonStreaming = { model: this.model, messages };
    if (responseFormat === ResponseFormat.jsonSchema) {
      body.response_format = { type: 'json_schema', json_schema: { name: schemaName, schema: server.jsonSchema, strict: server.strict } };
    } else if (responseFormat === ResponseFormat.jsonObject) {
      body.response_format = { type: 'json_object' };
    }
    if (temperature !== undefined) body.temperature = temperature;
    return body;
  }
}

interface CompletionReply {
  /** Null when there is nothing to parse; `reason` says why. */
  content: string | null;
  reason: string;
  finishReason: string | null;
  promptTokens: number;
  completionTokens: number;
}

/** The first choice's text and the token counts, from a response that is itself untrusted. */
export function readCompletion(response: unknown): CompletionReply {
  const parsed = completionSchema.safeParse(response);
  if (!parsed.success) return { content: null, reason: 'the response is not a chat completion', finishReason: null, promptTokens: 0, completionTokens: 0 };
  const { choices, usage } = parsed.data;
  const tokens = { promptTokens: usage?.prompt_tokens ?? 0, completionTokens: usage?.completion_tokens ?? 0 };
  const choice = choices[0];
  const finishReason = choice?.finish_reason ?? null;
  const refusal = choice?.message?.refusal;
  if (refusal !== undefined && refusal !== null && refusal.trim() !== '') {
    return { content: null, reason: `the model refused (${short(refusal)})`, finishReason, ...tokens };
  }
  const content = choice?.message?.content;
  if (content === undefined || content === null || content.trim() === '') {
    const why = choice === undefined ? 'the response has no choices' : finishReason === 'content_filter' ? 'the reply was withheld by a content filter' : 'the reply was empty';
    return { content: null, reason: why, finishReason, ...tokens };
  }
  return { content, reason: '', finishReason, ...tokens };
}

function configHint(status: number | null): string {
  if (status === 401) return 'check OPENAI_API_KEY';
  if (status === 403) return 'the key has no access to this model or endpoint';
  return 'check OPENAI_MODEL, and that OPENAI_BASE_URL ends in /v1 (e.g. http://localhost:11434/v1)';
}

/** Server text in our messages is kept short: it is outside data and ends up in logs. */
function short(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 300)}…` : oneLine;
}

async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, signal === undefined ? {} : { signal });
  } catch (error) {
    signal?.throwIfAborted();
    throw error;
  }
}
