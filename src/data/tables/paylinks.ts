/** Kysely table types: payment links and payment provider sessions (migration 008_paylinks). */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PayLinkTables {}
