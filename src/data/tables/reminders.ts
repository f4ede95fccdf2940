/** Kysely table types: payment reminders sent per invoice (migration 011_reminders). */

export interface RemindersTable {
  document_id: string;
  /** the position in the cadence the reminder belongs to (0 = first) */
  stage: number;
  /** days relative to the due date (-3 = three days before) */
  offset_days: number;
  /** sent, or skipped (an outage made it late and a later stage went instead) */
  status: 'sent' | 'skipped';
  /** when the stage was due (epoch ms) */
  due_at: number;
  outbox_id: string | null;
  created_at: number;
}

export interface ReminderTables {
  reminders: RemindersTable;
}
