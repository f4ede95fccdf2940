/**
 * What a run's expressions and templates can see:
 *   input   the run's input (the trigger payload)
 *   steps   steps.<id> is the latest output of that step
 *   run     id, workflowId, version, startedAt
 *   trigger how the run was started ({ type, ... })
 */
import { isoOf } from '../core/clock.ts';
import { stepOutputs, type JournalEntry } from './plan.ts';

export interface RunIdentity {
  id: string;
  workflowId: string;
  version: number;
  createdAt: number;
  input: unknown;
  trigger: unknown;
}

export function runScope(run: RunIdentity, journal: readonly JournalEntry[]): Record<string, unknown> {
  return {
    input: run.input ?? {},
    steps: stepOutputs(journal),
    run: { id: run.id, workflowId: run.workflowId, version: run.version, startedAt: isoOf(run.createdAt) },
    trigger: run.trigger ?? null,
  };
}
