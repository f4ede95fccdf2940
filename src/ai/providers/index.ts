/**
 * AI providers: where a skill's structured question goes. `openai` talks to any OpenAI-compatible
 * chat-completions endpoint and returns only data that validates against the skill's zod schema;
 * outside text travels in delimited blocks as data, never as instructions.
 *
 * @example
 * const llm = openAiProviderFromEnv();            // null when OPENAI_BASE_URL is unset
 * const { value, usedFallback } = await withFallback(
 *   async () => (await llm!.structured({ task: 'classify', instructions, untrusted, schema, schemaName: 'label' })).data,
 *   async () => builtinClassify(text),
 * );
 */
export type { AiUsage, LlmProvider, StructuredExample, StructuredRequest, StructuredResult, UntrustedInput } from './types.ts';
export { OpenAiProvider } from './openai.ts';
export { openAiProviderFromEnv } from './env.ts';
export { ResponseFormat } from './options.ts';
export type { OpenAiProviderOptions } from './options.ts';
export { withFallback } from './fallback.ts';
export type { FallbackResult } from './fallback.ts';
export { AiErrorCode, usageFromError } from './errors.ts';
export { costMicros } from './usage.ts';
export type { LlmProviderSource } from './types.ts';
export { providerNow } from './source.ts';
export { openAiOptionsFromEnv, openAiDefaultsFromEnv } from './env.ts';
export { AiProviderKind, AiSettings, AiTestError, aiEnvironment, aiSettings, aiSettingsInput, readStoredAi, resolveAi, saveAiSettings, storedAiView, testAiProvider, type AiEnvironment, type AiSettingsInput, type AiView, type StoredAi } from './settings.ts';
