/**
 * 002: governance — users and API tokens, policies and their versions, the approval inbox,
 * the hash-chained audit log, policy counters (limits) and seen values (first-time rules),
 * corrections of automatic results, and graduation decisions.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  const serialId = dialect === 'postgres' ? 'bigserial' : 'integer';

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('approval_limit_minor', bigint)
    .addColumn('approval_limit_currency', 'text')
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('last_used_at', bigint)
    .addColumn('revoked_at', bigint)
    .execute();

  await db.schema
    .createTable('policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('current_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('policy_versions')
    .addColumn('policy_id', 'text', (c) => c.notNull().references('policies.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('policy_versions_pk', ['policy_id', 'version'])
    .addUniqueConstraint('policy_versions_hash_uq', ['policy_id', 'hash'])
    .execute();

  await db.schema
    .createTable('approval_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('workflow_version', 'integer', (c) => c.notNull())
    .addColumn('step_id', 'text', (c) => c.notNull())
    .addColumn('step_type', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('proposed', 'text')
    .addColumn('reasons', 'text')
    .addColumn('evidence', 'text')
    .addColumn('assignee', 'text')
    .addColumn('escalate_to', 'text')
    .addColumn('escalate_after_ms', bigint)
    .addColumn('escalated_at', bigint)
    .addColumn('amount_minor', bigint)
    .addColumn('currency', 'text')
    .addColumn('due_at', bigint)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decision', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', bigint)
    .addColumn('final', 'text')
    .addColumn('edit_diff', 'text')
    .addColumn('reason', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addUniqueConstraint('approval_tasks_run_seq_uq', ['run_id', 'seq'])
    .execute();
  await db.schema.createIndex('approval_tasks_status_ix').on('approval_tasks').columns(['status', 'due_at']).execute();
  await db.schema.createIndex('approval_tasks_step_ix').on('approval_tasks').columns(['workflow_id', 'step_id', 'created_at']).execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('seq', serialId, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('at', bigint, (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text')
    .addColumn('data', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_subject_ix').on('audit_log').columns(['subject_type', 'subject_id']).execute();
  await db.schema.createIndex('audit_log_run_ix').on('audit_log').column('run_id').execute();

  await db.schema
    .createTable('policy_counters')
    .addColumn('counter', 'text', (c) => c.notNull())
    .addColumn('period_start', bigint, (c) => c.notNull())
    .addColumn('total', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('policy_counters_pk', ['counter', 'period_start'])
    .execute();

  await db.schema
    .createTable('policy_seen')
    .addColumn('namespace', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('first_at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('policy_seen_pk', ['namespace', 'value'])
    .execute();

  await db.schema
    .createTable('corrections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('step_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('corrected', 'text')
    .addColumn('by', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('corrections_step_ix').on('corrections').columns(['workflow_id', 'step_id']).execute();

  await db.schema
    .createTable('graduation_decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('step_id', 'text', (c) => c.notNull())
    .addColumn('from_tier', 'text', (c) => c.notNull())
    .addColumn('to_tier', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('by', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('graduation_step_ix').on('graduation_decisions').columns(['workflow_id', 'step_id', 'created_at']).execute();
}
