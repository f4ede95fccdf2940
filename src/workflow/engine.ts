/**
 * The engine: the one object through which the server, the CLI, workers and domains start runs,
 * signal them, emit events and operate on exceptions. It owns the executor (advancing runs), the
 * outbox dispatcher and the worker loop (see worker.ts).
 */
import { ConflictError, NotFoundError, ValidationError } from '../core/errors.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import { newId } from '../core/ids.ts';
import { parseJsonColumn, toJsonColumn } from '../core/json.ts';
import type { Logger } from '../core/logger.ts';
import type { Database } from '../data/database.ts';
import type { RunRow } from '../data/schema.ts';
import { Committer } from './committer.ts';
import { parseDefinition, parseDefinitionText } from './definition/parse.ts';
import type { WorkflowDefinition } from './definition/schema.ts';
import type { RunFinal, RunInMemory, UnitDraft } from './draft.ts';
import { emitEvent, notifyWorkers, type EmitResult } from './events.ts';
import { Executor } from './executor.ts';
import { continueGate, type Gate } from './gate.ts';
import type { EngineHooks } from './hooks.ts';
import { latestAttempts } from './plan.ts';
import type { Registry } from './registry.ts';
import { signalRun } from './signals.ts';
import { RunStatus, StepStatus, Actor, type RunStatus as RunStatusT } from './states.ts';
import { getRunRow, loadJournal, queuedRunRow } from './store/runs.ts';
import { WorkflowStore, type SaveResult } from './store/workflows.ts';
import { toRunView, toStepView, type RunView } from './views.ts';
import { OutboxDispatcher } from './outbox.ts';

export interface EngineSettings {
  workerId: string;
  leaseSeconds: number;
  pollIntervalMs: number;
  workerConcurrency: number;
  outboxMaxAttempts: number;
}

export interface EngineOptions {
  database: Database;
  registry: Registry;
  logger: Logger;
  settings: EngineSettings;
  gate?: Gate;
  hooks?: EngineHooks;
  clock?: Clock;
  maxStepsPerRun?: number;
}

export interface StartRunOptions {
  trigger?: Record<string, unknown>;
  /** a second start with the same key returns the first run instead of starting another */
  idempotencyKey?: string;
  /** advance the run in this process right away (default true); false only queues it */
  execute?: boolean;
}

export interface StartedRun {
  runId: string;
  /** false when the idempotency key matched an earlier run */
  created: boolean;
  /** where the run stopped when it was advanced here; absent for queued or earlier runs */
  final?: RunFinal;
}

type SettleListener = (view: RunView) => void;
export type WakeReason = 'runs' | 'outbox';

export class Engine {
  readonly database: Database;
  readonly registry: Registry;
  readonly workflows: WorkflowStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: EngineSettings;
  readonly committer: Committer;
  readonly executor: Executor;
  readonly dispatcher: OutboxDispatcher;
  /** runs this process is advancing right now */
  readonly active = new Map<string, Promise<void>>();
  readonly hooks: EngineHooks;
  readonly #settleListeners = new Map<string, Set<SettleListener>>();
  readonly #wakeListeners = new Set<(what: WakeReason) => void>();

  constructor(options: EngineOptions) {
    this.database = options.database;
    this.registry = options.registry;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger;
    this.settings = options.settings;
    this.hooks = options.hooks ?? {};
    this.workflows = new WorkflowStore(options.database, this.hooks);
    this.committer = new Committer(options.database);
    const now = (): number => this.clock.now();
    this.executor = new Executor({
      dialect: options.database.dialect,
      registry: options.registry,
      gate: options.gate ?? continueGate,
      committer: this.committer,
      db: options.database.db,
      now,
      owner: options.settings.workerId,
      leaseMs: options.settings.leaseSeconds * 1000,
      logger: options.logger,
      maxStepsPerRun: options.maxStepsPerRun ?? 10_000,
      hooks: this.hooks,
      onCommitted: (run, draft) => this.#committed(run, draft),
    });
    this.dispatcher = new OutboxDispatcher({
      database: options.database,
      registry: options.registry,
      now,
      owner: options.settings.workerId,
      leaseMs: options.settings.leaseSeconds * 1000,
      maxAttempts: options.settings.outboxMaxAttempts,
      logger: options.logger,
      hooks: this.hooks,
    });
  }

