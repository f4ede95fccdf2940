/**
 * The tables, as Kysely sees them. Instants are epoch milliseconds (UTC) in integer columns;
 * JSON is stored as text and parsed in the repositories, the same on SQLite and PostgreSQL.
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface WorkflowsTable {
  id: string;
  name: string;
  description: string | null;
  current_version: number;
  enabled: number;
  created_at: number;
  updated_at: number;
}

export interface WorkflowVersionsTable {
  workflow_id: string;
  version: number;
  hash: string;
  definition: string;
  created_at: number;
}

/** One row per trigger of a workflow's current version; the lookup index for hooks and events. */
export interface TriggersTable {
  workflow_id: string;
  idx: number;
  type: string;
  /** webhook key, event name, or the cron expression for schedules */
  match: string;
  config: string;
}

export interface SchedulesTable {
  workflow_id: string;
  idx: number;
  cron: string;
  timezone: string;
  missed: string;
  next_fire_at: number;
  last_fired_at: number | null;
}

export interface RunsTable {
  id: string;
  workflow_id: string;
  version: number;
  status: string;
  input: string | null;
  output: string | null;
  error: string | null;
  trigger: string;
  idempotency_key: string | null;
  /** the step the run is at (display; the journal is authoritative) */
  cursor: string | null;
  steps_done: number;
  wake_at: number | null;
  wait_name: string | null;
  wait_key: string | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  created_at: number;
  updated_at: number;
  ended_at: number | null;
}

export interface RunStepsTable {
  run_id: string;
  seq: number;
  attempt: number;
  step_id: string;
  type: string;
  status: string;
  actor: string;
  input: string | null;
  output: string | null;
  error: string | null;
  meta: string | null;
  started_at: number;
  ended_at: number | null;
}

export interface SignalsTable {
  id: Generated<number>;
  run_id: string;
  name: string;
  payload: string | null;
  event_id: number | null;
  created_at: number;
  consumed_at: number | null;
}

export interface EventsTable {
  id: Generated<number>;
  name: string;
  key: string | null;
  payload: string | null;
  source: string | null;
  created_at: number;
}

export interface OutboxTable {
  id: string;
  run_id: string | null;
  step_seq: number | null;
  step_id: string | null;
  kind: string;
  idempotency_key: string;
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  last_error: string | null;
  external_id: string | null;
  response: string | null;
  created_at: number;
  delivered_at: number | null;
}

export interface ExceptionsTable {
  id: string;
  run_id: string | null;
  step_id: string | null;
  outbox_id: string | null;
  kind: string;
  code: string;
  message: string;
  owner: string | null;
  status: string;
  resolution: string | null;
  created_at: number;
  resolved_at: number | null;
}

export interface DB {
  workflows: WorkflowsTable;
  workflow_versions: WorkflowVersionsTable;
  triggers: TriggersTable;
  schedules: SchedulesTable;
  runs: RunsTable;
  run_steps: RunStepsTable;
  signals: SignalsTable;
  events: EventsTable;
  outbox: OutboxTable;
  exceptions: ExceptionsTable;
}

export type RunRow = Selectable<RunsTable>;
export type NewRunRow = Insertable<RunsTable>;
export type RunUpdate = Updateable<RunsTable>;
export type RunStepRow = Selectable<RunStepsTable>;
export type NewRunStepRow = Insertable<RunStepsTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type NewOutboxRow = Insertable<OutboxTable>;
export type ExceptionRow = Selectable<ExceptionsTable>;
export type WorkflowVersionRow = Selectable<WorkflowVersionsTable>;
export type EventRow = Selectable<EventsTable>;
