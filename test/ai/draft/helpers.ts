import assert from 'node:assert/strict';
import { ValidationError } from '../../../src/core/errors.ts';
import { parseDocumentSentence } from '../../../src/ai/draft/index.ts';
import type { DraftDocument, ParseDocumentOptions } from '../../../src/ai/draft/index.ts';

/** The fixed day every test reads sentences on. 2026-11-22 is a Sunday. */
export const TODAY = '2026-11-22';

export function draft(sentence: string, options: Partial<ParseDocumentOptions> = {}): DraftDocument {
  return parseDocumentSentence(sentence, { today: TODAY, ...options });
}

/** Asserts that parsing throws a ValidationError with this code; returns it for further checks. */
export function draftFails(sentence: string, code: string, options: Partial<ParseDocumentOptions> = {}): ValidationError {
  let caught: unknown;
  try {
    draft(sentence, options);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ValidationError, `expected a ValidationError for ${JSON.stringify(sentence)}, got ${String(caught)}`);
  assert.equal(caught.code, code);
  return caught;
}