  /** Subscribe to "there may be new work": `runs` (queued runs) or `outbox` (effects to deliver). */
  onWake(listener: (what: WakeReason) => void): () => void {
    this.#wakeListeners.add(listener);
    return () => this.#wakeListeners.delete(listener);
  }

  wake(what: WakeReason = 'runs'): void {
    for (const listener of this.#wakeListeners) listener(what);
  }

  #committed(run: RunInMemory, draft: UnitDraft): void {
    const status = draft.final?.status ?? RunStatus.running;
    if (draft.effects.length > 0) this.wake('outbox');
    if (status === RunStatus.queued && (draft.final?.wakeAt ?? 0) <= this.clock.now()) this.wake('runs');
    if (status !== RunStatus.running) {
      const listeners = this.#settleListeners.get(run.id);
      if (listeners !== undefined && listeners.size > 0) {
        void this.getRun(run.id).then(
          (view) => listeners.forEach((l) => l(view)),
          () => undefined,
        );
      }
    }
  }

  /** Validates (YAML/JSON text or an object) against the registry and stores a new version if the content changed. */
  async addWorkflow(source: string | unknown): Promise<SaveResult & { definition: WorkflowDefinition }> {
    const definition = typeof source === 'string' ? parseDefinitionText(source, this.registry) : parseDefinition(source, this.registry);
    const saved = await this.workflows.save(definition, this.clock.now());
    return { ...saved, definition };
  }

  /**
   * Starts a run of the workflow's current version. By default the run is advanced right here
   * until it ends or has to wait; it is durable from its first commit.
   */
  async startRun(workflowId: string, input: unknown, options: StartRunOptions = {}): Promise<StartedRun> {
    if (input !== undefined && input !== null && (typeof input !== 'object' || Array.isArray(input))) {
      throw new ValidationError('RUN_INPUT_INVALID', 'Run input must be a JSON object', { details: { path: 'input' } });
    }
    const { summary, definition } = await this.workflows.current(workflowId);
    if (!summary.enabled) throw new ConflictError('WORKFLOW_DISABLED', `Workflow "${workflowId}" is disabled`);
    const idempotencyKey = options.idempotencyKey ?? null;
    if (idempotencyKey !== null) {
      const existing = await this.#byIdempotencyKey(workflowId, idempotencyKey);
      if (existing !== undefined) return { runId: existing.id, created: false };
    }
    const now = this.clock.now();
    const run: RunInMemory = {
      id: newId(),
      workflowId,
      version: summary.currentVersion,
      createdAt: now,
      input: input ?? {},
      trigger: options.trigger ?? { type: 'manual' },
      idempotencyKey,
      journal: [],
      definition,
      persisted: false,
    };
    if (options.execute === false) {
      try {
        await this.committer.unit(async (tx) => {
          await tx
            .insertInto('runs')
            .values(queuedRunRow({ id: run.id, workflowId, version: run.version, input: run.input, trigger: run.trigger, idempotencyKey, now }))
            .execute();
          await this.hooks.runStarted?.(tx, { runId: run.id, workflowId, version: run.version, trigger: run.trigger, now });
          await notifyWorkers(tx, this.database.dialect);
        });
      } catch (error) {
        return this.#duplicateOr(error, workflowId, idempotencyKey);
      }
      this.wake();
      return { runId: run.id, created: true };
    }
    try {
      const final = await this.#track(run.id, this.executor.advance(run));
      return { runId: run.id, created: true, final };
    } catch (error) {
      if (!run.persisted) return this.#duplicateOr(error, workflowId, idempotencyKey);
      throw error;
    }
  }

