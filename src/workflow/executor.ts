/**
 * The executor advances one run while this worker holds its lease.
 *
 * Deterministic work — actions, branches, waits, approvals, the end — is done inside a unit of
 * work: as many steps as can run without waiting are executed in ONE transaction, each step
 * under a savepoint so a failing one is rolled back alone, and the journal entries and the run's
 * new state commit together. AI skills may be slow, so they run outside any transaction; their
 * result, the gate's verdict and the run state then commit as the next unit.
 */
import { sql, type Transaction } from 'kysely';
import { describeError, NonRetriableError, OpsLoopError } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Logger } from '../core/logger.ts';
import type { Dialect } from '../data/dialect.ts';
import type { DB } from '../data/schema.ts';
import type { Committer } from './committer.ts';
import type { ActionStep, AiStep, StepDefinition, WorkflowDefinition } from './definition/schema.ts';
import { parseDuration } from './duration.ts';
import { evaluateSource, isTruthy, renderTemplate, compileTemplate, type Template } from './expression/index.ts';
import type { Gate, GateVerdict } from './gate.ts';
import type { EngineHooks } from './hooks.ts';
import { defaultNext, planNext, ReplayMismatchError, type JournalEntry, type Plan } from './plan.ts';
import type { Registry, SkillResult, StepRef } from './registry.ts';
import { decideRetry, defaultRetryPolicy } from './retry.ts';
import { runScope } from './scope.ts';
import { RunStatus, StepStatus, Actor } from './states.ts';
import { consumeSignal, lockRunRow, takeEarlierEvent, type Queryable } from './store/runs.ts';
import { waitMeta } from './waits.ts';
import { UnitDraft, type RunFinal, type RunInMemory } from './draft.ts';
import { emitEvent, lockCorrelation } from './events.ts';
import { pendingOutboxRow } from './outbox.ts';
import { approvalDecisionSchema } from './signals.ts';

export interface ExecutorDeps {
  readonly dialect: Dialect;
  readonly registry: Registry;
  readonly gate: Gate;
  readonly committer: Committer;
  readonly db: Queryable;
  readonly now: () => number;
  readonly owner: string;
  readonly leaseMs: number;
  readonly logger: Logger;
  readonly maxStepsPerRun: number;
  readonly hooks: EngineHooks;
  /** told after every commit, so workers, dispatchers and waiting callers can react */
  readonly onCommitted: (run: RunInMemory, draft: UnitDraft) => void;
}

type Flow = 'continue' | 'stop' | 'outside';

type SkillOutcome =
  | { ok: true; result: SkillResult; input: unknown; startedAt: number }
  | { ok: false; error: unknown; input: unknown; startedAt: number };

const defaultSkillTimeoutMs = 120_000;

export class Executor {
  readonly #d: ExecutorDeps;
  readonly #objectTemplates = new WeakMap<object, Template>();
  readonly #stringTemplates = new Map<string, Template>();

  constructor(deps: ExecutorDeps) {
    this.#d = deps;
  }

  /** Advances the run until it ends, waits, backs off, or hits an exception; returns where it stopped. */
  async advance(run: RunInMemory): Promise<RunFinal> {
    const definition = run.definition;
    for (;;) {
      const plan = this.#plan(definition, run.journal);
      if (plan !== null && plan.kind === 'execute' && plan.step.type === 'ai') {
        if (!run.persisted) await this.#commit(run, () => Promise.resolve('outside'));
        const step = plan.step;
        const result = await this.#runSkill(run, step, plan.seq, plan.attempt);
        const { flow, final } = await this.#commit(run, (tx, draft) => this.#recordSkill(tx, draft, step, plan, result));
        if (flow === 'stop') return final;
        continue;
      }
      const { flow, final } = await this.#commit(run, (tx, draft) => this.#inline(tx, draft, definition));
      if (flow === 'stop') return final;
    }
  }

