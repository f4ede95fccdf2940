/**
 * Policy verdicts, as a pure function: given the step's declared tier, the rules that apply and
 * the facts of the case (output, confidences, what the database knows), the strictest outcome
 * wins, and the verdict carries every reason (rule id, message, value) for the inbox.
 */
import { evaluateSource, isTruthy } from '../../workflow/expression/index.ts';
import type { PolicyRule } from './schema.ts';

export type Tier = 'auto' | 'review' | 'human';
const tierRank: Record<Tier, number> = { auto: 0, review: 1, human: 2 };

export interface PolicyFacts {
  /** the proposal and its context, as expressions see it: output, input, steps, run */
  scope: Record<string, unknown>;
  confidence?: number;
  fieldConfidence?: Record<string, number>;
  /** the skill's calibrated threshold (`min: calibrated` rules and the default for AI steps) */
  calibration?: Calibration;
  /** first_time: has this namespace seen this value before? */
  seen: (namespace: string, value: string) => boolean;
  /** limit: the counter's total in the current period, before this case */
  counterTotal: (counter: string, period: 'day' | 'week' | 'month') => number;
}

/** A skill's calibrated threshold, as the workflow engine's `SkillCalibration`. */
export interface Calibration {
  threshold: number;
  /** the precision the threshold was calibrated for; absent for a documented default */
  precision?: number;
  fields?: Record<string, number>;
  source: string;
}

/** The rule AI steps get when none of their policies has a confidence rule: `auto` needs the calibrated threshold. */
export const calibratedDefaultRule: PolicyRule = { id: 'calibrated-confidence', type: 'confidence', min: 'calibrated', tier: 'review' };
export const defaultPolicyId = 'default';

/**
 * The rules the gate evaluates: the policies' own, plus — for an AI step whose skill reports a
 * calibrated threshold and whose policies say nothing about confidence — {@link calibratedDefaultRule}.
 * A step (or custom skill) without a calibration keeps only its policies' rules.
 */
export function withDefaultRules(stepType: string, rules: readonly { policy: string; rule: PolicyRule }[], calibration: Calibration | undefined): { policy: string; rule: PolicyRule }[] {
  if (stepType !== 'ai' || calibration === undefined || rules.some(({ rule }) => rule.type === 'confidence')) return [...rules];
  return [...rules, { policy: defaultPolicyId, rule: calibratedDefaultRule }];
}

/** Two numbers with enough digits to tell them apart (0.979 vs 0.98, not 0.98 vs 0.98). */
function pair(value: number, bound: number): [string, string] {
  let digits = 2;
  while (digits < 4 && value.toFixed(digits) === bound.toFixed(digits)) digits++;
  return [value.toFixed(digits), bound.toFixed(digits)];
}

/** "the calibrated 0.86 for 99% precision", or "the default 0.80 (not calibrated yet)". */
function calibratedName(calibration: Calibration, shown: string): string {
  return calibration.precision === undefined ? `the default ${shown} (not calibrated yet)` : `the calibrated ${shown} for ${Number((calibration.precision * 100).toFixed(1))}% precision`;
}

/** The confidence rule: numeric bounds as before; `calibrated` compares with the skill's own threshold(s). */
function checkConfidence(rule: Extract<PolicyRule, { type: 'confidence' }>, facts: PolicyFacts): { message: string; value?: unknown } | null {
  const bound = rule.min ?? rule.below ?? 'calibrated';
  const fields = rule.fields ?? [];
  if (bound !== 'calibrated') {
    if (fields.length === 0 || facts.fieldConfidence === undefined) {
      const c = facts.confidence;
      if (c === undefined) return { message: 'no confidence was reported' };
      return c < bound ? { message: `confidence ${c.toFixed(2)} is under ${bound}`, value: c } : null;
    }
    const low = fields.filter((f) => (facts.fieldConfidence?.[f] ?? 0) < bound);
    return low.length === 0 ? null : { message: `low confidence in ${low.map((f) => `${f} (${(facts.fieldConfidence?.[f] ?? 0).toFixed(2)})`).join(', ')}`, value: low };
  }
  const calibration = facts.calibration;
  if (calibration === undefined) return { message: 'the skill reports no calibrated threshold, so its confidence cannot be judged' };
  const thresholdOf = (field: string): number => calibration.fields?.[field] ?? calibration.threshold;
  // Per field (the rule's, else every field the skill reported), so the reason names the weak field.
  const perField = facts.fieldConfidence !== undefined && (fields.length > 0 || Object.keys(facts.fieldConfidence).length > 0);
  if (!perField) {
    const c = facts.confidence;
    if (c === undefined) return { message: 'no confidence was reported' };
    if (c >= calibration.threshold) return null;
    const [shown, threshold] = pair(c, calibration.threshold);
    return { message: `confidence ${shown} below ${calibratedName(calibration, threshold)}`, value: c };
  }
  const names = fields.length > 0 ? fields : Object.keys(facts.fieldConfidence ?? {});
  const low = names.flatMap((f) => {
    const c = facts.fieldConfidence?.[f] ?? 0;
    const t = thresholdOf(f);
    if (c >= t) return [];
    const [shown, threshold] = pair(c, t);
    return [{ field: f, text: `${f} ${shown} below ${calibratedName(calibration, threshold)}` }];
  });
  return low.length === 0 ? null : { message: `low confidence: ${low.map((l) => l.text).join('; ')}`, value: low.map((l) => l.field) };
}

