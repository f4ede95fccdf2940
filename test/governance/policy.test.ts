/** Pure governance decisions: policy verdicts, promotion suggestions, diffs, periods. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { calibratedDefaultRule, evaluatePolicies, jsonDiff, parsePolicy, periodStart, suggestPromotion, withDefaultRules, type Calibration, type PolicyFacts, type PolicyRule, type Tier } from '../../src/governance/index.ts';

const policy = parsePolicy(`
id: invoices
rules:
  - { id: large, type: threshold, value: "output.total", currency: "output.currency", over: { USD: 1000, EUR: 900, default: 500 }, tier: review }
  - { id: unsure, type: confidence, below: 0.8, fields: [total, client], tier: review }
  - { id: totals, type: rule, when: "output.subtotal + output.tax != output.total", message: "totals do not add up", tier: human }
  - { id: new-client, type: first_time, namespace: client, key: "output.client", tier: review }
  - { id: sends, type: limit, counter: invoices-sent, max: 3, period: day, tier: review }
  - { id: fraud, type: rule, when: "output.bankChanged == true", message: "bank details changed", action: exception, owner: "role:owner" }
`);
const rules = policy.rules.map((rule: PolicyRule) => ({ policy: policy.id, rule }));
const ok = { total: 100, subtotal: 100, tax: 0, currency: 'USD', client: 'Acme' };

function facts(output: Record<string, unknown>, extra: Partial<PolicyFacts> = {}): PolicyFacts {
  return { scope: { output }, confidence: 0.95, fieldConfidence: { total: 0.99, client: 0.97 }, seen: () => true, counterTotal: () => 0, ...extra };
}

describe('policy verdicts', () => {
  const cases: [string, Tier, Record<string, unknown>, Partial<PolicyFacts>, Tier, string[]][] = [
    ['a clean case stays auto', 'auto', ok, {}, 'auto', []],
    ['the step tier is the floor', 'review', ok, {}, 'review', []],
    ['an amount over the currency threshold asks a person', 'auto', { ...ok, total: 950, subtotal: 950, currency: 'EUR' }, {}, 'review', ['large']],
    ['the same amount in a currency with a higher threshold does not', 'auto', { ...ok, total: 950, subtotal: 950, currency: 'USD' }, {}, 'auto', []],
    ['an unknown currency uses the default threshold', 'auto', { ...ok, total: 600, subtotal: 600, currency: 'CHF' }, {}, 'review', ['large']],
    ['low confidence in a named field asks a person', 'auto', ok, { fieldConfidence: { total: 0.5, client: 0.99 } }, 'review', ['unsure']],
    ['a failed validation rule raises to human, the strictest wins', 'auto', { ...ok, total: 120 }, {}, 'human', ['totals']],
    ['a first-time client asks a person', 'auto', ok, { seen: () => false }, 'review', ['new-client']],
    ['a reached limit asks a person', 'auto', ok, { counterTotal: () => 3 }, 'review', ['sends']],
  ];
  for (const [name, stepTier, output, extra, tier, matched] of cases) {
    test(name, () => {
      const verdict = evaluatePolicies(stepTier, rules, facts(output, extra));
      assert.equal(verdict.tier, tier);
      assert.deepEqual(verdict.reasons.map((r) => r.rule), matched);
      assert.equal(verdict.exception, null);
    });
  }
  test('every reason says what and why', () => {
    const verdict = evaluatePolicies('auto', rules, facts({ ...ok, total: 2500, subtotal: 2500 }, { seen: () => false }));
    assert.deepEqual(verdict.reasons.map((r) => r.message), ['amount 2500 USD is over 1000', 'first time for client "Acme"']);
    assert.deepEqual(verdict.amount, { value: 2500, currency: 'USD' });
  });
  test('an exception rule stops the case and names the owner', () => {
    const verdict = evaluatePolicies('auto', rules, facts({ ...ok, bankChanged: true }));
    assert.deepEqual(verdict.exception, { owner: 'role:owner' });
    assert.equal(verdict.reasons[0]?.message, 'bank details changed');
  });
  test('a rule that cannot be read is a reason, not a silent pass', () => {
    const verdict = evaluatePolicies('auto', rules, facts({ subtotal: 1, tax: 0, currency: 'USD', client: 'A' }));
    assert.ok(verdict.reasons.some((r) => r.rule === 'large' && /cannot read the amount/.test(r.message)));
    assert.equal(verdict.tier, 'human', 'and the missing total also fails the totals rule');
  });
  test('bad policies are refused naming the field', () => {
    assert.throws(() => parsePolicy('id: p\nrules: [{ id: a, type: threshold, value: x, over: 1 }]'), /rules\[0\].*exactly one of "tier"/);
    assert.throws(() => parsePolicy('id: p\nrules: [{ id: a, type: nope, tier: review }]'), /POLICY_INVALID|rules\[0\]/);
    assert.throws(() => parsePolicy('id: p\nrules: []'), /at least one rule/);
  });
});

describe('confidence against the calibrated threshold', () => {
  const calibrated = parsePolicy('id: calibrated\nrules: [{ id: sure, type: confidence, min: calibrated, tier: review }]');
  const perTotal = parsePolicy('id: per-total\nrules: [{ id: sure-total, type: confidence, below: calibrated, fields: [total], tier: review }]');
  const numeric = parsePolicy('id: numeric\nrules: [{ id: low, type: confidence, min: 0.5, tier: review }]');
  const asRules = (p: typeof calibrated) => p.rules.map((rule) => ({ policy: p.id, rule }));
  const classifier: Calibration = { threshold: 0.86, precision: 0.99, source: 'classifier "support"' };
  const reader: Calibration = { threshold: 0.978, precision: 0.99, fields: { vendor: 1, total: 0.949, issueDate: 0.535 }, source: 'SROIE' };
  const base = (extra: Partial<PolicyFacts>): PolicyFacts => ({ scope: { output: {} }, seen: () => true, counterTotal: () => 0, ...extra });

  test('under the skill’s calibrated threshold asks a person, and the reason names the threshold', () => {
    const verdict = evaluatePolicies('auto', asRules(calibrated), base({ confidence: 0.71, calibration: classifier }));
    assert.equal(verdict.tier, 'review');
    assert.deepEqual(verdict.reasons.map((r) => r.message), ['confidence 0.71 below the calibrated 0.86 for 99% precision']);
  });
  test('at or above it the step stays auto', () => {
    assert.equal(evaluatePolicies('auto', asRules(calibrated), base({ confidence: 0.86, calibration: classifier })).tier, 'auto');
    assert.equal(evaluatePolicies('auto', asRules(calibrated), base({ confidence: 0.97, calibration: classifier })).reasons.length, 0);
  });
  test('close values are shown with the digits that tell them apart', () => {
    const verdict = evaluatePolicies('auto', asRules(calibrated), base({ confidence: 0.8595, calibration: classifier }));
    assert.equal(verdict.reasons[0]?.message, 'confidence 0.8595 below the calibrated 0.8600 for 99% precision');
  });
  test('a skill that calibrated its fields is judged per field, each against its own threshold', () => {
    const fieldConfidence = { vendor: 0.999, total: 0.95, issueDate: 0.6, currency: 0.9 };
    const verdict = evaluatePolicies('auto', asRules(calibrated), base({ confidence: 0.6, fieldConfidence, calibration: reader }));
    assert.equal(verdict.tier, 'review');
    assert.deepEqual(verdict.reasons[0]?.value, ['vendor', 'currency'], 'issueDate passes its own 0.535; currency has no threshold of its own and uses the pooled 0.978');
    assert.match(verdict.reasons[0]?.message ?? '', /vendor 0\.999 below the calibrated 1\.000 for 99% precision; currency 0\.90 below the calibrated 0\.98 for 99% precision/);
    const named = evaluatePolicies('auto', asRules(perTotal), base({ confidence: 0.6, fieldConfidence, calibration: reader }));
    assert.equal(named.tier, 'auto', 'a rule naming fields checks only those: total 0.95 ≥ 0.949');
  });
  test('a documented default that was never measured says so', () => {
    const verdict = evaluatePolicies('auto', asRules(calibrated), base({ confidence: 0.3, calibration: { threshold: 0.8, source: 'draft.document default' } }));
    assert.equal(verdict.reasons[0]?.message, 'confidence 0.30 below the default 0.80 (not calibrated yet)');
  });
  test('asking for the calibrated threshold of a skill that has none is a reason, not a silent pass', () => {
    const verdict = evaluatePolicies('auto', asRules(calibrated), base({ confidence: 0.99 }));
    assert.equal(verdict.tier, 'review');
    assert.match(verdict.reasons[0]?.message ?? '', /no calibrated threshold/);
  });
  test('explicit numeric rules keep their meaning; min and below say the same', () => {
    assert.equal(evaluatePolicies('auto', asRules(numeric), base({ confidence: 0.6, calibration: classifier })).tier, 'auto', 'the policy’s 0.5, not the calibrated 0.86');
    assert.deepEqual(evaluatePolicies('auto', asRules(numeric), base({ confidence: 0.4 })).reasons.map((r) => r.message), ['confidence 0.40 is under 0.5']);
  });
  test('AI steps without a confidence rule get the calibrated default; explicit rules, other steps and uncalibrated skills do not', () => {
    const other = asRules(parsePolicy('id: big\nrules: [{ id: big, type: threshold, value: output.total, over: 100, tier: review }]'));
    assert.deepEqual(withDefaultRules('ai', other, classifier).map((r) => `${r.policy}/${r.rule.id}`), ['big/big', 'default/calibrated-confidence']);
    assert.deepEqual(withDefaultRules('ai', [], classifier).map((r) => r.rule), [calibratedDefaultRule]);
    assert.equal(withDefaultRules('ai', asRules(numeric), classifier).length, 1, 'a policy that states a confidence rule decides');
    assert.equal(withDefaultRules('action', [], classifier).length, 0);
    assert.equal(withDefaultRules('ai', [], undefined).length, 0, 'a custom skill that reports no calibration keeps its old behaviour');
    const verdict = evaluatePolicies('auto', withDefaultRules('ai', [], classifier), base({ confidence: 0.5, calibration: classifier }));
    assert.deepEqual([verdict.tier, verdict.reasons[0]?.policy, verdict.reasons[0]?.rule], ['review', 'default', 'calibrated-confidence']);
  });
  test('confidence rules need exactly one bound, a number in [0, 1] or "calibrated"', () => {
    assert.throws(() => parsePolicy('id: p\nrules: [{ id: a, type: confidence, tier: review }]'), /rules\[0\].*exactly one of "below" or "min"/);
    assert.throws(() => parsePolicy('id: p\nrules: [{ id: a, type: confidence, below: 0.5, min: calibrated, tier: review }]'), /exactly one of "below" or "min"/);
    assert.throws(() => parsePolicy('id: p\nrules: [{ id: a, type: confidence, min: sometimes, tier: review }]'), /rules\[0\]\.min: must be a number from 0 to 1 or "calibrated"/);
    assert.throws(() => parsePolicy('id: p\nrules: [{ id: a, type: confidence, below: 1.5, tier: review }]'), /rules\[0\]\.below/);
  });
});

describe('graduation suggestions', () => {
  const clean = (n: number) => Array.from({ length: n }, () => 'clean' as const);
  test('a review step with a long clean streak and few edits is offered auto', () => {
    const s = suggestPromotion({ tier: 'review', outcomes: clean(20), cleanSinceDecline: null });
    assert.deepEqual(s && { from: s.from, to: s.to, streak: s.streak }, { from: 'review', to: 'auto', streak: 20 });
  });
  test('one edit breaks the streak', () => {
    assert.equal(suggestPromotion({ tier: 'review', outcomes: [...clean(5), 'edited', ...clean(30)], cleanSinceDecline: null }), null);
  });
  test('too many edits in the window, even with a streak, is not enough', () => {
    const outcomes = [...clean(20), ...Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? ('edited' as const) : ('clean' as const)))];
    assert.equal(suggestPromotion({ tier: 'review', outcomes, cleanSinceDecline: null }), null);
  });
  test('after a decline, only approvals since count', () => {
    assert.equal(suggestPromotion({ tier: 'review', outcomes: clean(40), cleanSinceDecline: 5 }), null);
  });
  test('a human step that agrees with its AI is offered review; auto is never promoted', () => {
    assert.equal(suggestPromotion({ tier: 'human', outcomes: clean(25), cleanSinceDecline: null })?.to, 'review');
    assert.equal(suggestPromotion({ tier: 'auto', outcomes: clean(25), cleanSinceDecline: null }), null);
  });
});

describe('small helpers', () => {
  test('the edit diff lists changed leaves with paths', () => {
    assert.deepEqual(jsonDiff({ total: 100, lines: [{ price: 5 }], note: 'a' }, { total: 90, lines: [{ price: 5 }, { price: 1 }], note: 'a' }), [
      { path: 'lines[1]', from: null, to: { price: 1 } },
      { path: 'total', from: 100, to: 90 },
    ]);
    assert.deepEqual(jsonDiff({ a: 1 }, { a: 1 }), []);
  });
  test('limit periods start at UTC day, ISO week and month', () => {
    const at = Date.parse('2026-11-19T15:00:00Z'); // a Thursday
    assert.equal(periodStart('day', at), Date.parse('2026-11-19T00:00:00Z'));
    assert.equal(periodStart('week', at), Date.parse('2026-11-16T00:00:00Z'));
    assert.equal(periodStart('month', at), Date.parse('2026-11-01T00:00:00Z'));
  });
});

describe('the shipped example policy', () => {
  test('parses and keeps its rules', async () => {
    const { readFileSync } = await import('node:fs');
    const parsed = parsePolicy(readFileSync(new URL('../../examples/invoice-policy.yaml', import.meta.url), 'utf8'));
    assert.deepEqual(parsed.rules.map((r) => r.type), ['threshold', 'first_time', 'rule', 'limit']);
  });
});
