/** Pure retry and cost decisions. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { APIConnectionTimeoutError, APIError } from 'openai';
import { costMicros } from '../../../src/ai/providers/index.ts';
import { classifyFailure, kindOfStatus, retryAfterFromHeaders, retryDelayMs } from '../../../src/ai/providers/retry.ts';

test('statuses map to config, rejected or transient', () => {
  const table: [number | null, string][] = [
    [401, 'config'], [403, 'config'], [404, 'config'],
    [400, 'rejected'], [413, 'rejected'], [422, 'rejected'],
    [408, 'transient'], [409, 'transient'], [429, 'transient'], [500, 'transient'], [503, 'transient'], [null, 'transient'],
  ];
  for (const [status, kind] of table) assert.equal(kindOfStatus(status), kind, String(status));
});

test('client errors are classified with their Retry-After', () => {
  const limited = APIError.generate(429, { error: { message: 'slow down' } }, undefined, new Headers({ 'retry-after': '3' }));
  assert.deepEqual({ ...classifyFailure(limited), message: '' }, { kind: 'transient', status: 429, retryAfterMs: 3_000, message: '' });
  assert.equal(classifyFailure(new APIConnectionTimeoutError()).kind, 'transient');
  assert.equal(classifyFailure(new TypeError('fetch failed')).kind, 'transient');
});

test('Retry-After is read as milliseconds, seconds or an HTTP date', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  assert.equal(retryAfterFromHeaders(new Headers({ 'retry-after-ms': '250.4', 'retry-after': '9' }), now), 251);
  assert.equal(retryAfterFromHeaders(new Headers({ 'retry-after': '2' }), now), 2_000);
  assert.equal(retryAfterFromHeaders(new Headers({ 'retry-after': '0.5' }), now), 500);
  assert.equal(retryAfterFromHeaders(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:10 GMT' }), now), 10_000);
  assert.equal(retryAfterFromHeaders(new Headers({ 'retry-after': 'Tue, 31 Dec 2024 00:00:00 GMT' }), now), 0);
  assert.equal(retryAfterFromHeaders(new Headers({ 'retry-after': 'soon' }), now), null);
  assert.equal(retryAfterFromHeaders(new Headers({ 'retry-after': '-5' }), now), null);
  assert.equal(retryAfterFromHeaders(new Headers(), now), null);
});

test('backoff doubles per failure with equal jitter, capped; Retry-After wins', () => {
  assert.equal(retryDelayMs(1, 500, null, () => 0), 250);
  assert.equal(retryDelayMs(1, 500, null, () => 1), 500);
  assert.equal(retryDelayMs(3, 500, null, () => 1), 2_000);
  assert.equal(retryDelayMs(20, 500, null, () => 1), 30_000);
  assert.equal(retryDelayMs(1, 500, 7_000, () => 0), 7_000);
});

test('cost is rounded micro-dollars from dollars per million tokens', () => {
  assert.equal(costMicros(1_000_000, 0, { priceInputPerMTok: 2.5, priceOutputPerMTok: 10 }), 2_500_000, '1M prompt tokens at $2.50/M = $2.50');
  assert.equal(costMicros(1_234, 56, { priceInputPerMTok: 0.15, priceOutputPerMTok: 0.6 }), 219);
  assert.equal(costMicros(5_000, 5_000, { priceInputPerMTok: 0, priceOutputPerMTok: 0 }), 0);
});
