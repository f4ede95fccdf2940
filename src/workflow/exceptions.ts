/**
 * Raising an exception: the row a person resolves from the inbox and the `exceptionRaised` hook
 * (audit, the owner's email), in the caller's transaction. The one way an exception is written —
 * by a run's step, a dead outbox delivery, or work that belongs to no run (a payment to refund).
 */
import { newId } from '../core/ids.ts';
import type { EngineHooks, ExceptionRaisedInfo } from './hooks.ts';
import type { Queryable } from './store/runs.ts';

export type NewException = Omit<ExceptionRaisedInfo, 'exceptionId' | 'owner'> & { owner: string; outboxId?: string | null };

export async function raiseException(tx: Queryable, hooks: EngineHooks, exception: NewException): Promise<string> {
  const exceptionId = newId();
  const { outboxId, ...info } = exception;
  await tx
    .insertInto('exceptions')
    .values({ id: exceptionId, run_id: info.runId, step_id: info.stepId, outbox_id: outboxId ?? null, kind: info.kind, code: info.code, message: info.message, owner: info.owner, status: 'open', resolution: null, created_at: info.now, resolved_at: null })
    .execute();
  await hooks.exceptionRaised?.(tx, { exceptionId, ...info });
  return exceptionId;
}
