/** Runs and steps as the API, the CLI and the UI show them: ISO times, parsed JSON. */
import { isoOf } from '../core/clock.ts';
import { parseJsonColumn } from '../core/json.ts';
import type { RunRow } from '../data/schema.ts';
import type { JournalEntry } from './plan.ts';

export interface StepView {
  seq: number;
  attempt: number;
  stepId: string;
  type: string;
  status: string;
  actor: string;
  input: unknown;
  output: unknown;
  error: unknown;
  meta: unknown;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
}

export interface RunView {
  id: string;
  workflowId: string;
  version: number;
  status: string;
  input: unknown;
  output: unknown;
  error: unknown;
  trigger: unknown;
  idempotencyKey: string | null;
  cursor: string | null;
  stepsDone: number;
  wakeAt: string | null;
  waitingFor: { name: string; key: string | null } | null;
  leaseOwner: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  endedAt: string | null;
  steps?: StepView[];
}

export function toRunView(row: RunRow): RunView {
  return {
    id: row.id,
    workflowId: row.workflow_id,
    version: row.version,
    status: row.status,
    input: parseJsonColumn(row.input),
    output: parseJsonColumn(row.output),
    error: parseJsonColumn(row.error),
    trigger: parseJsonColumn(row.trigger),
    idempotencyKey: row.idempotency_key,
    cursor: row.cursor,
    stepsDone: row.steps_done,
    wakeAt: isoOf(row.wake_at),
    waitingFor: row.wait_name === null ? null : { name: row.wait_name, key: row.wait_key },
    leaseOwner: row.lease_owner,
    createdAt: isoOf(row.created_at),
    updatedAt: isoOf(row.updated_at),
    endedAt: isoOf(row.ended_at),
  };
}

export function toStepView(entry: JournalEntry): StepView {
  return {
    seq: entry.seq,
    attempt: entry.attempt,
    stepId: entry.stepId,
    type: entry.type,
    status: entry.status,
    actor: entry.actor,
    input: entry.input,
    output: entry.output,
    error: entry.error,
    meta: entry.meta,
    startedAt: isoOf(entry.startedAt),
    endedAt: isoOf(entry.endedAt),
    durationMs: entry.endedAt === null ? null : entry.endedAt - entry.startedAt,
  };
}
