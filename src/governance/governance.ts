/**
 * The governance layer as one object: the gate and the engine hooks it plugs into the engine,
 * and the services the API and CLI call (inbox decisions, exceptions, audit, policies,
 * graduation, users and tokens). Every change is audited in its own transaction.
 */
import { ConflictError, NotFoundError, ValidationError } from '../core/errors.ts';
import type { Clock } from '../core/clock.ts';
import { newId } from '../core/ids.ts';
import { toJsonColumn } from '../core/json.ts';
import type { Logger } from '../core/logger.ts';
import type { Database } from '../data/database.ts';
import type { Engine } from '../workflow/engine.ts';
import type { Queryable } from '../workflow/store/runs.ts';
import type { EngineHooks } from '../workflow/hooks.ts';
import type { WorkflowDefinition } from '../workflow/definition/schema.ts';
import type { RunView } from '../workflow/views.ts';
import { appendAudit, exportAudit, searchAudit, verifyAudit, type AuditEntry, type AuditQuery } from './audit.ts';
import { GovernanceGate } from './gate.ts';
import { defaultGraduation, suggestPromotion, type GraduationSettings, type Outcome, type Suggestion } from './graduation.ts';
import { closeTask, decideTask, escalateOverdue, getTask, listTasks, openTask, toTaskView, type Decision, type TaskFilter, type TaskView } from './inbox.ts';
import { queueMail, recipientsOf } from './notify.ts';
import type { Tier } from './policy/evaluate.ts';
import { listPolicies, parsePolicy, savePolicy } from './policy/store.ts';
import { addUser, authenticateToken, createToken, findUser, listUsers, roleAtLeast, AuthError, type NewUser, type User } from './users.ts';

export interface GovernanceOptions {
  database: Database;
  clock: Clock;
  logger: Logger;
  /**
   * Whether notification emails are queued: fixed, or asked each time (the mail settings in force).
   * Inside a unit of work it gets that transaction, to read through it.
   */
  mailEnabled: boolean | ((db: Queryable) => Promise<boolean>);
  timezone: string;
  digestHour: number;
  graduation?: GraduationSettings;
}

export interface StepReport {
  workflowId: string;
  stepId: string;
  tier: Tier;
  approvedUnchanged: number;
  edited: number;
  rejected: number;
  automatic: number;
  corrected: number;
  suggestion: Suggestion | null;
}

export class Governance {
  readonly gate: GovernanceGate;
  readonly hooks: EngineHooks;
  readonly #o: GovernanceOptions;
  readonly #mailOn: (db: Queryable) => Promise<boolean>;
  #engine: Engine | null = null;
  #lastDigestDay = '';
  readonly #decided: ((task: TaskView) => Promise<void>)[] = [];

