/** A provider given to a skill: fixed (an LlmProvider or null) or resolved at each call. */
import type { LlmProvider, LlmProviderSource } from './types.ts';

/** The provider in force now: a fixed one as it is, a source asked at this moment. */
export function providerNow(given: LlmProvider | LlmProviderSource | null | undefined): Promise<LlmProvider | null> {
  if (given === null || given === undefined) return Promise.resolve(null);
  if ('provider' in given && typeof given.provider === 'function') return given.provider();
  return Promise.resolve(given as LlmProvider);
}
