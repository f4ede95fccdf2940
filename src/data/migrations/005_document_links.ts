/** 005: an unguessable public link per document (quote acceptance now, payment pages later). */
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('documents').addColumn('public_token', 'text').execute();
  await db.schema.alterTable('documents').addColumn('converted_to', 'text').execute();
  await db.schema.createIndex('documents_public_token_ix').on('documents').column('public_token').unique().execute();
}
