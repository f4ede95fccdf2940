/** Running a primary path (e.g. an LLM) with a fallback (e.g. the builtin model). */

export interface FallbackResult<T> {
  value: T;
  usedFallback: boolean;
  /** Why the primary failed, when the fallback was used. */
  error?: unknown;
}

/**
 * Runs `primary`; if it throws, reports the error to `onFallback` and runs `fallback` instead.
 * A failing fallback throws its own error (the primary's was already reported). The result says
 * which path answered, so the journal and the cost metrics can tell them apart; the primary's
 * spent usage is on its error (`usageFromError`).
 *
 * @example
 * const { value, usedFallback } = await withFallback(
 *   () => llm.structured(request).then((r) => r.data),
 *   () => builtin.predict(text),
 *   (error) => log.warn({ err: error }, 'LLM failed; using the builtin classifier'),
 * );
 */
export async function withFallback<T>(
  primary: () => Promise<T>,
  fallback: () => Promise<T>,
  onFallback?: (error: unknown) => void,
): Promise<FallbackResult<T>> {
  try {
    return { value: await primary(), usedFallback: false };
  } catch (error) {
    onFallback?.(error);
    return { value: await fallback(), usedFallback: true, error };
  }
}
