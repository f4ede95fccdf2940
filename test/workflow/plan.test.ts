/** Replay: given these journaled steps, the next thing the engine does is X. Pure, table-driven. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defineWorkflow, planNext, type JournalEntry, type Plan } from '../../src/workflow/index.ts';

const definition = defineWorkflow({ id: 'replay' })
  .action('fetch', 'core.set', { retry: { maxAttempts: 3 } })
  .branch('route', [{ when: 'steps.fetch.amount > 100', next: 'approve' }], { default: 'notify' })
  .approval('approve', { onReject: 'rejected', onTimeout: 'notify', timeout: '2d' })
  .action('notify', 'core.set')
  .wait('payment', { event: 'payment.received', key: 'input.id', timeout: '30d', onTimeout: 'remind' })
  .end('done', { output: '{{ steps.payment }}' })
  .action('remind', 'core.set', { next: 'payment' })
  .end('rejected')
  .build();

let seq = 0;
function entry(stepId: string, status: JournalEntry['status'], extra: Partial<JournalEntry> = {}): JournalEntry {
  const type = definition.steps.find((s) => s.id === stepId)?.type ?? 'action';
  return { seq: seq++, attempt: 1, stepId, type, status, actor: 'system', input: null, output: null, error: null, meta: null, startedAt: 0, endedAt: 0, ...extra };
}
function journal(...entries: JournalEntry[]): JournalEntry[] {
  seq = 0;
  return entries.map((e, i) => ({ ...e, seq: e.seq === -1 ? i - 1 : i }));
}
function describePlan(plan: Plan): string {
  switch (plan.kind) {
    case 'execute':
      return `execute ${plan.step.id} #${plan.seq} attempt ${plan.attempt}`;
    case 'resume':
      return `resume ${plan.step.id} #${plan.entry.seq}`;
    case 'complete':
      return `complete via ${plan.via}`;
    case 'cancel':
      return `cancel at ${plan.entry.stepId}`;
    default: {
      const never: never = plan;
      return String(never);
    }
  }
}

describe('planNext replays the journal', () => {
  const cases: [string, JournalEntry[], string][] = [
    ['an empty journal starts at the first step', journal(), 'execute fetch #0 attempt 1'],
    ['a completed step is never run again; the next one is', journal(entry('fetch', 'completed', { output: { amount: 50 } })), 'execute route #1 attempt 1'],
    ['a failed attempt is retried as the next attempt', journal(entry('fetch', 'failed')), 'execute fetch #0 attempt 2'],
    ['the branch follows its recorded choice, not a re-evaluation', journal(entry('fetch', 'completed', { output: { amount: 500 } }), entry('route', 'completed', { output: { next: 'notify' } })), 'execute notify #2 attempt 1'],
    ['a waiting approval is resumed', journal(entry('fetch', 'completed'), entry('route', 'completed', { output: { next: 'approve' } }), entry('approve', 'waiting')), 'resume approve #2'],
    ['a rejection follows onReject', journal(entry('fetch', 'completed'), entry('route', 'completed', { output: { next: 'approve' } }), entry('approve', 'rejected')), 'execute rejected #3 attempt 1'],
    ['a timed-out approval follows onTimeout', journal(entry('fetch', 'completed'), entry('route', 'completed', { output: { next: 'approve' } }), entry('approve', 'timed_out')), 'execute notify #3 attempt 1'],
    ['a timed-out wait loops through remind back to the wait', journal(entry('fetch', 'completed'), entry('route', 'completed', { output: { next: 'notify' } }), entry('notify', 'completed'), entry('payment', 'timed_out'), entry('remind', 'completed')), 'execute payment #5 attempt 1'],
    ['an end step completes the run', journal(entry('fetch', 'completed'), entry('route', 'completed', { output: { next: 'notify' } }), entry('notify', 'completed'), entry('payment', 'completed'), entry('done', 'completed')), 'complete via end'],
    ['a skipped step moves on like a completed one', journal(entry('fetch', 'skipped')), 'execute route #1 attempt 1'],
  ];
  for (const [name, entries, expected] of cases) {
    test(name, () => assert.equal(describePlan(planNext(definition, entries)), expected));
  }

  test('the latest attempt at a position decides', () => {
    const entries = journal(entry('fetch', 'failed'));
    entries.push({ ...entries[0]!, attempt: 2, status: 'completed', output: { amount: 1 } });
    assert.equal(describePlan(planNext(definition, entries)), 'execute route #1 attempt 1');
  });

  test('a rejection without onReject cancels the run', () => {
    const simple = defineWorkflow({ id: 's' }).approval('ok').action('go', 'core.set').build();
    seq = 0;
    const plan = planNext(simple, [{ ...entry('ok', 'rejected'), type: 'approval', seq: 0 }]);
    assert.equal(plan.kind, 'cancel');
  });

  test('running past the last step completes the run with the last output', () => {
    const simple = defineWorkflow({ id: 's' }).action('only', 'core.set').build();
    const plan = planNext(simple, [{ ...entry('only', 'completed', { output: { x: 1 } }), seq: 0 }]);
    assert.deepEqual(plan, { kind: 'complete', via: 'fallthrough', output: { x: 1 } });
  });

  const mismatches: [string, JournalEntry[], RegExp][] = [
    ['a recorded step that is not the expected one', journal(entry('route', 'completed', { output: { next: 'notify' } })), /recorded step "route" but the workflow definition expects "fetch"/],
    ['a step that no longer exists', journal({ ...entry('fetch', 'completed'), stepId: 'gone' }), /recorded step "gone"/],
    ['a branch choice pointing at a removed step', journal(entry('fetch', 'completed'), entry('route', 'completed', { output: { next: 'nowhere' } })), /leads to "nowhere"/],
    ['an unfinished step in the middle of the journal', journal(entry('fetch', 'failed'), entry('route', 'completed', { output: { next: 'notify' } })), /unfinished but is not the last entry/],
    ['entries after the end', journal(entry('fetch', 'completed'), entry('route', 'completed', { output: { next: 'notify' } }), entry('notify', 'completed'), entry('payment', 'completed'), entry('done', 'completed'), entry('remind', 'completed')), /continues after the run ended/],
    ['a step whose type changed', journal({ ...entry('fetch', 'completed'), type: 'wait' }), /recorded a wait step but "fetch" is a action step/],
  ];
  for (const [name, entries, message] of mismatches) {
    test(`a typed error, never a silent re-run: ${name}`, () => {
      assert.throws(() => planNext(definition, entries), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'WORKFLOW_REPLAY_MISMATCH');
        assert.match(error.message, message);
        return true;
      });
    });
  }
});
