/**
 * Schedule triggers. A due schedule row is claimed (PostgreSQL: SKIP LOCKED), its next fire time
 * moved on past now, and at most ONE run created, keyed by the fire time so two processes can
 * never start the same fire twice. A fire that was missed while OpsLoop was down follows the
 * trigger's rule: `skip` it, or run `once` for the latest missed time — never a burst.
 */
import { Cron } from 'croner';
import { newId } from '../core/ids.ts';
import { parseJsonColumn } from '../core/json.ts';
import type { Database } from '../data/database.ts';
import { Dialect } from '../data/dialect.ts';
import type { ScheduleTrigger } from './definition/schema.ts';
import { nextCronFire } from './store/workflows.ts';
import { queuedRunRow } from './store/runs.ts';
import type { EngineHooks } from './hooks.ts';

export interface FireDecision {
  fire: boolean;
  /** the scheduled time the run stands for */
  fireAt: number;
  next: number | null;
}

/**
 * Pure: what to do with a schedule whose next fire time `due` has come, at `now`.
 * A fire later than `toleranceMs` counts as missed.
 */
export function decideFire(cron: string, timezone: string, missed: 'skip' | 'once', due: number, now: number, toleranceMs: number): FireDecision {
  const next = nextCronFire(cron, timezone, now);
  if (now - due <= toleranceMs) return { fire: true, fireAt: due, next };
  if (missed === 'skip') return { fire: false, fireAt: due, next };
  // once: stand for the latest fire time not after now
  const schedule = new Cron(cron, { timezone, paused: true });
  let latest = due;
  for (let i = 0; i < 100_000; i += 1) {
    const following = schedule.nextRun(new Date(latest));
    if (following === null || following.getTime() > now) break;
    latest = following.getTime();
  }
  return { fire: true, fireAt: latest, next };
}

/** Fires every due schedule once. Returns the ids of the runs created. */
export async function fireDueSchedules(database: Database, now: number, toleranceMs: number, hooks: EngineHooks = {}): Promise<string[]> {
  const { db, dialect } = database;
  return db.transaction().execute(async (tx) => {
    let due = tx.selectFrom('schedules').selectAll().where('next_fire_at', '<=', now).orderBy('next_fire_at').limit(50);
    if (dialect === Dialect.postgres) due = due.forUpdate().skipLocked();
    const rows = await due.execute();
    const created: string[] = [];
    for (const row of rows) {
      const decision = decideFire(row.cron, row.timezone, row.missed === 'once' ? 'once' : 'skip', row.next_fire_at, now, toleranceMs);
      if (decision.next === null) {
        await tx.deleteFrom('schedules').where('workflow_id', '=', row.workflow_id).where('idx', '=', row.idx).execute();
      } else {
        await tx
          .updateTable('schedules')
          .set({ next_fire_at: decision.next, last_fired_at: decision.fire ? decision.fireAt : row.last_fired_at })
          .where('workflow_id', '=', row.workflow_id)
          .where('idx', '=', row.idx)
          .execute();
      }
      if (!decision.fire) continue;
      const workflow = await tx.selectFrom('workflows').select(['current_version', 'enabled']).where('id', '=', row.workflow_id).executeTakeFirst();
      if (workflow === undefined || workflow.enabled !== 1) continue;
      const trigger = await tx.selectFrom('triggers').select('config').where('workflow_id', '=', row.workflow_id).where('idx', '=', row.idx).executeTakeFirst();
      const config = parseJsonColumn<ScheduleTrigger>(trigger?.config);
      const scheduledAt = new Date(decision.fireAt).toISOString();
      const input = { ...(isObject(config?.input) ? config.input : {}), scheduledAt };
      const id = newId();
      const result = await tx
        .insertInto('runs')
        .values(queuedRunRow({ id, workflowId: row.workflow_id, version: workflow.current_version, input, trigger: { type: 'schedule', cron: row.cron, scheduledAt }, idempotencyKey: `schedule:${row.idx}:${decision.fireAt}`, now }))
        .onConflict((oc) => oc.columns(['workflow_id', 'idempotency_key']).doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0) > 0) {
        await hooks.runStarted?.(tx, { runId: id, workflowId: row.workflow_id, version: workflow.current_version, trigger: { type: 'schedule', scheduledAt }, now });
        created.push(id);
      }
    }
    return created;
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
