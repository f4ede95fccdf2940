/**
 * `evaluateSource`: parse-and-evaluate for callers holding only the source text. Parsed
 * expressions are immutable, so they are memoised by source in a bounded least-recently-used
 * map; failed parses are not cached.
 */
import type { Expression } from './ast.ts';
import { evaluate } from './evaluate.ts';
import type { EvaluateOptions } from './evaluate.ts';
import { parse } from './parser.ts';

const maxCachedExpressions = 1_000;
const parsedBySource = new Map<string, Expression>();

/** {@link parse} through the cache. */
export function parseCached(source: string): Expression {
  const cached = parsedBySource.get(source);
  if (cached !== undefined) {
    // Re-inserting moves the entry to the end: Map iteration order is the recency order.
    parsedBySource.delete(source);
    parsedBySource.set(source, cached);
    return cached;
  }
  const parsed = parse(source);
  parsedBySource.set(source, parsed);
  if (parsedBySource.size > maxCachedExpressions) {
    const oldest = parsedBySource.keys().next();
    if (oldest.done !== true) parsedBySource.delete(oldest.value);
  }
  return parsed;
}

/**
 * Parses (cached by source) and evaluates. Throws `EXPRESSION_INVALID` or `EXPRESSION_FAILED`.
 *
 * @example
 * evaluateSource('coalesce(input.note, "none")', { input: {} }) // "none"
 */
export function evaluateSource(
  source: string,
  scope: Readonly<Record<string, unknown>>,
  options: EvaluateOptions = {},
): unknown {
  return evaluate(parseCached(source), scope, options);
}
