/** Kysely table types: bank statements, transactions and reconciliation matches (migration 007_banking). */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface BankingTables {}
