export { DocumentKind, DocumentStatus, canTransition } from './status.ts';
export { defaultPatterns, formatNumber, periodOf, takeNumber } from './numbering.ts';
export { changeStatus, createDraftFromSentence, getDocument, listDocuments, renderPdf, type BusinessProfile, type DocumentView } from './service.ts';
export { renderDocumentPdf, documentTitle, type RenderableDocument } from './pdf/index.ts';
export { findOrCreateClient, changeStatus as changeDocumentStatus } from './documents.ts';
export { clientPatch, getClient, getClientWithDocuments, listClients, updateClient, type ClientPatch, type ClientView } from './clients.ts';
export { createCreditNote, creditNoteInput, type CreditNoteInput } from './credit-notes.ts';
export { registerFinance, type FinanceSettings } from './actions.ts';

export { documentByToken, publicToken, respondToQuote } from './acceptance.ts';
export { recordPayment, paymentInput, type PaymentInput } from './payments.ts';
export { PayLinks, payLink, paySettings, businessProfile, invoiceByPayToken, type PayPage, type PaySettings, type PaymentProvider, type PaymentInstructions, type WebhookOutcome, type CheckoutOutcome } from './paylinks/index.ts';
export { ageReceivables, ageingBuckets, bucketOf, creditSales, daysSalesOutstanding, receivablesReport, type AgeingBucket, type CurrencyReceivables, type IssuedCredit, type ReceivableInvoice, type ReceivablesReport } from './receivables.ts';
export { RecurringInvoices, recurringWorkflowId, templateInput, type PeriodView, type StartedPeriod, type TemplateInput, type TemplateView } from './recurring/index.ts';
export { flagFinanceDocument, recordDocumentFile, type FinanceFlags, type FlagFinanceOptions } from './flags.ts';
export * from './banking/index.ts';
export { BusinessProfiles, businessProfiles, businessSettingsInput, saveBusinessSettings, type BusinessSource, type StoredBusiness } from './settings.ts';