  async #duplicateOr(error: unknown, workflowId: string, idempotencyKey: string | null): Promise<StartedRun> {
    if (idempotencyKey !== null) {
      const existing = await this.#byIdempotencyKey(workflowId, idempotencyKey);
      if (existing !== undefined) return { runId: existing.id, created: false };
    }
    throw error;
  }

  async #byIdempotencyKey(workflowId: string, key: string): Promise<{ id: string } | undefined> {
    return this.database.db.selectFrom('runs').select('id').where('workflow_id', '=', workflowId).where('idempotency_key', '=', key).executeTakeFirst();
  }

  /** Advances a run this worker has claimed (its row has our lease). */
  advanceClaimed(row: RunRow): Promise<RunFinal> {
    // Registered as active at once, before any await, so drains and shutdowns see it.
    return this.#track(row.id, this.#loadAndAdvance(row));
  }

  async #loadAndAdvance(row: RunRow): Promise<RunFinal> {
    const definition = await this.workflows.version(row.workflow_id, row.version);
    // A run that has done nothing yet has no journal to read.
    const journal = row.steps_done === 0 && row.cursor === null ? [] : await loadJournal(this.database.db, row.id);
    const run: RunInMemory = {
      id: row.id,
      workflowId: row.workflow_id,
      version: row.version,
      createdAt: row.created_at,
      input: parseJsonColumn(row.input) ?? {},
      trigger: parseJsonColumn(row.trigger),
      idempotencyKey: row.idempotency_key,
      journal,
      definition,
      persisted: true,
    };
    return this.executor.advance(run);
  }

  async #track<T>(runId: string, work: Promise<T>): Promise<T> {
    const tracked = work.finally(() => {
      if (this.active.get(runId) === settledMarker) this.active.delete(runId);
    });
    const settledMarker: Promise<void> = tracked.then(
      () => undefined,
      () => undefined,
    );
    this.active.set(runId, settledMarker);
    return tracked;
  }

  /** Sends a signal to a run (e.g. an approval decision); a waiting run is woken. */
  async signal(runId: string, name: string, payload: unknown): Promise<{ woken: boolean }> {
    const result = await this.committer.unit((tx) => signalRun(tx, this.database.dialect, runId, name, payload, this.clock.now()));
    if (result.woken) this.wake();
    return result;
  }

  /** Emits a domain event: wakes runs waiting for it and starts runs of workflows triggered by it. */
  async emit(name: string, key: string | null, payload: unknown, source: string | null = null): Promise<EmitResult> {
    if (name.trim() === '') throw new ValidationError('EVENT_INVALID', 'Event name must not be empty', { details: { path: 'name' } });
    const result = await this.committer.unit((tx) => emitEvent(tx, this.database.dialect, { name, key, payload, source }, this.clock.now(), this.hooks));
    if (result.woken.length > 0 || result.started.length > 0) this.wake();
    return result;
  }

  /** Exception → queued: the failed step is tried again (a fresh attempt). */
  async retry(runId: string, by = 'operator'): Promise<RunView> {
    await this.#operate(runId, [RunStatus.exception], by, null, async (tx, now) => {
      await tx.updateTable('runs').set({ status: RunStatus.queued, wake_at: now, error: null, updated_at: now }).where('id', '=', runId).execute();
      return 'retried';
    });
    this.wake();
    return this.getRun(runId);
  }

  /** Exception → queued past the failed step, which is recorded as skipped with `output`. */
  async skip(runId: string, output: unknown = null, by = 'operator'): Promise<RunView> {
    await this.#operate(runId, [RunStatus.exception], by, null, async (tx, now) => {
      const journal = latestAttempts(await loadJournal(tx, runId));
      const last = journal[journal.length - 1];
      if (last === undefined || last.status !== StepStatus.failed) {
        throw new ConflictError('RUN_NOT_SKIPPABLE', `Run ${runId} has no failed step to skip`);
      }
      await tx
        .insertInto('run_steps')
        .values({ run_id: runId, seq: last.seq, attempt: last.attempt + 1, step_id: last.stepId, type: last.type, status: StepStatus.skipped, actor: `${Actor.person}:${by}`, input: null, output: toJsonColumn(output), error: null, meta: null, started_at: now, ended_at: now })
        .execute();
      await tx.updateTable('runs').set({ status: RunStatus.queued, wake_at: now, error: null, updated_at: now }).where('id', '=', runId).execute();
      return 'skipped';
    });
    this.wake();
    return this.getRun(runId);
  }

  /** Stops a run that has not ended. */
  async cancel(runId: string, reason = 'cancelled by operator', by = 'operator'): Promise<RunView> {
    await this.#operate(runId, [RunStatus.queued, RunStatus.waiting, RunStatus.exception, RunStatus.running], by, reason, async (tx, now) => {
      await tx
        .updateTable('runs')
        .set({ status: RunStatus.cancelled, error: JSON.stringify({ code: 'CANCELLED', message: reason }), ended_at: now, updated_at: now, lease_owner: null, lease_expires_at: null, wake_at: null })
        .where('id', '=', runId)
        .execute();
      return 'cancelled';
    });
    return this.getRun(runId);
  }

  async #operate(runId: string, allowed: RunStatusT[], by: string, reason: string | null, work: (tx: Parameters<Parameters<Committer['unit']>[0]>[0], now: number) => Promise<string>): Promise<void> {
    await this.committer.unit(async (tx) => {
      const now = this.clock.now();
      const row = await getRunRow(tx, runId);
      if (row === undefined) throw new NotFoundError('RUN_NOT_FOUND', `There is no run ${runId}`, { details: { runId } });
      if (!allowed.includes(row.status as RunStatusT)) {
        throw new ConflictError('RUN_STATE_CONFLICT', `Run ${runId} is ${row.status}; this needs a run that is ${allowed.join(' or ')}`, { details: { runId, status: row.status } });
      }
      const resolution = await work(tx, now);
      await tx.updateTable('exceptions').set({ status: 'resolved', resolution, resolved_at: now }).where('run_id', '=', runId).where('status', '=', 'open').execute();
      await this.hooks.runOperated?.(tx, { runId, action: resolution, by, fromStatus: row.status, reason, now });
      await notifyWorkers(tx, this.database.dialect);
    });
  }

  async getRun(runId: string, options: { steps?: boolean } = {}): Promise<RunView> {
    const row = await getRunRow(this.database.db, runId);
    if (row === undefined) throw new NotFoundError('RUN_NOT_FOUND', `There is no run ${runId}`, { details: { runId } });
    const view = toRunView(row);
    if (options.steps === true) view.steps = (await loadJournal(this.database.db, runId)).map(toStepView);
    return view;
  }

  async listRuns(filter: { status?: string; workflowId?: string; limit?: number; before?: string } = {}): Promise<RunView[]> {
    let query = this.database.db.selectFrom('runs').selectAll().orderBy('id', 'desc').limit(Math.min(Math.max(filter.limit ?? 50, 1), 500));
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.workflowId !== undefined) query = query.where('workflow_id', '=', filter.workflowId);
    if (filter.before !== undefined) query = query.where('id', '<', filter.before);
    return (await query.execute()).map(toRunView);
  }

  /**
   * Resolves when the run ends, waits, or stops in an exception — or after `timeoutMs`, with the
   * run as it is then. Works for runs advanced by other processes too (it polls the database).
   */
  async waitForRun(runId: string, timeoutMs: number): Promise<RunView> {
    const settled = (view: RunView): boolean => view.status !== RunStatus.running && view.status !== RunStatus.queued;
    const first = await this.getRun(runId);
    if (settled(first) || timeoutMs <= 0) return first;
    return new Promise<RunView>((resolve) => {
      let done = false;
      const listeners = this.#settleListeners.get(runId) ?? new Set<SettleListener>();
      this.#settleListeners.set(runId, listeners);
      const finish = (view: RunView): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearInterval(poll);
        listeners.delete(listener);
        if (listeners.size === 0) this.#settleListeners.delete(runId);
        resolve(view);
      };
      const listener: SettleListener = (view) => {
        if (settled(view)) finish(view);
      };
      listeners.add(listener);
      const poll = setInterval(() => {
        void this.getRun(runId).then((view) => listener(view), () => undefined);
      }, 250);
      const timer = setTimeout(() => {
        void this.getRun(runId).then(finish, () => finish(first));
      }, timeoutMs);
    });
  }

  async listExceptions(status: 'open' | 'resolved' | 'all' = 'open'): Promise<Record<string, unknown>[]> {
    let query = this.database.db.selectFrom('exceptions').selectAll().orderBy('created_at', 'desc').limit(500);
    if (status !== 'all') query = query.where('status', '=', status);
    const rows = await query.execute();
    return rows.map((r) => ({
      id: r.id, runId: r.run_id, stepId: r.step_id, outboxId: r.outbox_id, kind: r.kind, code: r.code, message: r.message, owner: r.owner,
      status: r.status, resolution: r.resolution, createdAt: new Date(r.created_at).toISOString(), resolvedAt: r.resolved_at === null ? null : new Date(r.resolved_at).toISOString(),
    }));
  }
}
