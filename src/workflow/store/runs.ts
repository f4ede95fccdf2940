/**
 * Runs and their journal in the database. Queries take either the database or a transaction, so
 * the executor can put a step's journal entry and the run's new state in one commit.
 */
import { sql, type Kysely } from 'kysely';
import { parseJsonColumn, toJsonColumn } from '../../core/json.ts';
import type { Insertable } from 'kysely';
import type { DB, NewRunRow, NewRunStepRow, RunRow, RunStepRow, RunUpdate, SignalsTable } from '../../data/schema.ts';

export type NewSignalRow = Insertable<SignalsTable>;
import { Dialect } from '../../data/dialect.ts';
import { insertRows } from '../../data/fast-insert.ts';
import type { JournalEntry } from '../plan.ts';
import { RunStatus, type StepStatus } from '../states.ts';

export type Queryable = Kysely<DB>;

export function toJournalEntry(row: RunStepRow): JournalEntry {
  return {
    seq: row.seq,
    attempt: row.attempt,
    stepId: row.step_id,
    type: row.type,
    status: row.status as StepStatus,
    actor: row.actor,
    input: parseJsonColumn(row.input),
    output: parseJsonColumn(row.output),
    error: parseJsonColumn(row.error),
    meta: parseJsonColumn(row.meta),
    startedAt: row.started_at,
    endedAt: row.ended_at,
  };
}

export function toJournalRow(runId: string, entry: JournalEntry): NewRunStepRow {
  return {
    run_id: runId,
    seq: entry.seq,
    attempt: entry.attempt,
    step_id: entry.stepId,
    type: entry.type,
    status: entry.status,
    actor: entry.actor,
    input: toJsonColumn(entry.input),
    output: toJsonColumn(entry.output),
    error: toJsonColumn(entry.error),
    meta: toJsonColumn(entry.meta),
    started_at: entry.startedAt,
    ended_at: entry.endedAt,
  };
}

/** A new run row, queued to start at `now` (for schedules, event triggers and queued starts). */
export function queuedRunRow(r: { id: string; workflowId: string; version: number; input: unknown; trigger: unknown; idempotencyKey: string | null; now: number }): NewRunRow {
  return {
    id: r.id,
    workflow_id: r.workflowId,
    version: r.version,
    status: RunStatus.queued,
    input: toJsonColumn(r.input ?? {}),
    output: null,
    error: null,
    trigger: JSON.stringify(r.trigger),
    idempotency_key: r.idempotencyKey,
    cursor: null,
    steps_done: 0,
    wake_at: r.now,
    wait_name: null,
    wait_key: null,
    lease_owner: null,
    lease_expires_at: null,
    created_at: r.now,
    updated_at: r.now,
    ended_at: null,
  };
}

export async function loadJournal(q: Queryable, runId: string): Promise<JournalEntry[]> {
  const rows = await q.selectFrom('run_steps').selectAll().where('run_id', '=', runId).orderBy('seq').orderBy('attempt').execute();
  return rows.map(toJournalEntry);
}

export async function getRunRow(q: Queryable, runId: string): Promise<RunRow | undefined> {
  return q.selectFrom('runs').selectAll().where('id', '=', runId).executeTakeFirst();
}

/** Writes journal entries: new ones are inserted, a changed waiting entry is updated in place. */
export const runColumns = [
  'id', 'workflow_id', 'version', 'status', 'input', 'output', 'error', 'trigger', 'idempotency_key', 'cursor', 'steps_done',
  'wake_at', 'wait_name', 'wait_key', 'lease_owner', 'lease_expires_at', 'created_at', 'updated_at', 'ended_at',
] as const;
export const journalColumns = ['run_id', 'seq', 'attempt', 'step_id', 'type', 'status', 'actor', 'input', 'output', 'error', 'meta', 'started_at', 'ended_at'] as const;

export async function writeJournal(q: Queryable, dialect: Dialect, runId: string, inserts: JournalEntry[], updates: JournalEntry[]): Promise<void> {
  await insertRows(q, dialect, 'run_steps', journalColumns, inserts.map((e) => toJournalRow(runId, e)));
  for (const entry of updates) {
    const row = toJournalRow(runId, entry);
    await q
      .updateTable('run_steps')
      .set({ status: row.status, output: row.output, error: row.error, meta: row.meta, actor: row.actor, ended_at: row.ended_at })
      .where('run_id', '=', runId)
      .where('seq', '=', entry.seq)
      .where('attempt', '=', entry.attempt)
      .execute();
  }
}

/**
 * Updates a run only while `owner` holds its lease. Returns false when the lease was lost (another
 * worker took the run over): the caller must roll back and let go.
 */
