/** Shared assertions for the expression tests. */
import assert from 'node:assert/strict';
import { ValidationError } from '../../../src/core/errors.ts';
import { evaluateSource } from '../../../src/workflow/expression/index.ts';

/** A fixed clock: 2026-01-05T09:00:00.000Z. */
export const fixedNow = (): number => Date.UTC(2026, 0, 5, 9, 0, 0);

export function run(source: string, scope: Readonly<Record<string, unknown>> = {}): unknown {
  return evaluateSource(source, scope, { now: fixedNow });
}

/** Asserts `fn` throws a ValidationError with `code` whose message matches `message`. */
export function assertFails(fn: () => unknown, code: 'EXPRESSION_INVALID' | 'EXPRESSION_FAILED', message: RegExp): ValidationError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ValidationError, `expected a ValidationError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.match(caught.message, message);
  return caught;
}
