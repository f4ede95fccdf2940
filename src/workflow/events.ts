/**
 * Domain events (`payment.received`, `message.replied`, …). Emitting one, in the emitter's
 * transaction: it is recorded; runs waiting for that name and correlation key are woken with it
 * as a signal; workflows with a matching event trigger (and filter) get a new run. All of it
 * commits with the emitter's work, or not at all.
 */
import { sql } from 'kysely';
import { newId } from '../core/ids.ts';
import { parseJsonColumn, toJsonColumn } from '../core/json.ts';
import { Dialect } from '../data/dialect.ts';
import { evaluate, isTruthy, parseExpression } from './expression/index.ts';
import type { EventTrigger } from './definition/schema.ts';
import { RunStatus } from './states.ts';
import { queuedRunRow, type Queryable } from './store/runs.ts';
import type { EngineHooks } from './hooks.ts';

export interface DomainEvent {
  name: string;
  key: string | null;
  payload: unknown;
  source?: string | null;
}

export interface EmitResult {
  eventId: number;
  /** runs that were waiting for this event and are now queued */
  woken: string[];
  /** runs started by event triggers */
  started: string[];
}

/** Name of the PostgreSQL channel that tells workers there is new work. */
export const wakeChannel = 'opsloop_wake';

/**
 * Serialises "a run starts waiting for (name, key)" with "an event (name, key) is emitted" on
 * PostgreSQL, so neither can miss the other under READ COMMITTED. SQLite has one writer anyway.
 */
export async function lockCorrelation(tx: Queryable, dialect: Dialect, name: string, key: string): Promise<void> {
  if (dialect !== Dialect.postgres) return;
  await sql`select pg_advisory_xact_lock(hashtext(${`${name}|${key}`}))`.execute(tx);
}

export async function notifyWorkers(tx: Queryable, dialect: Dialect): Promise<void> {
  if (dialect !== Dialect.postgres) return;
  await sql`select pg_notify(${wakeChannel}, '')`.execute(tx);
}

export async function emitEvent(tx: Queryable, dialect: Dialect, event: DomainEvent, now: number, hooks: EngineHooks = {}): Promise<EmitResult> {
  const inserted = await tx
    .insertInto('events')
    .values({ name: event.name, key: event.key, payload: toJsonColumn(event.payload), source: event.source ?? null, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const eventId = Number(inserted.id);
  const woken: string[] = [];
  if (event.key !== null) {
    await lockCorrelation(tx, dialect, event.name, event.key);
    const waiting = await tx
      .selectFrom('runs')
      .select('id')
      .where('status', '=', RunStatus.waiting)
      .where('wait_name', '=', event.name)
      .where('wait_key', '=', event.key)
      .execute();
    for (const { id } of waiting) {
      await tx.insertInto('signals').values({ run_id: id, name: event.name, payload: toJsonColumn(event.payload), event_id: eventId, created_at: now, consumed_at: null }).execute();
      woken.push(id);
    }
    if (woken.length > 0) {
      await tx.updateTable('runs').set({ status: RunStatus.queued, wake_at: now, updated_at: now }).where('id', 'in', woken).where('status', '=', RunStatus.waiting).execute();
    }
  }
  const triggers = await tx
    .selectFrom('triggers')
    .innerJoin('workflows', 'workflows.id', 'triggers.workflow_id')
    .select(['triggers.workflow_id', 'triggers.idx', 'triggers.config', 'workflows.current_version'])
    .where('triggers.type', '=', 'event')
    .where('triggers.match', '=', event.name)
    .where('workflows.enabled', '=', 1)
    .execute();
  const started: string[] = [];
  for (const trigger of triggers) {
    const config = parseJsonColumn<EventTrigger>(trigger.config);
    if (config?.filter !== undefined) {
      const scope = { event: { name: event.name, key: event.key, payload: event.payload }, payload: event.payload };
      let pass: boolean;
      try {
        const value = evaluate(parseExpression(config.filter), scope);
        pass = isTruthy(value);
      } catch {
        pass = false;
      }
      if (!pass) continue;
    }
    const id = newId();
    const runTrigger = { type: 'event', event: event.name, key: event.key, eventId };
    await tx
      .insertInto('runs')
      .values(queuedRunRow({ id, workflowId: trigger.workflow_id, version: trigger.current_version, input: event.payload, trigger: runTrigger, idempotencyKey: `event:${eventId}:${trigger.idx}`, now }))
      .execute();
    await hooks.runStarted?.(tx, { runId: id, workflowId: trigger.workflow_id, version: trigger.current_version, trigger: runTrigger, now });
    started.push(id);
  }
  if (woken.length > 0 || started.length > 0) await notifyWorkers(tx, dialect);
  return { eventId, woken, started };
}
