/**
 * One inbox for people. An approval task is opened in the same transaction in which a run starts
 * waiting for a person (an approval step, or a proposal the gate sent to review); deciding it
 * checks who may decide (role, assignee, amount limit), validates an edit against the step's
 * output schema, records the diff, audits, and signals the run — all in one transaction.
 */
import type { ZodType } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { isoOf } from '../core/clock.ts';
import { parseJsonColumn, toJsonColumn } from '../core/json.ts';
import type { Dialect } from '../data/dialect.ts';
import type { ApprovalTaskRow } from '../data/schema.ts';
import type { Registry } from '../workflow/registry.ts';
import { signalRun } from '../workflow/signals.ts';
import type { ApprovalClosedInfo, ApprovalOpenedInfo } from '../workflow/hooks.ts';
import type { Queryable } from '../workflow/store/runs.ts';
import type { WorkflowStore } from '../workflow/store/workflows.ts';
import { appendAudit } from './audit.ts';
import { jsonDiff, type Change } from './diff.ts';
import { recordFirstTimes } from './gate.ts';
import { queueMail, recipientsOf } from './notify.ts';
import { AuthError, roleAtLeast, roles, type Role, type User } from './users.ts';

export interface TaskView {
  id: string;
  runId: string;
  workflowId: string;
  workflowVersion: number;
  stepId: string;
  stepType: string;
  mode: string;
  title: string;
  proposed: unknown;
  reasons: unknown;
  evidence: unknown;
  assignee: string | null;
  amount: number | null;
  currency: string | null;
  dueAt: string | null;
  escalatedAt: string | null;
  status: string;
  decision: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  final: unknown;
  editDiff: Change[] | null;
  reason: string | null;
  createdAt: string | null;
}

