/** The provider contract shared by every AI skill and every LLM provider. */
import type { z } from 'zod';

/** What one structured call cost. Returned with every result and attached to every error. */
export interface AiUsage {
  provider: string;
  model: string;
  /** Summed over every attempt that reached the model. */
  promptTokens: number;
  completionTokens: number;
  /** Millionths of a US dollar (1_000_000 = $1), rounded; 0 for local models without a price. */
  costMicros: number;
  /** Wall time of the whole call, retries and backoff included. */
  latencyMs: number;
  /** HTTP requests made (1 when the first answer was valid). */
  attempts: number;
}

/** A piece of outside text (email, document, form entry): data to analyse, never instructions. */
export interface UntrustedInput {
  /** A short kind such as `email` or `invoice`; shown to the model in the block header. */
  label: string;
  content: string;
}

export interface StructuredExample<T> {
  input: string;
  output: T;
}

export interface StructuredRequest<T> {
  /** The skill asking, e.g. `classify`; named in the prompt and in errors. */
  task: string;
  /** Our own, trusted instructions for the task. Never put outside text here. */
  instructions: string;
  /** Outside text, sent inside delimited blocks that the model is told to treat as data. */
  untrusted: UntrustedInput[];
  /**
   * The answer's shape; the reply is validated against it and nothing else is passed on. Use a
   * `z.object` root, `.nullable()` rather than `.optional()` (strict structured output needs
   * every field required), and no transforms (they have no JSON schema).
   */
  schema: z.ZodType<T>;
  /** Name of the schema sent to the server: letters, digits, `_` or `-`, at most 64. */
  schemaName: string;
  /** Labelled examples (e.g. corrections made in the approval inbox), shown as earlier turns. */
  examples?: StructuredExample<T>[];
  signal?: AbortSignal;
}

export interface StructuredResult<T> {
  data: T;
  usage: AiUsage;
}

export interface LlmProvider {
  readonly name: string;
  readonly model: string;
  /** Returns schema-valid data or throws an OpsLoopError with an `AI_*` code. */
  structured<T>(req: StructuredRequest<T>): Promise<StructuredResult<T>>;
}

/**
 * Where a skill gets its provider each time it runs, for a provider that may change while the
 * process runs (Settings → AI provider). null: the built-in models only, as with no provider.
 */
export interface LlmProviderSource {
  provider(): Promise<LlmProvider | null>;
}