  constructor(options: GovernanceOptions) {
    this.#o = options;
    const { dialect } = options.database;
    const mailOn = (db: Queryable): Promise<boolean> => (typeof options.mailEnabled === 'boolean' ? Promise.resolve(options.mailEnabled) : options.mailEnabled(db));
    this.#mailOn = mailOn;
    this.gate = new GovernanceGate(dialect);
    this.hooks = {
      runStarted: (tx, info) =>
        appendAudit(tx, dialect, [{ actor: actorOfTrigger(info.trigger), action: 'run.started', subjectType: 'run', subjectId: info.runId, runId: info.runId, data: { workflowId: info.workflowId, version: info.version, trigger: info.trigger } }], info.now),
      approvalOpened: async (tx, info) => openTask(tx, dialect, info, await mailOn(tx)),
      exceptionRaised: async (tx, info) => {
        await appendAudit(tx, dialect, [{ actor: 'system', action: 'exception.raised', subjectType: 'exception', subjectId: info.exceptionId, runId: info.runId, data: { stepId: info.stepId, kind: info.kind, code: info.code, message: info.message, owner: info.owner } }], info.now);
        // Mail about failed emails would only fail again the same way.
        if (info.kind !== 'effect_failed' && (await mailOn(tx))) {
          const to = await recipientsOf(tx, info.owner);
          const mail =
            info.runId === null
              ? { subject: `Needs you: ${info.code}`, text: `${info.message}\nWhen it is dealt with, mark it handled in the Inbox.` }
              : { subject: `A run needs you: ${info.code}${info.workflowId === null ? '' : ` in ${info.workflowId}`}`, text: `${info.message}\nRun ${info.runId}: retry, skip or cancel it from the Inbox or with \`opsloop retry|skip|cancel <run>\`.` };
          await queueMail(tx, { to, ...mail }, `exception:${info.exceptionId}`, info.now);
        }
      },
      approvalClosed: (tx, info) => closeTask(tx, dialect, info),
      runOperated: (tx, info) =>
        appendAudit(tx, dialect, [{ actor: info.by.includes('@') ? `user:${info.by}` : info.by, action: `run.${info.action}`, subjectType: 'run', subjectId: info.runId, runId: info.runId, data: { from: info.fromStatus, reason: info.reason } }], info.now),
      effectDelivered: (tx, info) =>
        appendAudit(tx, dialect, [{ actor: 'system', action: 'effect.sent', subjectType: 'effect', subjectId: info.outboxId, runId: info.runId, data: { kind: info.kind, stepId: info.stepId, externalId: info.externalId, idempotencyKey: info.idempotencyKey } }], info.now),
      workflowSaved: (tx, info) =>
        appendAudit(tx, dialect, [{ actor: 'system', action: info.created ? 'workflow.version_created' : 'workflow.version_activated', subjectType: 'workflow', subjectId: info.workflowId, data: { version: info.version } }], info.now),
    };
  }

  /** Connects to the engine (for waking runs and reading workflows). */
  attach(engine: Engine): void {
    this.#engine = engine;
  }

  get #e(): Engine {
    if (this.#engine === null) throw new Error('governance is not attached to an engine');
    return this.#engine;
  }

