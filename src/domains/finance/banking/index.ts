/**
 * Bank statements and reconciliation: import CSV, OFX and CAMT.053 statements (each line stored
 * once), match money received to open invoices, apply confident matches and ask a person about
 * the rest through the `bank-match-review` playbook.
 */
export { StatementFormat, statementFormats, type CsvMapping, type ParsedStatement, type ParsedTransaction } from './types.ts';
export { parseStatement, guessFormat, type ParseOptions } from './parse.ts';
export { parseBankAmount, parseBankDate } from './values.ts';
export { fingerprints } from './fingerprint.ts';
export { importStatement, listTransactions, getTransaction, type ImportInput, type ImportResult, type BankTransactionView, type TransactionFilter } from './store.ts';
export { proposeMatch, nameSimilarity, referenceStrength, type OpenInvoice, type IncomingTransaction, type Proposal } from './match.ts';
export { applyMatch, allocationsSchema, MatchMethod, type AllocationInput, type AppliedMatch } from './apply.ts';
export { reconcile, matchManually, defaultAutoApplyThreshold, type ReconcileOptions, type ReconcileResult, type ProposedMatch, type ReviewProposal } from './reconcile.ts';
export { bankingSettings, bankingSettingsInput, minReconcileThreshold, resolveBanking, saveBankingSettings, BankingSettings, type BankingSettingsAnswer, type BankingSettingsInput, type BankingSource, type BankingView, type StoredBanking } from './settings.ts';
export { registerBanking, ensureReviewWorkflow, reviewWorkflow, reviewWorkflowId, applyMatchAction } from './review.ts';