  #plan(definition: WorkflowDefinition, journal: readonly JournalEntry[]): Plan | null {
    try {
      return planNext(definition, journal);
    } catch (error) {
      if (error instanceof ReplayMismatchError) return null;
      throw error;
    }
  }

  async #commit(run: RunInMemory, work: (tx: Transaction<DB>, draft: UnitDraft) => Promise<Flow>): Promise<{ flow: Flow; final: RunFinal }> {
    const { draft, flow } = await this.#d.committer.unit(async (tx) => {
      const draft = new UnitDraft(run, this.#d.now());
      const flow = await work(tx, draft);
      await draft.write(tx, this.#d.dialect, this.#d.owner, this.#d.leaseMs, this.#d.hooks);
      return { draft, flow };
    });
    run.journal = draft.journal;
    run.persisted = true;
    this.#d.onCommitted(run, draft);
    return { flow, final: draft.final ?? { status: RunStatus.running } };
  }

  /** Runs every step that needs no waiting, in this one transaction. */
  async #inline(tx: Transaction<DB>, draft: UnitDraft, definition: WorkflowDefinition): Promise<Flow> {
    for (;;) {
      let plan: Plan;
      try {
        plan = planNext(definition, draft.journal);
      } catch (error) {
        return this.#exception(draft, null, error, 'replay_mismatch');
      }
      if (draft.journal.length >= this.#d.maxStepsPerRun && plan.kind === 'execute') {
        return this.#exception(draft, plan.step.id, new NonRetriableError(`Run exceeded ${this.#d.maxStepsPerRun} steps; is the workflow looping?`, { code: 'RUN_STEP_LIMIT' }), 'step_limit');
      }
      switch (plan.kind) {
        case 'complete': {
          const output = plan.via === 'fallthrough' && definition.output !== undefined ? this.#render(definition.output, draft) : plan.output;
          draft.finish({ status: RunStatus.completed, output: output ?? null });
          return 'stop';
        }
        case 'cancel':
          draft.finish({ status: RunStatus.cancelled, error: { code: 'REJECTED', message: `Rejected at step "${plan.entry.stepId}"`, output: plan.entry.output } });
          return 'stop';
        case 'resume': {
          const flow = await this.#resume(tx, draft, plan.step, plan.entry);
          if (flow !== 'continue') return flow;
          continue;
        }
        case 'execute': {
          const flow = await this.#execute(tx, draft, plan.step, plan.seq, plan.attempt);
          if (flow !== 'continue') return flow;
          continue;
        }
        default: {
          const never: never = plan;
          throw new Error(`unknown plan ${String(never)}`);
        }
      }
    }
  }

  async #execute(tx: Transaction<DB>, draft: UnitDraft, step: StepDefinition, seq: number, attempt: number): Promise<Flow> {
    const now = draft.now;
    const base = { seq, attempt, stepId: step.id, type: step.type, startedAt: now, meta: null, error: null };
    switch (step.type) {
      case 'ai':
        // Needs to run outside the transaction: commit what we have, then come back.
        draft.finish({ status: RunStatus.running });
        return 'outside';
      case 'action':
        return this.#action(tx, draft, step, seq, attempt);
      case 'branch': {
        let chosen: string | undefined;
        try {
          const scope = runScope(draft.run, draft.journal);
          for (const c of step.cases) {
            if (isTruthy(evaluateSource(c.when, scope, { now: this.#d.now }))) {
              chosen = c.next;
              break;
            }
          }
        } catch (error) {
          return this.#failed(draft, step, seq, attempt, new NonRetriableError(`Branch "${step.id}" could not decide: ${describeError(error).message}`, { code: 'BRANCH_FAILED', cause: error }), now);
        }
        const next = chosen ?? step.default ?? defaultNext(draft.run.definition, step);
        draft.append({ ...base, status: StepStatus.completed, actor: Actor.system, input: null, output: { next }, endedAt: now });
        if (next === null) {
          // No case matched and nothing follows: the run ends here.
          draft.finish({ status: RunStatus.completed, output: null });
          return 'stop';
        }
        return 'continue';
      }
      case 'end': {
        let output: unknown;
        try {
          output = step.output === undefined ? null : this.#render(step.output, draft);
        } catch (error) {
          return this.#failed(draft, step, seq, attempt, error, now);
        }
        draft.append({ ...base, status: StepStatus.completed, actor: Actor.system, input: null, output, endedAt: now });
        return 'continue';
      }
      case 'wait': {
        let meta: Record<string, unknown>;
        try {
          meta = waitMeta(step, runScope(draft.run, draft.journal), now, this.#d.now);
        } catch (error) {
          return this.#failed(draft, step, seq, attempt, error, now);
        }
        const entry: JournalEntry = { ...base, status: StepStatus.waiting, actor: Actor.system, input: null, output: null, meta, endedAt: null };
        draft.append(entry);
        return this.#resume(tx, draft, step, entry);
      }
      case 'approval': {
        let data: unknown;
        let amount: unknown = null;
        let currency: unknown = null;
        let title: string;
        try {
          const scope = runScope(draft.run, draft.journal);
          data = step.data === undefined ? scope.steps : this.#render(step.data, draft);
          title = step.title === undefined ? (step.name ?? step.id) : String(this.#render(step.title, draft));
          if (step.amount !== undefined) amount = evaluateSource(step.amount, scope, { now: this.#d.now });
          if (step.currency !== undefined) currency = evaluateSource(step.currency, scope, { now: this.#d.now });
        } catch (error) {
          return this.#failed(draft, step, seq, attempt, error, now);
        }
        const deadline = step.timeout === undefined ? null : now + (parseDuration(step.timeout) ?? 0);
        const entry: JournalEntry = {
          ...base,
          status: StepStatus.waiting,
          actor: Actor.person,
          input: data,
          output: null,
          meta: {
            awaiting: 'approval',
            deadline,
            title,
            assignee: step.assignee ?? null,
            amount: typeof amount === 'number' ? amount : null,
            currency: typeof currency === 'string' ? currency : null,
            escalate: step.escalate === undefined ? null : { afterMs: parseDuration(step.escalate.after), to: step.escalate.to },
          },
          endedAt: null,
        };
        draft.append(entry);
        await this.#approvalOpened(tx, draft, step, entry, data);
        return this.#resume(tx, draft, step, entry);
      }
      default: {
        const never: never = step;
        throw new Error(`unknown step ${String(never)}`);
      }
    }
  }

  /** A waiting entry: take its signal, or its timeout, or keep waiting. */
  async #resume(tx: Transaction<DB>, draft: UnitDraft, step: StepDefinition, entry: JournalEntry): Promise<Flow> {
    const now = draft.now;
    const meta = entry.meta ?? {};
    const deadline = typeof meta.deadline === 'number' ? meta.deadline : null;
    const awaitingApproval = meta.awaiting === 'approval';
    const signalName = awaitingApproval ? 'approval' : typeof meta.event === 'string' ? meta.event : null;
    const key = typeof meta.key === 'string' ? meta.key : null;

    if (signalName !== null) {
      // PostgreSQL: hold the run row (and the correlation) before looking for a signal, so a
      // signal or event committed meanwhile either is seen here or sees this run waiting.
      if (draft.run.persisted) await lockRunRow(tx, this.#d.dialect, draft.run.id);
      if (key !== null) await lockCorrelation(tx, this.#d.dialect, signalName, key);
      const signal =
        (await consumeSignal(tx, draft.run.id, signalName, now)) ??
        (key !== null && !awaitingApproval ? await takeEarlierEvent(tx, draft.run.id, draft.run.createdAt, signalName, key, now, draft.run.persisted ? undefined : draft.usedEvents) : null);
      if (signal !== null) {
        if (!awaitingApproval) {
          draft.replace({ ...entry, status: StepStatus.completed, output: signal.payload ?? null, endedAt: now });
          return 'continue';
        }
        const parsed = approvalDecisionSchema.safeParse(signal.payload);
        const decision = parsed.success ? parsed.data : { decision: 'reject' as const, reason: 'unreadable decision', by: undefined, data: undefined };
        const by = decision.by ?? null;
        if (decision.decision === 'approve') {
          const proposed = step.type === 'approval' ? entry.input : entry.output;
          const output = decision.data !== undefined ? decision.data : proposed;
          draft.replace({ ...entry, status: StepStatus.completed, output, actor: by === null ? entry.actor : `person:${by}`, meta: { ...meta, decision: 'approve', decidedBy: by, edited: decision.data !== undefined }, endedAt: now });
          await this.#d.hooks.approvalClosed?.(tx, { runId: draft.run.id, seq: entry.seq, stepId: entry.stepId, outcome: 'approved', now });
          return 'continue';
        }
        draft.replace({ ...entry, status: StepStatus.rejected, output: { reason: decision.reason ?? null }, actor: by === null ? entry.actor : `person:${by}`, meta: { ...meta, decision: 'reject', decidedBy: by, proposed: entry.output }, endedAt: now });
        await this.#d.hooks.approvalClosed?.(tx, { runId: draft.run.id, seq: entry.seq, stepId: entry.stepId, outcome: 'rejected', now });
        return 'continue';
      }
    }
    if (deadline !== null && now >= deadline) {
      if (signalName === null) {
        draft.replace({ ...entry, status: StepStatus.completed, output: { wokeAt: new Date(now).toISOString() }, endedAt: now });
      } else {
        draft.replace({ ...entry, status: StepStatus.timedOut, output: awaitingApproval ? entry.output : null, meta: { ...meta, timedOutAt: now }, endedAt: now });
        if (awaitingApproval) await this.#d.hooks.approvalClosed?.(tx, { runId: draft.run.id, seq: entry.seq, stepId: entry.stepId, outcome: 'timed_out', now });
      }
      return 'continue';
    }
    draft.finish({ status: RunStatus.waiting, wakeAt: deadline, waitName: signalName, waitKey: key });
    return 'stop';
  }

  async #action(tx: Transaction<DB>, draft: UnitDraft, step: ActionStep, seq: number, attempt: number): Promise<Flow> {
    const now = draft.now;
    const action = this.#d.registry.action(step.action);
    let input: unknown = null;
    try {
      if (action === undefined) throw new NonRetriableError(`Action "${step.action}" is not registered in this process`, { code: 'ACTION_UNKNOWN' });
      input = step.input === undefined ? {} : this.#render(step.input, draft);
      if (action.input !== undefined) {
        const parsed = action.input.safeParse(input);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new NonRetriableError(`Input of action "${step.action}" is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`, { code: 'ACTION_INPUT_INVALID' });
        }
        input = parsed.data;
      }
    } catch (error) {
      return this.#failed(draft, step, seq, attempt, error, now, input);
    }
    const ref = this.#ref(draft, step.id, seq, attempt);
    const effects: typeof draft.effects = [];
    const savepoint = action.pure !== true;
    if (savepoint) await sql`savepoint step`.execute(tx);
    let output: unknown;
    try {
      output = await action.run(input, {
        ...ref,
        tx,
        now: () => now,
        log: this.#d.logger,
        effect: (kind, payload) => {
          const id = newId();
          effects.push(pendingOutboxRow({ id, runId: ref.runId, stepSeq: seq, stepId: step.id, kind, idempotencyKey: `${ref.runId}:${seq}:${effects.length}`, payload, now }));
          return id;
        },
        emit: async (name, key, payload) => {
          await emitEvent(tx, this.#d.dialect, { name, key, payload, source: `run:${ref.runId}` }, now, this.#d.hooks);
        },
      });
      if (savepoint) await sql`release savepoint step`.execute(tx);
    } catch (error) {
      if (savepoint) {
        await sql`rollback to savepoint step`.execute(tx);
        await sql`release savepoint step`.execute(tx);
      }
      return this.#failed(draft, step, seq, attempt, error, now, input);
    }
    draft.effects.push(...effects);
    const proposing = step.proposing ?? action.proposing ?? false;
    const entry: JournalEntry = { seq, attempt, stepId: step.id, type: step.type, status: StepStatus.completed, actor: Actor.system, input, output: output ?? null, error: null, meta: null, startedAt: now, endedAt: now };
    if (!proposing) {
      draft.append(entry);
      return 'continue';
    }
    const verdict = await this.#d.gate.check({ ...ref, tx, step, output, scope: { ...runScope(draft.run, draft.journal), output }, now: () => now });
    return this.#applyVerdict(tx, draft, step, entry, verdict);
  }

  async #runSkill(run: RunInMemory, step: AiStep, seq: number, attempt: number): Promise<SkillOutcome> {
    const startedAt = this.#d.now();
    let input: unknown = null;
    const timeoutMs = step.timeout === undefined ? defaultSkillTimeoutMs : (parseDuration(step.timeout) ?? defaultSkillTimeoutMs);
    try {
      const skill = this.#d.registry.skill(step.skill);
      if (skill === undefined) throw new NonRetriableError(`AI skill "${step.skill}" is not registered in this process`, { code: 'SKILL_UNKNOWN' });
      input = step.input === undefined ? {} : renderTemplate(this.#compiled(step.input), runScope(run, run.journal), { now: this.#d.now });
      if (skill.input !== undefined) {
        const parsed = skill.input.safeParse(input);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new NonRetriableError(`Input of AI skill "${step.skill}" is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`, { code: 'SKILL_INPUT_INVALID' });
        }
        input = parsed.data;
      }
      const result = await skill.run(input, {
        ...this.#ref({ run } as UnitDraft, step.id, seq, attempt),
        now: this.#d.now,
        signal: AbortSignal.timeout(timeoutMs),
        db: this.#d.db,
        log: this.#d.logger,
      });
      return { ok: true, result, input, startedAt };
    } catch (error) {
      return { ok: false, error, input, startedAt };
    }
  }

  async #recordSkill(tx: Transaction<DB>, draft: UnitDraft, step: AiStep, plan: { seq: number; attempt: number }, outcome: SkillOutcome): Promise<Flow> {
    const now = draft.now;
    if (!outcome.ok) return this.#failed(draft, step, plan.seq, plan.attempt, outcome.error, now, outcome.input);
    const { result } = outcome;
    const entry: JournalEntry = {
      seq: plan.seq,
      attempt: plan.attempt,
      stepId: step.id,
      type: step.type,
      status: StepStatus.completed,
      actor: Actor.ai,
      input: outcome.input,
      output: result.output ?? null,
      error: null,
      meta: { confidence: result.confidence ?? null, fieldConfidence: result.fieldConfidence ?? null, evidence: result.evidence ?? null, provider: result.provider ?? null, usage: result.usage ?? null },
      startedAt: outcome.startedAt,
      endedAt: now,
    };
    const verdict = await this.#d.gate.check({
      ...this.#ref(draft, step.id, plan.seq, plan.attempt),
      tx,
      step,
      output: result.output,
      scope: { ...runScope(draft.run, draft.journal), output: result.output },
      now: () => now,
      ...(result.confidence === undefined ? {} : { confidence: result.confidence }),
      ...(result.fieldConfidence === undefined ? {} : { fieldConfidence: result.fieldConfidence }),
      ...(result.calibration === undefined ? {} : { calibration: result.calibration }),
    });
    const flow = await this.#applyVerdict(tx, draft, step, entry, verdict);
    // On 'continue' the steps that follow run in this same unit.
    if (flow !== 'continue') return flow;
    return this.#inline(tx, draft, draft.run.definition);
  }

  async #applyVerdict(tx: Transaction<DB>, draft: UnitDraft, step: ActionStep | AiStep, entry: JournalEntry, verdict: GateVerdict): Promise<Flow> {
    const meta = { ...(entry.meta ?? {}), gate: verdict };
    switch (verdict.decision) {
      case 'continue':
        draft.append({ ...entry, meta });
        await this.#d.hooks.proposalContinued?.(tx, { runId: draft.run.id, workflowId: draft.run.workflowId, version: draft.run.version, seq: entry.seq, step, output: entry.output, now: draft.now });
        return 'continue';
      case 'approval': {
        const assignee = verdict.assignee ?? ('assignee' in step ? step.assignee : undefined) ?? null;
        const waiting: JournalEntry = {
          ...entry,
          status: StepStatus.waiting,
          endedAt: null,
          meta: {
            ...meta,
            awaiting: 'approval',
            deadline: null,
            assignee,
            title: step.name ?? step.id,
            amount: verdict.amount ?? null,
            currency: verdict.currency ?? null,
            escalate: step.escalate === undefined ? null : { afterMs: parseDuration(step.escalate.after), to: step.escalate.to },
          },
        };
        draft.append(waiting);
        await this.#approvalOpened(tx, draft, step, waiting, entry.output);
        return this.#resume(tx, draft, step, waiting);
      }
      case 'exception': {
        const message = verdict.reasons.map((r) => r.message).join('; ') || 'governance raised an exception';
        draft.append({ ...entry, status: StepStatus.failed, meta, error: { code: 'GATE_EXCEPTION', message, retriable: false } });
        draft.exceptions.push({ stepId: step.id, kind: 'policy', code: 'GATE_EXCEPTION', message, owner: verdict.owner ?? null });
        draft.finish({ status: RunStatus.exception, error: { code: 'GATE_EXCEPTION', message, stepId: step.id } });
        return 'stop';
      }
      default: {
        const never: never = verdict;
        throw new Error(`unknown verdict ${String(never)}`);
      }
    }
  }

  /** Records a failed attempt: retry later with backoff, or stop in an exception. */
  #failed(draft: UnitDraft, step: StepDefinition, seq: number, attempt: number, error: unknown, now: number, input: unknown = null): Flow {
    const described = describeError(error);
    const policy = ('retry' in step ? step.retry : undefined) ?? defaultRetryPolicy;
    const decision = decideRetry(policy, attempt, error);
    const retriable = decision.retry || decision.reason === 'attempts_exhausted';
    draft.append({ seq, attempt, stepId: step.id, type: step.type, status: StepStatus.failed, actor: step.type === 'ai' ? Actor.ai : Actor.system, input, output: null, error: { ...described, retriable }, meta: decision.retry ? { retryAt: now + decision.delayMs } : { gaveUp: decision.reason }, startedAt: now, endedAt: now });
    if (decision.retry) {
      draft.finish({ status: RunStatus.queued, wakeAt: now + decision.delayMs, error: { ...described, stepId: step.id, attempt } });
      return 'stop';
    }
    const why = decision.reason === 'attempts_exhausted' ? `failed ${attempt} time(s), no retries left` : 'failed and cannot be retried';
    const message = `Step "${step.id}" ${why}: ${described.message}`;
    draft.exceptions.push({ stepId: step.id, kind: 'step_failed', code: described.code, message });
    draft.finish({ status: RunStatus.exception, error: { ...described, message, stepId: step.id, attempt } });
    return 'stop';
  }

  async #approvalOpened(tx: Transaction<DB>, draft: UnitDraft, step: StepDefinition, entry: JournalEntry, proposed: unknown): Promise<void> {
    await this.#d.hooks.approvalOpened?.(tx, {
      runId: draft.run.id,
      workflowId: draft.run.workflowId,
      version: draft.run.version,
      seq: entry.seq,
      attempt: entry.attempt,
      step,
      proposed,
      meta: entry.meta ?? {},
      now: draft.now,
    });
  }

  #exception(draft: UnitDraft, stepId: string | null, error: unknown, kind: string): Flow {
    const described = describeError(error);
    draft.exceptions.push({ stepId, kind, code: described.code, message: described.message });
    draft.finish({ status: RunStatus.exception, error: { ...described, stepId } });
    return 'stop';
  }

  /** Definitions are immutable once stored, so a template is compiled once per definition object. */
  #compiled(template: unknown): Template {
    if (template === null || typeof template !== 'object') {
      const key = typeof template === 'string' ? template : JSON.stringify(template);
      let compiled = this.#stringTemplates.get(key);
      if (compiled === undefined) {
        compiled = compileTemplate(template);
        if (this.#stringTemplates.size > 2000) this.#stringTemplates.clear();
        this.#stringTemplates.set(key, compiled);
      }
      return compiled;
    }
    let compiled = this.#objectTemplates.get(template);
    if (compiled === undefined) {
      compiled = compileTemplate(template);
      this.#objectTemplates.set(template, compiled);
    }
    return compiled;
  }

  #render(template: unknown, draft: UnitDraft): unknown {
    try {
      return renderTemplate(this.#compiled(template), runScope(draft.run, draft.journal), { now: this.#d.now });
    } catch (error) {
      if (error instanceof OpsLoopError) throw new NonRetriableError(error.message, { code: error.code, cause: error });
      throw error;
    }
  }

  #ref(draft: Pick<UnitDraft, 'run'>, stepId: string, seq: number, attempt: number): StepRef {
    return { runId: draft.run.id, workflowId: draft.run.workflowId, version: draft.run.version, stepId, seq, attempt };
  }
}



