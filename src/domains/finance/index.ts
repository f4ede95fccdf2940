export { DocumentKind, DocumentStatus, canTransition } from './status.ts';
export { defaultPatterns, formatNumber, periodOf, takeNumber } from './numbering.ts';
export { changeStatus, createDraftFromSentence, getDocument, listDocuments, renderPdf, type BusinessProfile, type DocumentView } from './service.ts';
export { renderDocumentPdf, documentTitle, type RenderableDocument } from './pdf/index.ts';
export { findOrCreateClient } from './documents.ts';
export { registerFinance, type FinanceSettings } from './actions.ts';

export { documentByToken, publicToken, respondToQuote } from './acceptance.ts';
export { recordPayment, paymentInput, type PaymentInput } from './payments.ts';