export function toTaskView(row: ApprovalTaskRow): TaskView {
  return {
    id: row.id,
    runId: row.run_id,
    workflowId: row.workflow_id,
    workflowVersion: row.workflow_version,
    stepId: row.step_id,
    stepType: row.step_type,
    mode: row.mode,
    title: row.title,
    proposed: parseJsonColumn(row.proposed),
    reasons: parseJsonColumn(row.reasons),
    evidence: parseJsonColumn(row.evidence),
    assignee: row.assignee,
    amount: row.amount_minor === null ? null : row.amount_minor / 100,
    currency: row.currency,
    dueAt: isoOf(row.due_at),
    escalatedAt: isoOf(row.escalated_at),
    status: row.status,
    decision: row.decision,
    decidedBy: row.decided_by,
    decidedAt: isoOf(row.decided_at),
    final: parseJsonColumn(row.final),
    editDiff: parseJsonColumn<Change[]>(row.edit_diff),
    reason: row.reason,
    createdAt: isoOf(row.created_at),
  };
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Engine hook: a run started waiting for a person. */
export async function openTask(tx: Queryable, dialect: Dialect, info: ApprovalOpenedInfo, mailEnabled: boolean): Promise<void> {
  const meta = info.meta;
  const gate = (meta.gate ?? null) as { reasons?: unknown[]; tier?: string; pending?: unknown } | null;
  const escalate = (meta.escalate ?? null) as { afterMs?: number; to?: string } | null;
  const mode = info.step.type !== 'approval' && gate?.tier === 'human' ? 'human' : 'review';
  const reasons = gate?.reasons ?? [{ rule: 'approval-step', message: 'this step always asks a person' }];
  const assignee = typeof meta.assignee === 'string' ? meta.assignee : null;
  const deadline = num(meta.deadline);
  const escalateAt = escalate?.afterMs !== undefined && escalate.afterMs !== null ? info.now + escalate.afterMs : null;
  const amount = num(meta.amount);
  const id = newId();
  await tx
    .insertInto('approval_tasks')
    .values({
      id,
      run_id: info.runId,
      seq: info.seq,
      workflow_id: info.workflowId,
      workflow_version: info.version,
      step_id: info.step.id,
      step_type: info.step.type,
      mode,
      title: typeof meta.title === 'string' ? meta.title : (info.step.name ?? info.step.id),
      proposed: toJsonColumn(info.proposed ?? null),
      reasons: toJsonColumn(reasons),
      evidence: toJsonColumn({ confidence: meta.confidence ?? null, fieldConfidence: meta.fieldConfidence ?? null, evidence: meta.evidence ?? null, pending: gate?.pending ?? null }),
      assignee,
      escalate_to: escalate?.to ?? null,
      escalate_after_ms: escalate?.afterMs ?? null,
      escalated_at: null,
      amount_minor: amount === null ? null : Math.round(amount * 100),
      currency: typeof meta.currency === 'string' ? meta.currency.toUpperCase() : null,
      due_at: escalateAt ?? deadline,
      status: 'open',
      decision: null,
      decided_by: null,
      decided_at: null,
      final: null,
      edit_diff: null,
      reason: null,
      created_at: info.now,
    })
    .onConflict((oc) => oc.columns(['run_id', 'seq']).doNothing())
    .execute();
  await appendAudit(tx, dialect, [{ actor: 'system', action: 'approval.requested', subjectType: 'approval', subjectId: id, runId: info.runId, data: { stepId: info.step.id, mode, assignee, reasons } }], info.now);
  if (mailEnabled) {
    const to = await recipientsOf(tx, assignee);
    await queueMail(tx, { to, subject: `Waiting for you: ${info.step.name ?? info.step.id} (${info.workflowId})`, text: `A run of ${info.workflowId} needs a decision at step "${info.step.id}".\nWhy: ${reasons.map((r) => (r as { message?: string }).message ?? '').join('; ')}\nTask ${id} — open the Inbox to approve or reject.` }, `assigned:${id}:${assignee ?? ''}`, info.now);
  }
}

/** Engine hook: the run took its decision or timed out. */
export async function closeTask(tx: Queryable, dialect: Dialect, info: ApprovalClosedInfo): Promise<void> {
  if (info.outcome !== 'timed_out') return;
  const task = await tx.selectFrom('approval_tasks').select(['id', 'status']).where('run_id', '=', info.runId).where('seq', '=', info.seq).executeTakeFirst();
  if (task === undefined || task.status !== 'open') return;
  await tx.updateTable('approval_tasks').set({ status: 'timed_out', decided_at: info.now }).where('id', '=', task.id).execute();
  await appendAudit(tx, dialect, [{ actor: 'system', action: 'approval.timed_out', subjectType: 'approval', subjectId: task.id, runId: info.runId, data: { stepId: info.stepId } }], info.now);
}

export interface TaskFilter {
  status?: 'open' | 'approved' | 'rejected' | 'timed_out' | 'all';
  /** only tasks this user may decide and that are assigned to them or their role (or unassigned) */
  mine?: User;
  limit?: number;
}

/** Open tasks first by urgency (due time), then newest. */
export async function listTasks(db: Queryable, filter: TaskFilter = {}): Promise<TaskView[]> {
  let query = db.selectFrom('approval_tasks').selectAll().limit(Math.min(filter.limit ?? 200, 1000));
  const status = filter.status ?? 'open';
  if (status !== 'all') query = query.where('status', '=', status);
  const rows = await query.orderBy('due_at', 'asc').orderBy('created_at', 'desc').execute();
  const sorted = rows.sort((a, b) => (a.due_at ?? Number.MAX_SAFE_INTEGER) - (b.due_at ?? Number.MAX_SAFE_INTEGER) || b.created_at - a.created_at);
  const visible = filter.mine === undefined ? sorted : sorted.filter((r) => assignedTo(r.assignee, filter.mine as User));
  return visible.map(toTaskView);
}

export async function getTask(db: Queryable, id: string): Promise<ApprovalTaskRow> {
  const row = await db.selectFrom('approval_tasks').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw new NotFoundError('APPROVAL_NOT_FOUND', `There is no approval task ${id} (see \`opsloop approvals\`)`);
  return row;
}

function assignedTo(assignee: string | null, user: User): boolean {
  if (assignee === null || assignee === '') return true;
  if (assignee.startsWith('role:')) {
    const role = assignee.slice(5);
    return (roles as readonly string[]).includes(role) && roleAtLeast(user.role, role as Role);
  }
  return assignee.toLowerCase() === user.email || roleAtLeast(user.role, 'admin');
}

export interface Decision {
  decision: 'approve' | 'reject';
  /** the edited output, when the person changed what was proposed */
  data?: unknown;
  reason?: string;
}

/** Checks who may decide this task; throws a FORBIDDEN error that says why not. */
export function checkMayDecide(task: ApprovalTaskRow, user: User, decision: Decision): void {
  if (user.disabled) throw new AuthError('FORBIDDEN_DISABLED', `User ${user.email} is disabled`, 'forbidden');
  if (!roleAtLeast(user.role, 'reviewer')) throw new AuthError('FORBIDDEN_ROLE', `${user.email} is a ${user.role}; deciding approvals needs the reviewer role or above`, 'forbidden');
  if (!assignedTo(task.assignee, user)) throw new AuthError('FORBIDDEN_ASSIGNEE', `This task is assigned to ${task.assignee ?? 'nobody'}; ${user.email} (${user.role}) may not decide it`, 'forbidden');
  if (decision.decision === 'approve' && task.amount_minor !== null && user.approvalLimit !== null) {
    const amount = task.amount_minor / 100;
    const sameCurrency = user.approvalLimitCurrency === null || task.currency === null || user.approvalLimitCurrency === task.currency;
    if (!sameCurrency || amount > user.approvalLimit) {
      throw new AuthError('APPROVAL_LIMIT_EXCEEDED', `${user.email} may approve up to ${user.approvalLimit} ${user.approvalLimitCurrency ?? ''}; this is ${amount} ${task.currency ?? ''}`.replace(/\s+/g, ' ').trim(), 'forbidden');
    }
  }
}

export interface DecideDeps {
  dialect: Dialect;
  registry: Registry;
  workflows: WorkflowStore;
}

/** Decides one task in the caller's transaction. The run is signalled; the caller wakes the worker. */
export async function decideTask(tx: Queryable, deps: DecideDeps, taskId: string, user: User, decision: Decision, now: number): Promise<TaskView> {
  const task = await getTask(tx, taskId);
  if (task.status !== 'open') throw new ConflictError('APPROVAL_CLOSED', `Approval task ${taskId} is already ${task.status}`, { details: { status: task.status } });
  checkMayDecide(task, user, decision);
  const proposed = parseJsonColumn(task.proposed);
  let diff: Change[] = [];
  if (decision.decision === 'approve' && decision.data !== undefined) {
    const schema = await outputSchemaOf(deps, task);
    if (schema !== undefined) {
      const parsed = schema.safeParse(decision.data);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const path = issue?.path.join('.') || '(root)';
        throw new ValidationError('APPROVAL_EDIT_INVALID', `The edited ${task.step_id} output is invalid at ${path}: ${issue?.message ?? 'invalid'}`, { details: { path } });
      }
    }
    diff = jsonDiff(proposed, decision.data);
  }
  const final = decision.decision === 'approve' ? (decision.data ?? proposed) : null;
  await tx
    .updateTable('approval_tasks')
    .set({
      status: decision.decision === 'approve' ? 'approved' : 'rejected',
      decision: decision.decision,
      decided_by: user.email,
      decided_at: now,
      final: toJsonColumn(final),
      edit_diff: diff.length === 0 ? null : JSON.stringify(diff),
      reason: decision.reason ?? null,
    })
    .where('id', '=', taskId)
    .execute();
  if (decision.decision === 'approve') {
    const pending = (parseJsonColumn<{ pending?: { firstTimes?: { namespace: string; value: string }[] } }>(task.evidence) ?? {}).pending;
    await recordFirstTimes(tx, pending?.firstTimes ?? [], now);
  }
  await appendAudit(tx, deps.dialect, [{ actor: `user:${user.email}`, action: 'approval.decided', subjectType: 'approval', subjectId: taskId, runId: task.run_id, data: { decision: decision.decision, stepId: task.step_id, diff, reason: decision.reason ?? null } }], now);
  await signalRun(tx, deps.dialect, task.run_id, 'approval', { decision: decision.decision, by: user.email, ...(decision.data === undefined ? {} : { data: decision.data }), ...(decision.reason === undefined ? {} : { reason: decision.reason }) }, now);
  return toTaskView(await getTask(tx, taskId));
}