  get #db() {
    return this.#o.database.db;
  }

  #now(): number {
    return this.#o.clock.now();
  }

  /** Appends audit entries in their own transaction (for changes made outside the engine). */
  async audit(entries: AuditEntry[]): Promise<void> {
    await this.#e.committer.unit((tx) => appendAudit(tx, this.#o.database.dialect, entries, this.#now()));
  }

  // ---- users and tokens ----

  async addUser(input: NewUser, by = 'cli'): Promise<User> {
    return this.#e.committer.unit(async (tx) => {
      const user = await addUser(tx, input, this.#now());
      await appendAudit(tx, this.#o.database.dialect, [{ actor: by, action: 'user.added', subjectType: 'user', subjectId: user.id, data: { email: user.email, role: user.role, approvalLimit: user.approvalLimit } }], this.#now());
      return user;
    });
  }

  async createToken(email: string, name: string, by = 'cli'): Promise<{ token: string; prefix: string; user: User }> {
    const user = await findUser(this.#db, email);
    return this.#e.committer.unit(async (tx) => {
      const created = await createToken(tx, user.id, name, this.#now());
      await appendAudit(tx, this.#o.database.dialect, [{ actor: by, action: 'token.created', subjectType: 'user', subjectId: user.id, data: { name, prefix: created.prefix } }], this.#now());
      return { token: created.token, prefix: created.prefix, user };
    });
  }

  /** The user behind an API token; the first use each day is audited. */
  async authenticate(token: string): Promise<User> {
    const now = this.#now();
    const result = await authenticateToken(this.#db, token, now);
    if (result.firstUseToday) await this.audit([{ actor: `user:${result.user.email}`, action: 'token.used', subjectType: 'user', subjectId: result.user.id, data: { prefix: result.prefix } }]);
    return result.user;
  }

  listUsers(): Promise<User[]> {
    return listUsers(this.#db);
  }

  findUser(email: string): Promise<User> {
    return findUser(this.#db, email);
  }

  // ---- the inbox ----

  listApprovals(filter: TaskFilter = {}): Promise<TaskView[]> {
    return listTasks(this.#db, filter);
  }

  async getApproval(taskId: string): Promise<TaskView> {
    return toTaskView(await getTask(this.#db, taskId));
  }

  async decide(taskId: string, user: User, decision: Decision): Promise<TaskView> {
    const engine = this.#e;
    const view = await engine.committer.unit((tx) => decideTask(tx, { dialect: this.#o.database.dialect, registry: engine.registry, workflows: engine.workflows }, taskId, user, decision, this.#now()));
    engine.wake();
    for (const listener of this.#decided) {
      try {
        await listener(view);
      } catch (error) {
        this.#o.logger.warn({ taskId, error: (error as Error).message }, 'a listener of approval decisions failed');
      }
    }
    return view;
  }

  /**
   * Called after each decision is committed — e.g. so the AI learns from a person's edit. A
   * failing listener is logged; the decision stands.
   */
  onDecided(listener: (task: TaskView) => Promise<void>): void {
    this.#decided.push(listener);
  }

  /** Approves several tasks; each succeeds or fails on its own. */
  async approveMany(taskIds: string[], user: User): Promise<{ id: string; ok: boolean; error?: { code: string; message: string } }[]> {
    const results: { id: string; ok: boolean; error?: { code: string; message: string } }[] = [];
    for (const id of taskIds) {
      try {
        await this.decide(id, user, { decision: 'approve' });
        results.push({ id, ok: true });
      } catch (error) {
        const e = error as { code?: string; message?: string };
        results.push({ id, ok: false, error: { code: e.code ?? 'INTERNAL', message: e.message ?? String(error) } });
      }
    }
    return results;
  }

  // ---- exceptions (the same inbox) ----

  async resolveException(runId: string, action: 'retry' | 'skip' | 'cancel', user: User): Promise<RunView> {
    if (!roleAtLeast(user.role, 'admin')) throw new AuthError('FORBIDDEN_ROLE', `${user.email} is a ${user.role}; handling exceptions needs the admin role or above`, 'forbidden');
    const engine = this.#e;
    // The engine audits the change in its own transaction (the runOperated hook).
    return action === 'retry' ? engine.retry(runId, user.email) : action === 'skip' ? engine.skip(runId, null, user.email) : engine.cancel(runId, `cancelled by ${user.email}`, user.email);
  }

  /**
   * Closes an exception that belongs to no run (e.g. a card payment larger than the invoice, to
   * refund): a person says it is handled and why. Exceptions of runs are closed by retry, skip or
   * cancel instead.
   */
  async markExceptionHandled(exceptionId: string, user: User, note: string): Promise<{ id: string; status: string }> {
    if (!roleAtLeast(user.role, 'admin')) throw new AuthError('FORBIDDEN_ROLE', `${user.email} is a ${user.role}; handling exceptions needs the admin role or above`, 'forbidden');
    return this.#e.committer.unit(async (tx) => {
      const row = await tx.selectFrom('exceptions').select(['id', 'run_id', 'status', 'code']).where('id', '=', exceptionId).executeTakeFirst();
      if (row === undefined) throw new NotFoundError('EXCEPTION_NOT_FOUND', `There is no exception ${exceptionId}`);
      if (row.run_id !== null) throw new ConflictError('EXCEPTION_HAS_RUN', `Exception ${exceptionId} belongs to run ${row.run_id}: retry, skip or cancel the run instead`);
      if (row.status !== 'open') throw new ConflictError('EXCEPTION_CLOSED', `Exception ${exceptionId} is already ${row.status}`);
      const now = this.#now();
      await tx.updateTable('exceptions').set({ status: 'resolved', resolution: 'handled', resolved_at: now }).where('id', '=', exceptionId).where('status', '=', 'open').execute();
      await appendAudit(tx, this.#o.database.dialect, [{ actor: `user:${user.email}`, action: 'exception.handled', subjectType: 'exception', subjectId: exceptionId, data: { code: row.code, note } }], now);
      return { id: exceptionId, status: 'resolved' };
    });
  }

  // ---- periodic work: escalations and the daily digest ----

  async periodic(): Promise<void> {
    const now = this.#now();
    const mail = await this.#mailOn(this.#db);
    const escalated = await this.#e.committer.unit((tx) => escalateOverdue(tx, this.#o.database.dialect, now, mail));
    if (escalated > 0) this.#e.wake('outbox');
    if (mail) await this.#digest(now);
  }

  async #digest(now: number): Promise<void> {
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone: this.#o.timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(now));
    const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
    const day = `${get('year')}-${get('month')}-${get('day')}`;
    if (Number(get('hour')) < this.#o.digestHour || this.#lastDigestDay === day) return;
    this.#lastDigestDay = day;
    const users = (await listUsers(this.#db)).filter((u) => !u.disabled && roleAtLeast(u.role, 'reviewer'));
    const open = await listTasks(this.#db, { status: 'open' });
    await this.#e.committer.unit(async (tx) => {
      for (const user of users) {
        const mine = open.filter((t) => t.assignee === null || t.assignee === user.email || (t.assignee.startsWith('role:') && roleAtLeast(user.role, t.assignee.slice(5) as never)));
        if (mine.length === 0) continue;
        const lines = mine.map((t) => `- ${t.title} (${t.workflowId})${t.dueAt === null ? '' : `, due ${t.dueAt}`}`);
        // The key makes the digest once per person per day, across processes.
        await queueMail(tx, { to: [user.email], subject: `${mine.length} item(s) wait for you in OpsLoop`, text: `Good morning ${user.name},\n\n${lines.join('\n')}\n` }, `digest:${user.id}:${day}`, now);
      }
    });
    this.#e.wake('outbox');
  }

  // ---- audit ----

  verifyAudit() {
    return verifyAudit(this.#db);
  }

  searchAudit(query: AuditQuery) {
    return searchAudit(this.#db, query);
  }

  exportAudit(format: 'csv' | 'jsonl') {
    return exportAudit(this.#db, format);
  }

  // ---- policies ----

  async savePolicy(source: string | unknown, by = 'cli'): Promise<{ policyId: string; version: number; created: boolean }> {
    const definition = parsePolicy(source);
    return this.#e.committer.unit(async (tx) => {
      const saved = await savePolicy(tx, definition, this.#now());
      if (saved.created || saved.previousVersion !== saved.version) {
        await appendAudit(tx, this.#o.database.dialect, [{ actor: by, action: 'policy.version_created', subjectType: 'policy', subjectId: saved.policyId, data: { version: saved.version, previous: saved.previousVersion } }], this.#now());
      }
      return { policyId: saved.policyId, version: saved.version, created: saved.created };
    });
  }

  listPolicies() {
    return listPolicies(this.#db);
  }

  // ---- graduation ----

  async graduation(settings: GraduationSettings = this.#o.graduation ?? defaultGraduation): Promise<StepReport[]> {
    const reports: StepReport[] = [];
    for (const workflow of await this.#e.workflows.list()) {
      const definition = await this.#e.workflows.version(workflow.id, workflow.currentVersion);
      for (const step of definition.steps) {
        if (!isGoverned(step)) continue;
        const tier = (('tier' in step ? step.tier : undefined) ?? 'auto') as Tier;
        const tasks = await this.#db
          .selectFrom('approval_tasks')
          .select(['status', 'edit_diff', 'decided_at'])
          .where('workflow_id', '=', workflow.id)
          .where('step_id', '=', step.id)
          .where('status', 'in', ['approved', 'rejected'])
          .orderBy('decided_at', 'desc')
          .limit(1000)
          .execute();
        const outcomes: Outcome[] = tasks.map((t) => (t.status === 'rejected' ? 'rejected' : t.edit_diff === null ? 'clean' : 'edited'));
        const lastDecline = await this.#db
          .selectFrom('graduation_decisions')
          .select('created_at')
          .where('workflow_id', '=', workflow.id)
          .where('step_id', '=', step.id)
          .where('decision', '=', 'declined')
          .orderBy('created_at', 'desc')
          .limit(1)
          .executeTakeFirst();
        const cleanSinceDecline = lastDecline === undefined ? null : tasks.filter((t) => (t.decided_at ?? 0) > lastDecline.created_at).length;
        const automatic = await this.#db
          .selectFrom('run_steps')
          .innerJoin('runs', 'runs.id', 'run_steps.run_id')
          .select(({ fn }) => fn.countAll().as('n'))
          .where('runs.workflow_id', '=', workflow.id)
          .where('run_steps.step_id', '=', step.id)
          .where('run_steps.status', '=', 'completed')
          .where('run_steps.actor', 'in', ['system', 'ai'])
          .executeTakeFirstOrThrow();
        const corrected = await this.#db.selectFrom('corrections').select(({ fn }) => fn.countAll().as('n')).where('workflow_id', '=', workflow.id).where('step_id', '=', step.id).executeTakeFirstOrThrow();
        reports.push({
          workflowId: workflow.id,
          stepId: step.id,
          tier,
          approvedUnchanged: outcomes.filter((o) => o === 'clean').length,
          edited: outcomes.filter((o) => o === 'edited').length,
          rejected: outcomes.filter((o) => o === 'rejected').length,
          automatic: Number(automatic.n),
          corrected: Number(corrected.n),
          suggestion: suggestPromotion({ tier, outcomes, cleanSinceDecline }, settings),
        });
      }
    }
    return reports;
  }

  /** Accepts a suggestion: a new workflow version with the step at its new tier. */
  async acceptPromotion(workflowId: string, stepId: string, user: User): Promise<{ version: number; tier: Tier }> {
    if (!roleAtLeast(user.role, 'owner') && !roleAtLeast(user.role, 'admin')) throw new AuthError('FORBIDDEN_ROLE', 'Changing autonomy needs the admin role or above', 'forbidden');
    const report = (await this.graduation()).find((r) => r.workflowId === workflowId && r.stepId === stepId);
    if (report?.suggestion === null || report === undefined) throw new ConflictError('GRADUATION_NO_SUGGESTION', `There is no promotion suggestion for ${workflowId}/${stepId}`);
    const version = await this.#setTier(workflowId, stepId, report.suggestion.from, report.suggestion.to, 'accepted', `user:${user.email}`, report.suggestion);
    return { version, tier: report.suggestion.to };
  }

  async declinePromotion(workflowId: string, stepId: string, user: User): Promise<void> {
    const report = (await this.graduation()).find((r) => r.workflowId === workflowId && r.stepId === stepId);
    if (report?.suggestion === null || report === undefined) throw new ConflictError('GRADUATION_NO_SUGGESTION', `There is no promotion suggestion for ${workflowId}/${stepId}`);
    const suggestion = report.suggestion;
    await this.#e.committer.unit(async (tx) => {
      await tx.insertInto('graduation_decisions').values({ id: newId(), workflow_id: workflowId, step_id: stepId, from_tier: suggestion.from, to_tier: suggestion.to, decision: 'declined', by: user.email, evidence: toJsonColumn(suggestion), created_at: this.#now() }).execute();
      await appendAudit(tx, this.#o.database.dialect, [{ actor: `user:${user.email}`, action: 'graduation.declined', subjectType: 'workflow', subjectId: workflowId, data: { stepId, ...suggestion } }], this.#now());
    });
  }

  /**
   * Records that an automatic result was wrong ("mark as wrong", a credit note against an
   * auto-sent invoice). A step in `auto` is demoted to `review` and the owners are told.
   */
  async recordCorrection(runId: string, stepId: string, reason: string, by: string, corrected?: unknown): Promise<{ demoted: boolean }> {
    if (reason.trim() === '') throw new ValidationError('CORRECTION_INVALID', 'Say why the result was wrong (reason)', { details: { path: 'reason' } });
    const run = await this.#e.getRun(runId);
    const definition = await this.#e.workflows.version(run.workflowId, (await this.#e.workflows.get(run.workflowId)).currentVersion);
    const step = definition.steps.find((s) => s.id === stepId);
    if (step === undefined) throw new ValidationError('CORRECTION_INVALID', `Workflow ${run.workflowId} has no step "${stepId}"`, { details: { path: 'stepId' } });
    await this.#e.committer.unit(async (tx) => {
      await tx.insertInto('corrections').values({ id: newId(), run_id: runId, workflow_id: run.workflowId, step_id: stepId, reason, corrected: toJsonColumn(corrected ?? null), by, created_at: this.#now() }).execute();
      await appendAudit(tx, this.#o.database.dialect, [{ actor: by, action: 'step.corrected', subjectType: 'run', subjectId: runId, runId, data: { stepId, reason, corrected: corrected ?? null } }], this.#now());
    });
    const tier = ('tier' in step ? step.tier : undefined) ?? 'auto';
    if (tier !== 'auto' || !isGoverned(step)) return { demoted: false };
    await this.#setTier(run.workflowId, stepId, 'auto', 'review', 'demoted', 'system', { reason, runId });
    if (await this.#mailOn(this.#db)) {
      await this.#e.committer.unit(async (tx) => {
        const to = await recipientsOf(tx, 'role:owner');
        await queueMail(tx, { to, subject: `OpsLoop moved ${run.workflowId}/${stepId} back to review`, text: `An automatic result of "${stepId}" was corrected (run ${runId}): ${reason}\nThe step now asks a person again.` }, `demoted:${runId}:${stepId}`, this.#now());
      });
      this.#e.wake('outbox');
    }
    return { demoted: true };
  }

  async #setTier(workflowId: string, stepId: string, from: Tier, to: Tier, decision: string, by: string, evidence: unknown): Promise<number> {
    const { definition } = await this.#e.workflows.current(workflowId);
    const next = structuredClone(definition) as WorkflowDefinition;
    const step = next.steps.find((s) => s.id === stepId);
    if (step === undefined || (step.type !== 'ai' && step.type !== 'action')) throw new ValidationError('GRADUATION_INVALID', `Step ${stepId} of ${workflowId} has no tier`);
    step.tier = to;
    const saved = await this.#e.addWorkflow(next);
    await this.#e.committer.unit(async (tx) => {
      await tx.insertInto('graduation_decisions').values({ id: newId(), workflow_id: workflowId, step_id: stepId, from_tier: from, to_tier: to, decision, by, evidence: toJsonColumn(evidence), created_at: this.#now() }).execute();
      await appendAudit(tx, this.#o.database.dialect, [{ actor: by, action: `graduation.${decision}`, subjectType: 'workflow', subjectId: workflowId, data: { stepId, from, to, version: saved.version, evidence } }], this.#now());
    });
    return saved.version;
  }

  /** Whether the API must refuse: no users at all yet means nobody can log in. */
  async hasUsers(): Promise<boolean> {
    const row = await this.#db.selectFrom('users').select('id').limit(1).executeTakeFirst();
    return row !== undefined;
  }
}

function isGoverned(step: WorkflowDefinition['steps'][number]): boolean {
  return step.type === 'ai' || (step.type === 'action' && (step.proposing === true || step.tier !== undefined || (step.policies?.length ?? 0) > 0));
}

function actorOfTrigger(trigger: unknown): string {
  const type = (trigger as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? `trigger:${type}` : 'system';
}

