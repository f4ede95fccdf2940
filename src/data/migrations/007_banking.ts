/** 007: bank statements, transactions and reconciliation matches. */
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {}