async function outputSchemaOf(deps: DecideDeps, task: ApprovalTaskRow): Promise<ZodType | undefined> {
  const definition = await deps.workflows.version(task.workflow_id, task.workflow_version);
  const step = definition.steps.find((s) => s.id === task.step_id);
  if (step?.type === 'action') return deps.registry.action(step.action)?.output;
  if (step?.type === 'ai') return deps.registry.skill(step.skill)?.output;
  return undefined;
}

/** Moves overdue tasks that declare an escalation to their escalation target. Returns how many. */
export async function escalateOverdue(tx: Queryable, dialect: Dialect, now: number, mailEnabled: boolean): Promise<number> {
  const due = await tx.selectFrom('approval_tasks').selectAll().where('status', '=', 'open').where('escalated_at', 'is', null).where('escalate_to', 'is not', null).where('due_at', '<=', now).limit(100).execute();
  for (const task of due) {
    await tx.updateTable('approval_tasks').set({ assignee: task.escalate_to, escalated_at: now, due_at: null }).where('id', '=', task.id).execute();
    await appendAudit(tx, dialect, [{ actor: 'system', action: 'approval.escalated', subjectType: 'approval', subjectId: task.id, runId: task.run_id, data: { from: task.assignee, to: task.escalate_to } }], now);
    if (mailEnabled) {
      const to = await recipientsOf(tx, task.escalate_to);
      await queueMail(tx, { to, subject: `Escalated to you: ${task.title} (${task.workflow_id})`, text: `Nobody decided "${task.title}" in time; it is now yours.\nTask ${task.id}.` }, `escalated:${task.id}`, now);
    }
  }
  return due.length;
}
