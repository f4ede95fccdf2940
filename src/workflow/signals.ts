/**
 * Signals addressed to one run: approval decisions, and any named message a wait step expects.
 * A signal that arrives before the run waits for it is kept and taken when the run gets there.
 */
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors.ts';
import { toJsonColumn } from '../core/json.ts';
import type { Dialect } from '../data/dialect.ts';
import { notifyWorkers } from './events.ts';
import { RunStatus } from './states.ts';
import { lockRunRow, type Queryable } from './store/runs.ts';

/** The payload of an `approval` signal. */
export const approvalDecisionSchema = z
  .object({
    decision: z.enum(['approve', 'reject']),
    /** the approved data, when the person edited what was proposed */
    data: z.unknown().optional(),
    by: z.string().max(200).optional(),
    reason: z.string().max(2000).optional(),
  })
  .strict();
export type ApprovalDecision = z.infer<typeof approvalDecisionSchema>;

export const signalNameSchema = z.string().min(1).max(200);

/** Stores a signal for a run and wakes it if it waits for that name. Returns whether it was woken. */
export async function signalRun(tx: Queryable, dialect: Dialect, runId: string, name: string, payload: unknown, now: number): Promise<{ woken: boolean }> {
  if (!signalNameSchema.safeParse(name).success) throw new ValidationError('SIGNAL_INVALID', 'Signal name must be 1 to 200 characters', { details: { path: 'name' } });
  if (name === 'approval') {
    const parsed = approvalDecisionSchema.safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ValidationError('SIGNAL_INVALID', `Approval decision is invalid at payload.${issue?.path.join('.') || ''}: ${issue?.message ?? 'invalid'}`, {
        details: { path: `payload.${issue?.path.join('.') ?? ''}` },
      });
    }
  }
  await lockRunRow(tx, dialect, runId);
  const run = await tx.selectFrom('runs').select(['status', 'wait_name']).where('id', '=', runId).executeTakeFirst();
  if (run === undefined) throw new NotFoundError('RUN_NOT_FOUND', `There is no run ${runId}`, { details: { runId } });
  if (run.status === RunStatus.completed || run.status === RunStatus.cancelled) {
    throw new ConflictError('RUN_ENDED', `Run ${runId} has ended (${run.status}); it takes no more signals`, { details: { runId, status: run.status } });
  }
  await tx.insertInto('signals').values({ run_id: runId, name, payload: toJsonColumn(payload), event_id: null, created_at: now, consumed_at: null }).execute();
  if (run.status === RunStatus.waiting && run.wait_name === name) {
    await tx.updateTable('runs').set({ status: RunStatus.queued, wake_at: now, updated_at: now }).where('id', '=', runId).execute();
    await notifyWorkers(tx, dialect);
    return { woken: true };
  }
  return { woken: false };
}
