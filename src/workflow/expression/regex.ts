/**
 * `matches(s, pattern)` runs user-supplied patterns, so a pattern must not be able to hang the
 * process (catastrophic backtracking, e.g. "(a+)+$"). Patterns run on V8's linear-time engine
 * (the `l` flag), which this module enables on first use with the V8 flag
 * `--enable-experimental-regexp-engine`; the flag only makes the `l` flag available and changes
 * nothing else. Patterns that engine cannot run in linear time (backreferences, lookahead,
 * large counted repetitions) are refused. Where the engine is missing, `matches()` fails closed.
 */
import { setFlagsFromString } from 'node:v8';
import { limits } from './ast.ts';
import { ExpressionFault } from './diagnostics.ts';
import { typeName } from './values.ts';

let linearEngine: 'unknown' | 'available' | 'missing' = 'unknown';
const compiled = new Map<string, RegExp>();
const maxCompiled = 200;
/** V8's linear-time engine flag; a variable because linters do not know it yet. */
const linearFlag: string = 'l';

function ensureLinearEngine(): void {
  if (linearEngine === 'unknown') {
    try {
      setFlagsFromString('--enable-experimental-regexp-engine');
      new RegExp('a', linearFlag);
      linearEngine = 'available';
    } catch {
      linearEngine = 'missing';
    }
  }
  if (linearEngine === 'missing') {
    throw new ExpressionFault('matches() is unavailable: this runtime has no linear-time regular expression engine');
  }
}

function compile(pattern: string): RegExp {
  const cached = compiled.get(pattern);
  if (cached !== undefined) return cached;
  ensureLinearEngine();
  try {
    new RegExp(pattern); // compiled only, never run: tells a malformed pattern from an unsupported one
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ExpressionFault(`matches() got an invalid pattern ${JSON.stringify(pattern)}`, reason);
  }
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, linearFlag);
  } catch {
    throw new ExpressionFault(
      `matches() cannot use the pattern ${JSON.stringify(pattern)}`,
      'backreferences, lookahead, case-insensitive matching and large repetition counts are not supported',
    );
  }
  if (compiled.size >= maxCompiled) compiled.clear();
  compiled.set(pattern, regex);
  return regex;
}

/** Whether `pattern` (a JavaScript regular expression source, no flags) matches part of `text`. */
export function matches(text: unknown, pattern: unknown): boolean {
  if (typeof text !== 'string') throw new ExpressionFault(`matches() expects a string to test, got ${typeName(text)}`);
  if (typeof pattern !== 'string') throw new ExpressionFault(`matches() expects a pattern string, got ${typeName(pattern)}`);
  if (pattern.length > limits.maxRegexLength) {
    throw new ExpressionFault(`matches() pattern is too long (${pattern.length} characters, at most ${limits.maxRegexLength})`);
  }
  return compile(pattern).test(text);
}