export interface Reason {
  rule: string;
  policy: string;
  message: string;
  value?: unknown;
}

export interface Verdict {
  tier: Tier;
  exception: { owner: string | null } | null;
  reasons: Reason[];
  /** the amount at stake when a threshold rule looked at one (major units) */
  amount: { value: number; currency: string | null } | null;
  /** first_time values to remember once the case goes through */
  firstTimes: { namespace: string; value: string }[];
  /** limit counters to add to once the case goes through */
  counters: { counter: string; period: 'day' | 'week' | 'month'; amount: number }[];
  owner: string | null;
}

function asNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

/** The strictest of the step's tier and every matched rule. */
export function evaluatePolicies(stepTier: Tier, rules: { policy: string; rule: PolicyRule }[], facts: PolicyFacts): Verdict {
  const verdict: Verdict = { tier: stepTier, exception: null, reasons: [], amount: null, firstTimes: [], counters: [], owner: null };
  const eval_ = (source: string): unknown => {
    try {
      return evaluateSource(source, facts.scope);
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  for (const { policy, rule } of rules) {
    let matched: { message: string; value?: unknown } | null = null;
    switch (rule.type) {
      case 'threshold': {
        const value = asNumber(eval_(rule.value));
        const currency = rule.currency === undefined ? null : eval_(rule.currency);
        const code = typeof currency === 'string' ? currency.toUpperCase() : null;
        const limit = typeof rule.over === 'number' ? rule.over : (rule.over[code ?? ''] ?? rule.over.default);
        if (value !== null) verdict.amount ??= { value, currency: code };
        if (value === null) matched = { message: `cannot read the amount (${rule.value})` };
        else if (limit !== undefined && value > limit) matched = { message: `amount ${value}${code === null ? '' : ` ${code}`} is over ${limit}`, value };
        break;
      }
      case 'confidence':
        matched = checkConfidence(rule, facts);
        break;
      case 'rule': {
        const value = eval_(rule.when);
        const failed = typeof value === 'object' && value !== null && 'error' in value;
        if (failed) matched = { message: `rule could not be checked: ${(value as { error: string }).error}` };
        else if (isTruthy(value)) matched = { message: rule.message ?? `rule ${rule.id} failed` };
        break;
      }
      case 'first_time': {
        const key = eval_(rule.key);
        if (typeof key === 'string' || typeof key === 'number') {
          const value = String(key).trim().toLowerCase();
          if (!facts.seen(rule.namespace, value)) {
            matched = { message: `first time for ${rule.namespace} "${String(key)}"`, value: String(key) };
          }
          verdict.firstTimes.push({ namespace: rule.namespace, value });
        } else matched = { message: `cannot read the ${rule.namespace} (${rule.key})` };
        break;
      }
      case 'limit': {
        const amount = rule.amount === undefined ? 1 : (asNumber(eval_(rule.amount)) ?? 1);
        const total = facts.counterTotal(rule.counter, rule.period);
        if (total + amount > rule.max) matched = { message: `${rule.counter} limit of ${rule.max} per ${rule.period} reached (${total} so far)`, value: total };
        verdict.counters.push({ counter: rule.counter, period: rule.period, amount });
        break;
      }
      default: {
        const never: never = rule;
        throw new Error(`unknown rule ${String(never)}`);
      }
    }
    if (matched === null) continue;
    verdict.reasons.push({ rule: rule.id, policy, message: rule.message !== undefined && rule.type !== 'rule' ? `${rule.message}: ${matched.message}` : matched.message, ...(matched.value === undefined ? {} : { value: matched.value }) });
    if (rule.action === 'exception') {
      verdict.exception = { owner: rule.owner ?? null };
    } else if (rule.tier !== undefined && tierRank[rule.tier] > tierRank[verdict.tier]) {
      verdict.tier = rule.tier;
    }
    if (rule.owner !== undefined) verdict.owner ??= rule.owner;
  }
  return verdict;
}

/** Start of the period containing `now` (UTC): day, ISO week (Monday), or month. */
export function periodStart(period: 'day' | 'week' | 'month', now: number): number {
  const d = new Date(now);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (period === 'day') return day;
  if (period === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const weekday = (d.getUTCDay() + 6) % 7;
  return day - weekday * 86_400_000;
}