export async function updateRunIfLeased(q: Queryable, runId: string, owner: string, patch: RunUpdate): Promise<boolean> {
  const result = await q.updateTable('runs').set(patch).where('id', '=', runId).where('lease_owner', '=', owner).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Claims up to `limit` runs that are due (queued, or waiting with a timeout that passed) or
 * whose worker's lease lapsed. PostgreSQL skips rows other workers are claiming right now.
 */
export async function claimRuns(
  db: Queryable,
  dialect: Dialect,
  owner: string,
  now: number,
  leaseMs: number,
  limit: number,
): Promise<RunRow[]> {
  if (limit <= 0) return [];
  const claimed: RunRow[] = [];
  const claimWhere = async (kind: 'due' | 'lapsed', n: number): Promise<void> => {
    let candidates = db.selectFrom('runs').select('id').limit(n);
    candidates =
      kind === 'due'
        ? candidates.where('status', 'in', [RunStatus.queued, RunStatus.waiting]).where('wake_at', '<=', now).orderBy('wake_at')
        : candidates.where('status', '=', RunStatus.running).where('lease_expires_at', '<', now);
    if (dialect === Dialect.postgres) candidates = candidates.forUpdate().skipLocked();
    const rows = await db
      .updateTable('runs')
      .set({ status: RunStatus.running, lease_owner: owner, lease_expires_at: now + leaseMs, updated_at: now })
      .where('id', 'in', candidates)
      .returningAll()
      .execute();
    claimed.push(...rows);
  };
  await claimWhere('due', limit);
  if (claimed.length < limit) await claimWhere('lapsed', limit - claimed.length);
  return claimed;
}

/** Extends the leases of every run this worker is executing. */
export async function renewLeases(db: Queryable, owner: string, now: number, leaseMs: number): Promise<void> {
  await db
    .updateTable('runs')
    .set({ lease_expires_at: now + leaseMs })
    .where('lease_owner', '=', owner)
    .where('status', '=', RunStatus.running)
    .execute();
}

/** Lets go of a run this worker cannot finish now (e.g. shutting down): it is queued again. */
export async function releaseRun(db: Queryable, runId: string, owner: string, now: number): Promise<void> {
  await db
    .updateTable('runs')
    .set({ status: RunStatus.queued, lease_owner: null, lease_expires_at: null, wake_at: now, updated_at: now })
    .where('id', '=', runId)
    .where('lease_owner', '=', owner)
    .where('status', '=', RunStatus.running)
    .execute();
}

/** PostgreSQL: locks the run's row until the transaction ends (SQLite has one writer anyway). */
export async function lockRunRow(tx: Queryable, dialect: Dialect, runId: string): Promise<void> {
  if (dialect !== Dialect.postgres) return;
  await sql`select 1 from runs where id = ${runId} for update`.execute(tx);
}

/** Consumes the oldest unconsumed signal with this name addressed to the run. */
export async function consumeSignal(q: Queryable, runId: string, name: string, now: number): Promise<{ payload: unknown; id: number; eventId: number | null } | null> {
  const row = await q
    .selectFrom('signals')
    .select(['id', 'payload', 'event_id'])
    .where('run_id', '=', runId)
    .where('name', '=', name)
    .where('consumed_at', 'is', null)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (row === undefined) return null;
  await q.updateTable('signals').set({ consumed_at: now }).where('id', '=', row.id).execute();
  return { payload: parseJsonColumn(row.payload), id: row.id, eventId: row.event_id };
}

/**
 * A domain event with this name and key emitted since the run started and not yet used by it:
 * an event that arrived before the run reached its wait still counts.
 */
export async function takeEarlierEvent(
  q: Queryable,
  runId: string,
  runCreatedAt: number,
  name: string,
  key: string,
  now: number,
  /** a run not yet in the database: its used events are kept here and written after the run row */
  unsaved?: NewSignalRow[],
): Promise<{ payload: unknown } | null> {
  const used = (unsaved ?? []).map((s) => s.event_id).filter((id): id is number => id !== null && id !== undefined);
  const event = await q
    .selectFrom('events')
    .select(['id', 'payload'])
    .where('name', '=', name)
    .where('key', '=', key)
    .where('created_at', '>=', runCreatedAt)
    .$if(used.length > 0, (qb) => qb.where('id', 'not in', used))
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('signals').select(sql.lit(1).as('one')).where('signals.run_id', '=', runId).whereRef('signals.event_id', '=', 'events.id'))),
    )
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (event === undefined) return null;
  const row = { run_id: runId, name, payload: event.payload, event_id: event.id, created_at: now, consumed_at: now };
  if (unsaved === undefined) await q.insertInto('signals').values(row).execute();
  else unsaved.push(row);
  return { payload: parseJsonColumn(event.payload) };
}
