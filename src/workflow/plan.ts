/**
 * The planner: given a run's definition and its journal, what happens next. Pure — no I/O, no
 * clock — so replay is table-testable: "given these journaled steps, the next thing run is X".
 *
 * The journal is authoritative. A recorded step that is not the one the definition says should
 * come at that position is a typed error (WORKFLOW_REPLAY_MISMATCH), never a silent re-run.
 */
import { ErrorCategory, OpsLoopError } from '../core/errors.ts';
import type { StepDefinition, WorkflowDefinition } from './definition/schema.ts';
import { StepStatus } from './states.ts';

export interface JournalEntry {
  seq: number;
  attempt: number;
  stepId: string;
  type: string;
  status: StepStatus;
  actor: string;
  input: unknown;
  output: unknown;
  error: { code: string; message: string; name?: string; retriable?: boolean } | null;
  meta: Record<string, unknown> | null;
  startedAt: number;
  endedAt: number | null;
}

export type Plan =
  /** run this step now, as attempt `attempt` at journal position `seq` */
  | { kind: 'execute'; step: StepDefinition; seq: number; attempt: number }
  /** the step at the end of the journal is waiting: look for its signal, or its timeout */
  | { kind: 'resume'; step: StepDefinition; entry: JournalEntry }
  /** the run is over: an end step ran (`output` is its output) or the last step finished */
  | { kind: 'complete'; via: 'end' | 'fallthrough'; output: unknown }
  /** a person rejected and the step declares no onReject: the run stops */
  | { kind: 'cancel'; entry: JournalEntry };

export class ReplayMismatchError extends OpsLoopError {
  constructor(message: string, details: Record<string, unknown>) {
    super('WORKFLOW_REPLAY_MISMATCH', ErrorCategory.conflict, message, { details });
    this.name = 'ReplayMismatchError';
  }
}

const cancelRun = Symbol('cancel');
const endRun = Symbol('end');
type Successor = string | null | typeof cancelRun | typeof endRun;

/** The step after `step` when nothing overrides it: `next`, else the following one in the list. */
export function defaultNext(definition: WorkflowDefinition, step: StepDefinition): string | null {
  if (step.next !== undefined) return step.next;
  const index = definition.steps.findIndex((s) => s.id === step.id);
  return definition.steps[index + 1]?.id ?? null;
}

function successor(definition: WorkflowDefinition, step: StepDefinition, entry: JournalEntry): Successor {
  switch (entry.status) {
    case StepStatus.completed:
      if (step.type === 'end') return endRun;
      if (step.type === 'branch') {
        const chosen = (entry.output as { next?: unknown } | null)?.next;
        if (typeof chosen !== 'string') {
          throw new ReplayMismatchError(`Journal entry ${entry.seq} of branch "${step.id}" has no recorded choice`, { seq: entry.seq, stepId: step.id });
        }
        return chosen;
      }
      return defaultNext(definition, step);
    case StepStatus.skipped:
      if (step.type === 'end') return endRun;
      if (step.type === 'branch') return step.default ?? defaultNext(definition, step);
      return defaultNext(definition, step);
    case StepStatus.timedOut:
      return ('onTimeout' in step ? step.onTimeout : undefined) ?? defaultNext(definition, step);
    case StepStatus.rejected:
      return ('onReject' in step ? step.onReject : undefined) ?? cancelRun;
    case StepStatus.failed:
    case StepStatus.waiting:
      throw new ReplayMismatchError(`Journal entry ${entry.seq} ("${step.id}") is unfinished but is not the last entry`, { seq: entry.seq, stepId: step.id });
    default: {
      const never: never = entry.status;
      throw new ReplayMismatchError(`Journal entry ${entry.seq} has an unknown status ${String(never)}`, { seq: entry.seq });
    }
  }
}

