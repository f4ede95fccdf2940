/** 001: the engine's own tables: workflows and versions, triggers, runs and their journal, signals, events, outbox, exceptions. */
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  const serialId = dialect === 'postgres' ? 'bigserial' : 'integer';

  await db.schema
    .createTable('workflows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('current_version', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('workflow_versions')
    .addColumn('workflow_id', 'text', (c) => c.notNull().references('workflows.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('workflow_versions_pk', ['workflow_id', 'version'])
    .addUniqueConstraint('workflow_versions_hash_uq', ['workflow_id', 'hash'])
    .execute();

  await db.schema
    .createTable('triggers')
    .addColumn('workflow_id', 'text', (c) => c.notNull().references('workflows.id'))
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('match', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('triggers_pk', ['workflow_id', 'idx'])
    .execute();
  await db.schema.createIndex('triggers_match_ix').on('triggers').columns(['type', 'match']).execute();

  await db.schema
    .createTable('schedules')
    .addColumn('workflow_id', 'text', (c) => c.notNull().references('workflows.id'))
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('cron', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('missed', 'text', (c) => c.notNull())
    .addColumn('next_fire_at', bigint, (c) => c.notNull())
    .addColumn('last_fired_at', bigint)
    .addPrimaryKeyConstraint('schedules_pk', ['workflow_id', 'idx'])
    .execute();
  await db.schema.createIndex('schedules_due_ix').on('schedules').column('next_fire_at').execute();

  await db.schema
    .createTable('runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workflow_id', 'text', (c) => c.notNull().references('workflows.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('input', 'text')
    .addColumn('output', 'text')
    .addColumn('error', 'text')
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text')
    .addColumn('cursor', 'text')
    .addColumn('steps_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('wake_at', bigint)
    .addColumn('wait_name', 'text')
    .addColumn('wait_key', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', bigint)
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addColumn('ended_at', bigint)
    .addUniqueConstraint('runs_idempotency_uq', ['workflow_id', 'idempotency_key'])
    .execute();
  await db.schema.createIndex('runs_due_ix').on('runs').columns(['status', 'wake_at']).execute();
  await db.schema.createIndex('runs_lease_ix').on('runs').columns(['status', 'lease_expires_at']).execute();
  await db.schema.createIndex('runs_wait_ix').on('runs').columns(['wait_name', 'wait_key']).execute();
  await db.schema.createIndex('runs_workflow_ix').on('runs').columns(['workflow_id', 'created_at']).execute();
  await db.schema.createIndex('runs_created_ix').on('runs').column('created_at').execute();

  await db.schema
    .createTable('run_steps')
    .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('step_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('input', 'text')
    .addColumn('output', 'text')
    .addColumn('error', 'text')
    .addColumn('meta', 'text')
    .addColumn('started_at', bigint, (c) => c.notNull())
    .addColumn('ended_at', bigint)
    .addPrimaryKeyConstraint('run_steps_pk', ['run_id', 'seq', 'attempt'])
    .execute();

  await db.schema
    .createTable('signals')
    .addColumn('id', serialId, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('payload', 'text')
    .addColumn('event_id', bigint)
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('consumed_at', bigint)
    .execute();
  await db.schema.createIndex('signals_run_ix').on('signals').columns(['run_id', 'name', 'consumed_at']).execute();

  await db.schema
    .createTable('events')
    .addColumn('id', serialId, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key', 'text')
    .addColumn('payload', 'text')
    .addColumn('source', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_name_key_ix').on('events').columns(['name', 'key', 'created_at']).execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text')
    .addColumn('step_seq', 'integer')
    .addColumn('step_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', bigint, (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', bigint)
    .addColumn('last_error', 'text')
    .addColumn('external_id', 'text')
    .addColumn('response', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('delivered_at', bigint)
    .execute();
  await db.schema.createIndex('outbox_due_ix').on('outbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('outbox_run_ix').on('outbox').column('run_id').execute();

  await db.schema
    .createTable('exceptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text')
    .addColumn('step_id', 'text')
    .addColumn('outbox_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('owner', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('resolution', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('resolved_at', bigint)
    .execute();
  await db.schema.createIndex('exceptions_status_ix').on('exceptions').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('exceptions_run_ix').on('exceptions').column('run_id').execute();
}
