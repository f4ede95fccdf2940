/**
 * 009: browser sessions (only a hash of the session id is stored), failed logins (the login rate
 * limit is counted here so every process sees the same count), each workflow's baseline (the
 * minutes a person would take for one run, for "hours saved"), and an index on runs.updated_at
 * for the live-update poller.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  const serialId = dialect === 'postgres' ? 'bigserial' : 'integer';
  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('last_seen_at', bigint, (c) => c.notNull())
    .addColumn('expires_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_ix').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expires_ix').on('sessions').column('expires_at').execute();

  await db.schema
    .createTable('login_failures')
    .addColumn('id', serialId, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_failures_email_ix').on('login_failures').columns(['email', 'at']).execute();
  await db.schema.createIndex('login_failures_ip_ix').on('login_failures').columns(['ip', 'at']).execute();

  await db.schema
    .createTable('workflow_baselines')
    .addColumn('workflow_id', 'text', (c) => c.primaryKey())
    .addColumn('seconds_per_run', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();

  await db.schema.createIndex('runs_updated_ix').on('runs').column('updated_at').execute();
}
