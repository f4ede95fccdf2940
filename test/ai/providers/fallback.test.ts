/** withFallback: an LLM failure becomes a builtin answer, and the failure is reported. */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { z } from 'zod';
import { AiErrorCode, OpenAiProvider, usageFromError, withFallback } from '../../../src/ai/providers/index.ts';
import { OpsLoopError } from '../../../src/core/errors.ts';
import { apiError, completion, startFakeOpenAi } from './fake-openai.ts';

const fake = await startFakeOpenAi();
after(() => fake.close());

const schema = z.object({ label: z.enum(['refund', 'invoice', 'other']) });
const llm = new OpenAiProvider({ baseURL: fake.baseURL, model: 'fake-model', maxAttempts: 2, retryBaseDelayMs: 1, priceInputPerMTok: 1 });
const classify = (text: string) => llm.structured({ task: 'classify', instructions: 'Label it.', untrusted: [{ label: 'email', content: text }], schema, schemaName: 'label' });
const builtin = (text: string) => Promise.resolve({ label: text.includes('refund') ? ('refund' as const) : ('other' as const) });

test('the primary answer is used when it succeeds; the fallback is not run', async () => {
  fake.script(completion('{"label":"invoice"}'));
  let fallbackRuns = 0;
  const result = await withFallback(
    async () => (await classify('invoice attached')).data,
    () => {
      fallbackRuns += 1;
      return builtin('invoice attached');
    },
  );
  assert.deepEqual(result, { value: { label: 'invoice' }, usedFallback: false });
  assert.equal(fallbackRuns, 0);
});

test('invalid LLM output falls back to the builtin answer, reporting the error and its cost', async () => {
  fake.script(completion('{"label":"refund","confidence":"high"}'), completion('nope'));
  const reported: unknown[] = [];
  const result = await withFallback(
    async () => (await classify('please refund me')).data,
    () => builtin('please refund me'),
    (error) => reported.push(error),
  );
  assert.equal(result.usedFallback, true);
  assert.deepEqual(result.value, { label: 'refund' });
  assert.equal(reported.length, 1);
  assert.equal(reported[0], result.error);
  assert.ok(result.error instanceof OpsLoopError);
  assert.equal(result.error.code, AiErrorCode.outputInvalid);
  assert.equal(usageFromError(result.error)?.costMicros, 200, 'two attempts × 100 prompt tokens × $1/M');
});

test('an unreachable provider falls back too', async () => {
  fake.script(apiError(503, 'down'), apiError(503, 'down'));
  const result = await withFallback(async () => (await classify('x')).data, () => builtin('x'));
  assert.equal(result.usedFallback, true);
  assert.equal((result.error as OpsLoopError).code, AiErrorCode.providerUnavailable);
});

test('a failing fallback throws its own error', async () => {
  await assert.rejects(
    withFallback(
      () => Promise.reject(new Error('llm down')),
      () => Promise.reject(new Error('no builtin model trained yet')),
    ),
    /no builtin model trained yet/,
  );
});
