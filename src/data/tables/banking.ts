/** Kysely table types: bank statements, transactions and reconciliation matches (migration 007_banking). */

/** One import of a statement file (also when every line was already there). */
export interface BankStatementsTable {
  id: string;
  account: string;
  /** csv, ofx or camt053 */
  format: string;
  file_name: string | null;
  /** the first and last booking dates in the file, YYYY-MM-DD */
  first_date: string | null;
  last_date: string | null;
  transactions: number;
  new_transactions: number;
  imported_by: string;
  created_at: number;
}

/** One booked line; stored once per (account, fingerprint), whichever import brought it first. */
export interface BankTransactionsTable {
  id: string;
  /** normalised: upper case, no spaces or punctuation */
  account: string;
  /** `bank:<the bank's id>` or `hash:<sha256 of the line's content and occurrence>` */
  fingerprint: string;
  statement_id: string;
  booked_on: string;
  /** signed minor units: money in is positive */
  amount_minor: number;
  currency: string;
  description: string | null;
  reference: string | null;
  counterparty: string | null;
  bank_id: string | null;
  /** unmatched or matched */
  status: string;
  /** JSON: the match proposed for review, while a person decides */
  proposal: string | null;
  /** the bank-match-review run that asks a person */
  review_run_id: string | null;
  matched_at: number | null;
  matched_by: string | null;
  created_at: number;
}

/** Money of a transaction allocated to an invoice: one payment each. */
export interface BankMatchesTable {
  id: string;
  transaction_id: string;
  document_id: string;
  payment_id: string;
  amount_minor: number;
  currency: string;
  /** auto (above the threshold), review (approved in the inbox) or manual (a person chose) */
  method: string;
  /** JSON: confidence and reasons */
  details: string | null;
  created_by: string;
  created_at: number;
}

export interface BankingTables {
  bank_statements: BankStatementsTable;
  bank_transactions: BankTransactionsTable;
  bank_matches: BankMatchesTable;
}
