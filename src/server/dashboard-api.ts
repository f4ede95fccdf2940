/**
 * The dashboard: what OpsLoop did over a period, read from the journal and the records (nothing is
 * counted twice or instrumented separately). Days are calendar days in the business's time zone
 * (OPSLOOP_TIMEZONE); `from` and `to` are both included.
 *
 * Definitions:
 * - automationRate: of the steps that did work (actions, AI skills, approvals) and finished in the
 *   period — completed, rejected or skipped — the share that completed without a person deciding
 *   (the engine or an AI skill did it, no approval, no operator skip). Control-flow steps
 *   (branch, wait, end) are not counted. Timed-out approvals are neither.
 * - escalationRate: approval tasks opened in the period that were escalated (nobody decided in
 *   time and the task moved to its escalation target) / approval tasks opened in the period.
 * - reworkRate: decisions made in the period that edited or rejected what was proposed /
 *   decisions made in the period.
 * - hoursSaved: per workflow, runs completed in the period × its baseline (minutes a person
 *   would take for one run, set with PUT /api/workflows/:id/baseline) / 60.
 * - aiCost: AI skill calls started in the period (every attempt), the cost the provider reported
 *   (costMicros: millionths of the provider's currency unit, see src/ai/providers/usage.ts;
 *   the offline builtin provider costs nothing) and the cost per run that called AI.
 * - receivables: see src/domains/finance/receivables.ts (ageing on `to`, DSO over the period).
 * A rate with nothing to count is null, not 0.
 */
import type { Hono } from 'hono';
import { sql } from 'kysely';
import { z } from 'zod';
import type { OpsLoop } from '../app.ts';
import { addDays, localDate, localInstant } from '../core/dates.ts';
import { ValidationError } from '../core/errors.ts';
import { Dialect } from '../data/dialect.ts';
import { receivablesReport } from '../domains/finance/index.ts';
import { appendAudit } from '../governance/index.ts';
import type { Queryable } from '../workflow/store/runs.ts';
import { userWith, type AppEnv } from './auth.ts';
import { readJson, validate } from './body.ts';
import { route } from './openapi.ts';

/** 2026-02-30 is not a date, though Date.parse rolls it over to March. */
const isRealDate = (d: string): boolean => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
};
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD').refine(isRealDate, 'is not a date on the calendar');
const dashboardQuery = z.object({ from: date.optional(), to: date.optional() });
const baselineBody = z.object({ minutesPerRun: z.number().min(0, 'must be 0 or more').max(100_000, 'must be at most 100000 minutes') }).strict();
const maxDays = 366;

const rate = z.number().min(0).max(1).nullable();
const dashboardResponse = z.object({
  period: z.object({ from: z.string(), to: z.string(), timezone: z.string() }),
  runsPerDay: z.array(z.object({ day: z.string(), started: z.number(), completed: z.number(), failed: z.number() })),
  automationRate: rate,
  escalationRate: rate,
  reworkRate: rate,
  counts: z.object({ workSteps: z.number(), automatedSteps: z.number(), tasks: z.number(), escalatedTasks: z.number(), decisions: z.number(), reworkedDecisions: z.number() }),
  hoursSaved: z.object({
    total: z.number(),
    byWorkflow: z.array(z.object({ workflowId: z.string(), name: z.string(), runs: z.number(), minutesPerRun: z.number().nullable(), hours: z.number() })),
  }),
  receivables: z.object({
    asOf: z.string(),
    period: z.object({ from: z.string(), to: z.string(), days: z.number() }),
    byCurrency: z.array(
      z.object({
        currency: z.string(),
        outstanding: z.string(),
        openInvoices: z.number(),
        buckets: z.array(z.object({ bucket: z.enum(['current', '1-30', '31-60', '61-90', '90+']), amount: z.string(), invoices: z.number() })),
        creditSales: z.string(),
        dso: z.number().nullable(),
      }),
    ),
  }),
  aiCost: z.object({ calls: z.number(), runs: z.number(), costMicros: z.number(), perRun: z.number().nullable(), promptTokens: z.number(), completionTokens: z.number() }),
});
export type Dashboard = z.infer<typeof dashboardResponse>;

interface Period {
  from: string;
  to: string;
  timezone: string;
  /** local midnights: boundaries[i] starts day i; the last one ends the period */
  boundaries: number[];
}

function share(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}

/** Counts instants per day of the period. */
function perDay(instants: number[], boundaries: number[]): number[] {
  const counts = new Array<number>(boundaries.length - 1).fill(0);
  for (const t of instants) {
    let lo = 0;
    let hi = boundaries.length - 1;
    if (t < (boundaries[0] ?? 0) || t >= (boundaries[hi] ?? 0)) continue;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (t >= (boundaries[mid] ?? 0)) lo = mid;
      else hi = mid;
    }
    counts[lo] = (counts[lo] ?? 0) + 1;
  }
  return counts;
}

const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

