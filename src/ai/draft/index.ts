/**
 * DRAFT skill, document part: the built-in offline parser that turns one sentence into a draft
 * business document, and the money arithmetic it shares with the finance domain.
 */
export { parseDocumentSentence, MAX_SENTENCE_LENGTH, MAX_AMOUNT_MAJOR, DRAFT_ROUNDING } from './parse-document.ts';
export { DraftErrorCode } from './errors.ts';
export { DocumentKind } from './types.ts';
export type { DraftConfidence, DraftDocument, DraftLine, ParseDocumentOptions } from './types.ts';
export * from './money/index.ts';
