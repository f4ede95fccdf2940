/**
 * A unit of work in progress: the journal entries and run state one commit will write. The
 * executor builds it inside the transaction; only after the commit does the in-memory run adopt
 * it, so a failed commit leaves nothing half-applied.
 */
import { ErrorCategory, OpsLoopError } from '../core/errors.ts';
import { toJsonColumn } from '../core/json.ts';
import type { NewOutboxRow, RunUpdate } from '../data/schema.ts';
import type { NewSignalRow } from './store/runs.ts';
import type { JournalEntry } from './plan.ts';
import type { WorkflowDefinition } from './definition/schema.ts';
import type { EngineHooks } from './hooks.ts';
import type { RunIdentity } from './scope.ts';
import type { Dialect } from '../data/dialect.ts';
import { insertRows } from '../data/fast-insert.ts';
import { raiseException } from './exceptions.ts';
import { journalColumns, runColumns } from './store/runs.ts';
import { RunStatus } from './states.ts';
import { toJournalRow, updateRunIfLeased, writeJournal, type Queryable } from './store/runs.ts';

export class LeaseLostError extends OpsLoopError {
  constructor(runId: string) {
    super('RUN_LEASE_LOST', ErrorCategory.conflict, `Run ${runId} was taken over by another worker; this worker lets go of it`);
    this.name = 'LeaseLostError';
  }
}

/** A run as the executor holds it while advancing it. */
export interface RunInMemory extends RunIdentity {
  idempotencyKey: string | null;
  journal: JournalEntry[];
  /** the definition version the run is pinned to */
  definition: WorkflowDefinition;
  /** whether the run row exists in the database yet */
  persisted: boolean;
}

export interface RunFinal {
  status: RunStatus;
  output?: unknown;
  error?: unknown;
  wakeAt?: number | null;
  waitName?: string | null;
  waitKey?: string | null;
}

export interface NewException {
  stepId: string | null;
  kind: string;
  code: string;
  message: string;
  owner?: string | null;
}

export class UnitDraft {
  readonly journal: JournalEntry[];
  readonly #inserted: JournalEntry[] = [];
  readonly #updated = new Map<string, JournalEntry>();
  readonly effects: NewOutboxRow[] = [];
  /** events a run not yet saved has used (its waits' wake-ups), written after the run row */
  readonly usedEvents: NewSignalRow[] = [];
  readonly exceptions: NewException[] = [];
  final: RunFinal | null = null;

  readonly run: RunInMemory;
  readonly now: number;

  constructor(run: RunInMemory, now: number) {
    this.run = run;
    this.now = now;
    this.journal = [...run.journal];
  }

  get progressed(): boolean {
    return this.#inserted.length > 0 || this.#updated.size > 0;
  }

  append(entry: JournalEntry): void {
    this.journal.push(entry);
    this.#inserted.push(entry);
  }

  /** Replaces an entry (same seq and attempt), e.g. a wait that got its signal. */
  replace(entry: JournalEntry): void {
    const index = this.journal.findIndex((e) => e.seq === entry.seq && e.attempt === entry.attempt);
    if (index >= 0) this.journal[index] = entry;
    const insertedIndex = this.#inserted.findIndex((e) => e.seq === entry.seq && e.attempt === entry.attempt);
    if (insertedIndex >= 0) this.#inserted[insertedIndex] = entry;
    else this.#updated.set(`${entry.seq}:${entry.attempt}`, entry);
  }

  finish(final: RunFinal): void {
    this.final = final;
  }

  /** Writes everything in the transaction; throws LeaseLostError when another worker owns the run. */
  async write(tx: Queryable, dialect: Dialect, owner: string, leaseMs: number, hooks: EngineHooks): Promise<void> {
    const final = this.final ?? { status: RunStatus.running };
    const last = this.journal[this.journal.length - 1];
    const ended = final.status === RunStatus.completed || final.status === RunStatus.cancelled;
    const holdsLease = final.status === RunStatus.running;
    const patch: RunUpdate = {
      status: final.status,
      cursor: last?.stepId ?? null,
      steps_done: this.journal.length,
      output: final.output === undefined ? null : toJsonColumn(final.output),
      error: final.error === undefined ? null : toJsonColumn(final.error),
      wake_at: final.wakeAt ?? null,
      wait_name: final.waitName ?? null,
      wait_key: final.waitKey ?? null,
      lease_owner: holdsLease ? owner : null,
      lease_expires_at: holdsLease ? this.now + leaseMs : null,
      updated_at: this.now,
      ended_at: ended ? this.now : null,
    };
    if (!this.run.persisted) {
      await insertRows(tx, dialect, 'runs', runColumns, [
        {
          id: this.run.id,
          workflow_id: this.run.workflowId,
          version: this.run.version,
          input: toJsonColumn(this.run.input),
          trigger: JSON.stringify(this.run.trigger ?? { type: 'manual' }),
          idempotency_key: this.run.idempotencyKey,
          created_at: this.run.createdAt,
          ...patch,
          status: patch.status ?? RunStatus.running,
          steps_done: patch.steps_done ?? 0,
          updated_at: this.now,
        },
      ]);
      await hooks.runStarted?.(tx, { runId: this.run.id, workflowId: this.run.workflowId, version: this.run.version, trigger: this.run.trigger, now: this.now });
      await insertRows(tx, dialect, 'run_steps', journalColumns, this.#inserted.map((e) => toJournalRow(this.run.id, e)));
      if (this.usedEvents.length > 0) await tx.insertInto('signals').values(this.usedEvents).execute();
    } else {
      const ok = await updateRunIfLeased(tx, this.run.id, owner, patch);
      if (!ok) throw new LeaseLostError(this.run.id);
      await writeJournal(tx, dialect, this.run.id, this.#inserted, [...this.#updated.values()]);
    }
    if (this.effects.length > 0) await tx.insertInto('outbox').values(this.effects).execute();
    for (const exception of this.exceptions) {
      const owner = exception.owner ?? this.run.definition.owner ?? 'role:admin';
      await raiseException(tx, hooks, { runId: this.run.id, workflowId: this.run.workflowId, stepId: exception.stepId, kind: exception.kind, code: exception.code, message: exception.message, owner, now: this.now });
    }
  }
}