async function runsPerDay(db: Queryable, period: Period): Promise<Dashboard['runsPerDay']> {
  const start = period.boundaries[0] ?? 0;
  const end = period.boundaries[period.boundaries.length - 1] ?? 0;
  const [started, completed, failed] = await Promise.all([
    db.selectFrom('runs').select('created_at as at').where('created_at', '>=', start).where('created_at', '<', end).execute(),
    db.selectFrom('runs').select('ended_at as at').where('status', '=', 'completed').where('ended_at', '>=', start).where('ended_at', '<', end).execute(),
    // A run that stopped in an exception; each time it did (a retried run may fail again).
    db.selectFrom('exceptions').select('created_at as at').where('run_id', 'is not', null).where('created_at', '>=', start).where('created_at', '<', end).execute(),
  ]);
  const [s, c, f] = [started, completed, failed].map((rows) => perDay(rows.map((r) => num(r.at)), period.boundaries));
  return period.boundaries.slice(0, -1).map((_, i) => ({ day: addDays(period.from, i), started: s?.[i] ?? 0, completed: c?.[i] ?? 0, failed: f?.[i] ?? 0 }));
}

async function rates(db: Queryable, start: number, end: number) {
  const steps = await db
    .selectFrom('run_steps')
    .select((eb) => [
      eb.fn.countAll().as('finished'),
      eb.fn.sum(eb.case().when(eb.and([eb('status', '=', 'completed'), eb('actor', 'in', ['system', 'ai'])])).then(1).else(0).end()).as('automated'),
    ])
    .where('type', 'in', ['action', 'ai', 'approval'])
    .where('status', 'in', ['completed', 'rejected', 'skipped'])
    .where('ended_at', '>=', start)
    .where('ended_at', '<', end)
    .executeTakeFirstOrThrow();
  const tasks = await db
    .selectFrom('approval_tasks')
    .select((eb) => [eb.fn.countAll().as('opened'), eb.fn.count('escalated_at').as('escalated')])
    .where('created_at', '>=', start)
    .where('created_at', '<', end)
    .executeTakeFirstOrThrow();
  const decisions = await db
    .selectFrom('approval_tasks')
    .select((eb) => [
      eb.fn.countAll().as('decided'),
      eb.fn.sum(eb.case().when(eb.or([eb('decision', '=', 'reject'), eb('edit_diff', 'is not', null)])).then(1).else(0).end()).as('reworked'),
    ])
    .where('decision', 'is not', null)
    .where('decided_at', '>=', start)
    .where('decided_at', '<', end)
    .executeTakeFirstOrThrow();
  const counts = {
    workSteps: num(steps.finished),
    automatedSteps: num(steps.automated),
    tasks: num(tasks.opened),
    escalatedTasks: num(tasks.escalated),
    decisions: num(decisions.decided),
    reworkedDecisions: num(decisions.reworked),
  };
  return {
    automationRate: share(counts.automatedSteps, counts.workSteps),
    escalationRate: share(counts.escalatedTasks, counts.tasks),
    reworkRate: share(counts.reworkedDecisions, counts.decisions),
    counts,
  };
}

async function hoursSaved(db: Queryable, start: number, end: number): Promise<Dashboard['hoursSaved']> {
  const [completed, baselines, workflows] = await Promise.all([
    db
      .selectFrom('runs')
      .select((eb) => ['workflow_id', eb.fn.countAll().as('runs')])
      .where('status', '=', 'completed')
      .where('ended_at', '>=', start)
      .where('ended_at', '<', end)
      .groupBy('workflow_id')
      .execute(),
    db.selectFrom('workflow_baselines').select(['workflow_id', 'seconds_per_run']).execute(),
    db.selectFrom('workflows').select(['id', 'name']).execute(),
  ]);
  const runs = new Map(completed.map((r) => [r.workflow_id, num(r.runs)]));
  const seconds = new Map(baselines.map((b) => [b.workflow_id, b.seconds_per_run]));
  const names = new Map(workflows.map((w) => [w.id, w.name]));
  const ids = [...new Set([...runs.keys(), ...seconds.keys()])].sort();
  const byWorkflow = ids.map((workflowId) => {
    const count = runs.get(workflowId) ?? 0;
    const perRun = seconds.get(workflowId);
    return {
      workflowId,
      name: names.get(workflowId) ?? workflowId,
      runs: count,
      minutesPerRun: perRun === undefined ? null : Math.round((perRun / 60) * 100) / 100,
      hours: perRun === undefined ? 0 : Math.round(((count * perRun) / 3600) * 100) / 100,
    };
  });
  const total = Math.round(byWorkflow.reduce((sum, w) => sum + w.hours, 0) * 100) / 100;
  return { total, byWorkflow };
}

