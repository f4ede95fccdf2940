/** Pure decisions of the engine: retry delays and schedule fires. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NonRetriableError, RetryAfterError } from '../../src/core/errors.ts';
import { backoffDelayMs, decideFire, decideRetry } from '../../src/workflow/index.ts';

const policy = { maxAttempts: 4, initialDelay: '1s', maxDelay: '10s', factor: 2 };

describe('retry decisions', () => {
  test('backoff doubles per attempt, is capped, and is jittered within [half, full]', () => {
    assert.equal(backoffDelayMs(policy, 1, () => 0), 500);
    assert.equal(backoffDelayMs(policy, 1, () => 1), 1000);
    assert.equal(backoffDelayMs(policy, 3, () => 1), 4000);
    assert.equal(backoffDelayMs(policy, 9, () => 1), 10_000, 'capped at maxDelay');
    const samples = new Set(Array.from({ length: 50 }, () => backoffDelayMs(policy, 2)));
    assert.ok(samples.size > 10, 'jitter spreads retries');
    for (const s of samples) assert.ok(s >= 1000 && s <= 2000);
  });
  test('the thrower decides: non-retriable stops, retry-after sets the delay, the limit ends it', () => {
    assert.deepEqual(decideRetry(policy, 1, new NonRetriableError('no')), { retry: false, reason: 'non_retriable' });
    assert.deepEqual(decideRetry(policy, 1, new RetryAfterError('later', 60_000)), { retry: true, delayMs: 60_000 });
    assert.deepEqual(decideRetry(policy, 4, new Error('x')), { retry: false, reason: 'attempts_exhausted' });
    assert.equal(decideRetry(policy, 3, new Error('x'), () => 1).retry, true);
  });
});

describe('schedule fire decisions', () => {
  const at = (iso: string) => Date.parse(iso);
  test('an on-time fire runs and moves to the next time in the zone', () => {
    const d = decideFire('0 9 * * *', 'America/New_York', 'skip', at('2026-03-02T14:00:00Z'), at('2026-03-02T14:00:05Z'), 60_000);
    assert.deepEqual(d, { fire: true, fireAt: at('2026-03-02T14:00:00Z'), next: at('2026-03-03T14:00:00Z') });
  });
  test('across a daylight-saving change the local time holds', () => {
    const d = decideFire('0 9 * * *', 'America/New_York', 'skip', at('2026-03-07T14:00:00Z'), at('2026-03-07T14:00:01Z'), 60_000);
    assert.equal(d.next, at('2026-03-08T13:00:00Z'));
  });
  test('missed fires: skip runs none, once runs the latest, neither bursts', () => {
    const skip = decideFire('*/10 * * * *', 'UTC', 'skip', at('2026-01-01T00:00:00Z'), at('2026-01-01T05:03:00Z'), 60_000);
    assert.equal(skip.fire, false);
    assert.equal(skip.next, at('2026-01-01T05:10:00Z'));
    const once = decideFire('*/10 * * * *', 'UTC', 'once', at('2026-01-01T00:00:00Z'), at('2026-01-01T05:03:00Z'), 60_000);
    assert.deepEqual(once, { fire: true, fireAt: at('2026-01-01T05:00:00Z'), next: at('2026-01-01T05:10:00Z') });
  });
});
