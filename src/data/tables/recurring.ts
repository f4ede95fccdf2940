/** Kysely table types: recurring invoice schedules and the periods they generated (migration 010_recurring). */

/** A recurring invoice template: who is billed what, how often. */
export interface RecurringTemplatesTable {
  id: string;
  counterparty_id: string;
  currency: string;
  /** JSON: [{ description, quantity, unitPrice, taxRate }] with plain decimal strings */
  lines: string;
  payment_terms_days: number;
  /** where each invoice is emailed; null: the invoice stays a draft for a person to send */
  email: string | null;
  /** JSON: { kind: 'monthly', day } | { kind: 'weekly', everyWeeks } | { kind: 'yearly', date: 'MM-DD' } */
  schedule: string;
  /** calendar dates YYYY-MM-DD in the business's time zone */
  start_date: string;
  end_date: string | null;
  /** the date of the first period not yet started; null once the template has ended */
  next_date: string | null;
  /** active, paused or ended */
  status: string;
  created_by: string;
  created_at: number;
  updated_at: number;
}

/** One row per period that has its invoice; written in the transaction that creates the invoice. */
export interface RecurringPeriodsTable {
  template_id: string;
  /** the period's date (YYYY-MM-DD), also the invoice's issue date */
  period: string;
  document_id: string;
  run_id: string | null;
  created_at: number;
}

/** The file a document was read from, by content hash, so the same file is recognised twice. */
export interface DocumentFilesTable {
  document_id: string;
  sha256: string;
  filename: string | null;
  created_at: number;
}

export interface RecurringTables {
  recurring_templates: RecurringTemplatesTable;
  recurring_periods: RecurringPeriodsTable;
  document_files: DocumentFilesTable;
}
