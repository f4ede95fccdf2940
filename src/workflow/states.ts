/**
 * Run and step states of the durable engine.
 *
 * Run states and transitions:
 *
 *   queued    --claim-------------------------------> running
 *   running   --step completed, more inline work----> running      (same worker, same lease)
 *   running   --run ends (end step / last step)-----> completed
 *   running   --wait or approval entered------------> waiting      (wake_at = timeout, if any)
 *   running   --attempt failed, retries left--------> queued       (wake_at = now + backoff)
 *   running   --attempt failed, none left-----------> exception    (an exception row names the owner)
 *   running   --rejected without onReject-----------> cancelled
 *   running   --lease lapsed (worker died)----------> running      (claimed by another worker)
 *   waiting   --signal or event arrives-------------> queued
 *   waiting   --timeout reached (wake_at)-----------> running      (claimed; takes the timeout path)
 *   exception --operator: retry / skip--------------> queued
 *   queued | waiting | exception --operator: cancel-> cancelled
 *
 * Step (journal entry) states; one row per attempt, (run_id, seq, attempt):
 *
 *   completed  output recorded; the run moves on (for a branch, output.next names the choice)
 *   failed     this attempt threw; a later attempt, a skip, or the run's exception follows
 *   waiting    a wait, an approval, or a proposal awaiting a decision; becomes one of:
 *   timed_out  the wait or approval ran out; the run takes onTimeout
 *   rejected   a person said no; the run takes onReject, or is cancelled
 *   skipped    an operator skipped the step after an exception; output is null
 */

export const RunStatus = {
  queued: 'queued',
  running: 'running',
  waiting: 'waiting',
  completed: 'completed',
  exception: 'exception',
  cancelled: 'cancelled',
} as const;
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];
export const runStatuses = Object.values(RunStatus);

export const StepStatus = {
  completed: 'completed',
  failed: 'failed',
  waiting: 'waiting',
  timedOut: 'timed_out',
  rejected: 'rejected',
  skipped: 'skipped',
} as const;
export type StepStatus = (typeof StepStatus)[keyof typeof StepStatus];

/** Who did a step: the engine itself, an AI skill, or a person. */
export const Actor = { system: 'system', ai: 'ai', person: 'person' } as const;
export type Actor = string;

export function isTerminal(status: RunStatus): boolean {
  switch (status) {
    case RunStatus.completed:
    case RunStatus.cancelled:
      return true;
    case RunStatus.queued:
    case RunStatus.running:
    case RunStatus.waiting:
    case RunStatus.exception:
      return false;
    default: {
      const never: never = status;
      throw new Error(`unknown run status ${String(never)}`);
    }
  }
}

export function isRunStatus(value: string): value is RunStatus {
  return (runStatuses as string[]).includes(value);
}
