/** Kysely table types: payment reminders sent per invoice (migration 011_reminders). */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ReminderTables {}