/** Keeps, for each journal position, the entry of its latest attempt. */
export function latestAttempts(journal: readonly JournalEntry[]): JournalEntry[] {
  const bySeq: JournalEntry[] = [];
  for (const entry of journal) {
    const current = bySeq[entry.seq];
    if (current === undefined || entry.attempt > current.attempt) bySeq[entry.seq] = entry;
  }
  return bySeq;
}

/** Decides what the engine does next for a run. Throws ReplayMismatchError on a journal that does not fit. */
const stepIndex = new WeakMap<WorkflowDefinition, Map<string, StepDefinition>>();

function stepsById(definition: WorkflowDefinition): Map<string, StepDefinition> {
  let byId = stepIndex.get(definition);
  if (byId === undefined) {
    byId = new Map(definition.steps.map((s) => [s.id, s] as const));
    stepIndex.set(definition, byId);
  }
  return byId;
}

export function planNext(definition: WorkflowDefinition, journal: readonly JournalEntry[]): Plan {
  const byId = stepsById(definition);
  const entries = latestAttempts(journal);
  const first = definition.steps[0];
  if (first === undefined) throw new ReplayMismatchError('Workflow has no steps', {});
  let expected: Successor = first.id;
  let lastOutput: unknown = null;

  for (let seq = 0; seq < entries.length; seq += 1) {
    const entry = entries[seq];
    if (entry === undefined) throw new ReplayMismatchError(`Journal has no entry at position ${seq}`, { seq });
    if (typeof expected !== 'string') {
      throw new ReplayMismatchError(`Journal continues after the run ended (entry ${seq}, step "${entry.stepId}")`, { seq, recorded: entry.stepId });
    }
    if (entry.stepId !== expected) {
      throw new ReplayMismatchError(
        `Journal entry ${seq} recorded step "${entry.stepId}" but the workflow definition expects "${expected}" there`,
        { seq, recorded: entry.stepId, expected },
      );
    }
    const step = byId.get(entry.stepId);
    if (step === undefined) throw new ReplayMismatchError(`Step "${entry.stepId}" is not in the definition`, { seq, recorded: entry.stepId });
    if (step.type !== entry.type) {
      throw new ReplayMismatchError(`Journal entry ${seq} recorded a ${entry.type} step but "${step.id}" is a ${step.type} step`, { seq, recorded: entry.type, expected: step.type });
    }
    const isLast = seq === entries.length - 1;
    if (isLast && entry.status === StepStatus.failed) return { kind: 'execute', step, seq, attempt: entry.attempt + 1 };
    if (isLast && entry.status === StepStatus.waiting) return { kind: 'resume', step, entry };
    expected = successor(definition, step, entry);
    if (expected === cancelRun) {
      if (!isLast) throw new ReplayMismatchError(`Journal continues after a rejection ended the run (entry ${seq})`, { seq });
      return { kind: 'cancel', entry };
    }
    if (typeof expected === 'string' && !byId.has(expected)) {
      throw new ReplayMismatchError(`Step "${step.id}" leads to "${expected}", which is not in the definition`, { seq, expected });
    }
    lastOutput = entry.output;
    if (isLast && expected === endRun) return { kind: 'complete', via: 'end', output: entry.output };
  }
  if (expected === null) return { kind: 'complete', via: 'fallthrough', output: lastOutput };
  if (typeof expected !== 'string') return { kind: 'complete', via: 'end', output: lastOutput };
  const step = byId.get(expected);
  if (step === undefined) throw new ReplayMismatchError(`Step "${expected}" is not in the definition`, { expected });
  return { kind: 'execute', step, seq: entries.length, attempt: 1 };
}

/** The outputs a run's expressions see as `steps.<id>`: the latest completed output of each step. */
export function stepOutputs(journal: readonly JournalEntry[]): Record<string, unknown> {
  const outputs: Record<string, unknown> = {};
  for (const entry of latestAttempts(journal)) {
    if (entry === undefined) continue;
    if (entry.status !== StepStatus.failed && entry.status !== StepStatus.waiting) {
      outputs[entry.stepId] = entry.output;
    }
  }
  return outputs;
}