/** AI usage is recorded in each AI step's journal meta (meta.usage, see the executor). */
async function aiCost(db: Queryable, dialect: Dialect, start: number, end: number): Promise<Dashboard['aiCost']> {
  const field = (name: string) => (dialect === Dialect.postgres ? sql<number>`coalesce(((meta::json)->'usage'->>${name})::numeric, 0)` : sql<number>`coalesce(json_extract(meta, ${`$.usage.${name}`}), 0)`);
  const row = await db
    .selectFrom('run_steps')
    .select((eb) => [
      eb.fn.countAll().as('calls'),
      eb.fn.count('run_id').distinct().as('runs'),
      eb.fn.sum(field('costMicros')).as('cost'),
      eb.fn.sum(field('promptTokens')).as('prompt'),
      eb.fn.sum(field('completionTokens')).as('completion'),
    ])
    .where('type', '=', 'ai')
    .where('started_at', '>=', start)
    .where('started_at', '<', end)
    .executeTakeFirstOrThrow();
  const runs = num(row.runs);
  const costMicros = Math.round(num(row.cost));
  return { calls: num(row.calls), runs, costMicros, perRun: runs === 0 ? null : Math.round(costMicros / runs), promptTokens: num(row.prompt), completionTokens: num(row.completion) };
}

/** The dashboard for a period; `from`/`to` default to the last 30 days up to today. */
export async function buildDashboard(opsloop: OpsLoop, range: { from?: string; to?: string }): Promise<Dashboard> {
  const timezone = opsloop.config.timezone;
  const to = range.to ?? localDate(opsloop.engine.clock.now(), timezone);
  const from = range.from ?? addDays(to, -29);
  if (from > to) throw new ValidationError('REQUEST_INVALID', `query.from: the period starts (${from}) after it ends (${to})`, { details: { path: 'query.from' } });
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
  if (days > maxDays) throw new ValidationError('REQUEST_INVALID', `query.from: the period is ${days} days; at most ${maxDays}`, { details: { path: 'query.from' } });
  const boundaries = Array.from({ length: days + 1 }, (_, i) => localInstant(addDays(from, i), 0, timezone));
  const period: Period = { from, to, timezone, boundaries };
  const start = boundaries[0] ?? 0;
  const end = boundaries[days] ?? 0;
  const { db, dialect } = opsloop.database;
  const [perDayRuns, rateFigures, hours, receivables, ai] = await Promise.all([
    runsPerDay(db, period),
    rates(db, start, end),
    hoursSaved(db, start, end),
    receivablesReport(db, { from, asOf: to }),
    aiCost(db, dialect, start, end),
  ]);
  return { period: { from, to, timezone }, runsPerDay: perDayRuns, ...rateFigures, hoursSaved: hours, receivables, aiCost: ai };
}

export function mountDashboardApi(app: Hono<AppEnv>, opsloop: OpsLoop): void {
  route(
    app,
    {
      method: 'get',
      path: '/api/dashboard',
      tag: 'dashboard',
      summary: 'Runs per day, automation, escalation and rework rates, hours saved, receivables and AI cost for a period',
      description:
        'Days are calendar days in the business time zone; from and to are included (default: the last 30 days). automationRate: work steps (actions, AI skills, approvals) finished in the period that completed without a person / all of them. escalationRate: approval tasks opened in the period that were escalated / tasks opened. reworkRate: decisions that edited or rejected / decisions. hoursSaved: completed runs × the workflow baseline (PUT /api/workflows/{id}/baseline). Rates are fractions 0..1, null when there is nothing to count. Money is a decimal string per currency; costMicros are millionths of the AI provider\'s currency unit.',
      role: 'viewer',
      query: dashboardQuery,
      response: dashboardResponse,
    },
    async (c) => {
      userWith(c, 'viewer');
      const q = validate(dashboardQuery, c.req.query(), 'query');
      return c.json(await buildDashboard(opsloop, { ...(q.from === undefined ? {} : { from: q.from }), ...(q.to === undefined ? {} : { to: q.to }) }));
    },
  );

  route(
    app,
    {
      method: 'put',
      path: '/api/workflows/:id/baseline',
      tag: 'workflows',
      summary: "Set a workflow's baseline: the minutes a person would take for one run (for hours saved)",
      role: 'admin',
      body: baselineBody,
      response: z.object({ workflowId: z.string(), minutesPerRun: z.number() }),
    },
    async (c) => {
      const user = userWith(c, 'admin');
      const body = validate(baselineBody, await readJson(c));
      const { summary } = await opsloop.engine.workflows.current(c.req.param('id'));
      const seconds = Math.round(body.minutesPerRun * 60);
      const now = opsloop.engine.clock.now();
      await opsloop.engine.committer.unit(async (tx) => {
        await tx
          .insertInto('workflow_baselines')
          .values({ workflow_id: summary.id, seconds_per_run: seconds, updated_by: user.email, updated_at: now })
          .onConflict((oc) => oc.column('workflow_id').doUpdateSet({ seconds_per_run: seconds, updated_by: user.email, updated_at: now }))
          .execute();
        await appendAudit(tx, opsloop.database.dialect, [{ actor: `user:${user.email}`, action: 'workflow.baseline_set', subjectType: 'workflow', subjectId: summary.id, data: { minutesPerRun: seconds / 60 } }], now);
      });
      return c.json({ workflowId: summary.id, minutesPerRun: seconds / 60 });
    },
  );
}
