export { DocumentKind, DocumentStatus, canTransition } from './status.ts';
export { defaultPatterns, formatNumber, periodOf, takeNumber } from './numbering.ts';
export { changeStatus, createDraftFromSentence, getDocument, listDocuments, type DocumentView } from './service.ts';
export { findOrCreateClient } from './documents.ts';
