/**
 * The governance gate: for every proposing step, the step's tier and the rules of its policies
 * decide — continue (auto), ask a person (review / human), or raise an exception. An AI step whose
 * policies have no confidence rule is `auto` only at or above its skill's calibrated threshold
 * (see `withDefaultRules`). The verdict and the proposal are audited in the step's transaction.
 */
import { evaluateSource } from '../workflow/expression/index.ts';
import type { Gate, GateContext, GateVerdict } from '../workflow/gate.ts';
import type { Dialect } from '../data/dialect.ts';
import type { Queryable } from '../workflow/store/runs.ts';
import { appendAudit } from './audit.ts';
import { evaluatePolicies, periodStart, withDefaultRules, type Tier, type Verdict } from './policy/evaluate.ts';
import type { PolicyRule } from './policy/schema.ts';
import { currentPolicy } from './policy/store.ts';

export async function recordFirstTimes(tx: Queryable, values: { namespace: string; value: string }[], now: number): Promise<void> {
  for (const v of values) {
    await tx.insertInto('policy_seen').values({ namespace: v.namespace, value: v.value, first_at: now }).onConflict((oc) => oc.columns(['namespace', 'value']).doNothing()).execute();
  }
}

/** Adds to a limit counter if it stays within `max`; returns the total before, and whether it fit. */
async function consumeCounter(tx: Queryable, counter: string, start: number, amount: number, max: number): Promise<{ ok: boolean; before: number }> {
  await tx.insertInto('policy_counters').values({ counter, period_start: start, total: 0 }).onConflict((oc) => oc.columns(['counter', 'period_start']).doNothing()).execute();
  const updated = await tx
    .updateTable('policy_counters')
    .set((eb) => ({ total: eb('total', '+', amount) }))
    .where('counter', '=', counter)
    .where('period_start', '=', start)
    .where((eb) => eb(eb('total', '+', amount), '<=', max))
    .returning('total')
    .executeTakeFirst();
  if (updated !== undefined) return { ok: true, before: Number(updated.total) - amount };
  const row = await tx.selectFrom('policy_counters').select('total').where('counter', '=', counter).where('period_start', '=', start).executeTakeFirstOrThrow();
  return { ok: false, before: Number(row.total) };
}

export class GovernanceGate implements Gate {
  readonly #dialect: Dialect;

  constructor(dialect: Dialect) {
    this.#dialect = dialect;
  }

  async check(ctx: GateContext): Promise<GateVerdict> {
    const { tx, step } = ctx;
    const now = ctx.now();
    const stepTier: Tier = ('tier' in step && step.tier !== undefined ? step.tier : 'auto') as Tier;
    const policyIds = 'policies' in step ? (step.policies ?? []) : [];
    const declared: { policy: string; rule: PolicyRule }[] = [];
    const versions: { id: string; version: number }[] = [];
    for (const id of policyIds) {
      const { version, definition } = await currentPolicy(tx, id);
      versions.push({ id, version });
      for (const rule of definition.rules) declared.push({ policy: id, rule });
    }
    const rules = withDefaultRules(step.type, declared, ctx.calibration);
    // Facts from the database, gathered before the pure evaluation.
    const seen = new Set<string>();
    const totals = new Map<string, number>();
    for (const { rule } of rules) {
      if (rule.type === 'first_time') {
        const key = safeEval(rule.key, ctx.scope);
        if (typeof key !== 'string' && typeof key !== 'number') continue;
        const value = String(key).trim().toLowerCase();
        const row = await tx.selectFrom('policy_seen').select('value').where('namespace', '=', rule.namespace).where('value', '=', value).executeTakeFirst();
        if (row !== undefined) seen.add(`${rule.namespace}\u0001${value}`);
      } else if (rule.type === 'limit') {
        const amountValue = rule.amount === undefined ? 1 : Number(safeEval(rule.amount, ctx.scope));
        const amount = Number.isFinite(amountValue) ? amountValue : 1;
        // Counted atomically here, so two processes cannot both take the last unit of a limit.
        const { ok, before } = await consumeCounter(tx, rule.counter, periodStart(rule.period, now), amount, rule.max);
        totals.set(`${rule.counter}\u0001${rule.period}`, ok ? before : Math.max(before, rule.max));
      }
    }
    const verdict = evaluatePolicies(stepTier, rules, {
      scope: ctx.scope,
      ...(ctx.confidence === undefined ? {} : { confidence: ctx.confidence }),
      ...(ctx.fieldConfidence === undefined ? {} : { fieldConfidence: ctx.fieldConfidence }),
      ...(ctx.calibration === undefined ? {} : { calibration: ctx.calibration }),
      seen: (namespace, value) => seen.has(`${namespace}\u0001${value}`),
      counterTotal: (counter, period) => totals.get(`${counter}\u0001${period}`) ?? 0,
    });
    await appendAudit(
      tx,
      this.#dialect,
      [
        { actor: step.type === 'ai' ? 'ai' : 'system', action: 'step.proposed', subjectType: 'step', subjectId: `${ctx.runId}:${ctx.seq}`, runId: ctx.runId, data: { stepId: step.id, output: ctx.output, confidence: ctx.confidence ?? null, fieldConfidence: ctx.fieldConfidence ?? null, calibration: ctx.calibration ?? null } },
        { actor: 'system', action: 'policy.verdict', subjectType: 'step', subjectId: `${ctx.runId}:${ctx.seq}`, runId: ctx.runId, data: { stepId: step.id, stepTier, tier: verdict.tier, exception: verdict.exception, reasons: verdict.reasons, policies: versions } },
      ],
      now,
    );
    if (verdict.exception === null && verdict.tier === 'auto') await recordFirstTimes(tx, verdict.firstTimes, now);
    return toGateVerdict(verdict, step.type === 'ai' || step.type === 'action' ? step.assignee : undefined);
  }
}

function toGateVerdict(verdict: Verdict, assignee: string | undefined): GateVerdict {
  const reasons = verdict.reasons.map((r) => ({ rule: `${r.policy}/${r.rule}`, message: r.message, ...(r.value === undefined ? {} : { value: r.value }) }));
  if (verdict.exception !== null) return { decision: 'exception', reasons, ...(verdict.exception.owner === null ? {} : { owner: verdict.exception.owner }) };
  if (verdict.tier === 'auto') return { decision: 'continue', reasons };
  const owner = assignee ?? verdict.owner ?? undefined;
  return {
    decision: 'approval',
    reasons: reasons.length > 0 ? reasons : [{ rule: 'tier', message: `this step is in the ${verdict.tier} tier` }],
    tier: verdict.tier,
    ...(owner === undefined ? {} : { assignee: owner }),
    ...(verdict.amount === null ? {} : { amount: verdict.amount.value, ...(verdict.amount.currency === null ? {} : { currency: verdict.amount.currency }) }),
    pending: { firstTimes: verdict.firstTimes },
  };
}

function safeEval(source: string, scope: Record<string, unknown>): unknown {
  try {
    return evaluateSource(source, scope);
  } catch {
    return undefined;
  }
}
