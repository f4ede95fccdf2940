/**
 * HTTP failures against the local fake server: transient ones are retried with backoff (and
 * Retry-After), configuration ones fail at once, and each ends in its own typed error.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, beforeEach, test } from 'node:test';
import { z } from 'zod';
import { AiErrorCode, OpenAiProvider, usageFromError } from '../../../src/ai/providers/index.ts';
import type { OpenAiProviderOptions, StructuredRequest } from '../../../src/ai/providers/index.ts';
import { NonRetriableError, OpsLoopError, RetryAfterError } from '../../../src/core/errors.ts';
import { apiError, completion, startFakeOpenAi } from './fake-openai.ts';

const fake = await startFakeOpenAi();
after(() => fake.close());
beforeEach(() => fake.reset());

const schema = z.object({ label: z.enum(['refund', 'invoice', 'other']) });
const request: StructuredRequest<z.infer<typeof schema>> = {
  task: 'classify',
  instructions: 'Label the email.',
  untrusted: [{ label: 'email', content: 'Refund please' }],
  schema,
  schemaName: 'email_label',
};
const ok = (): ReturnType<typeof completion> => completion('{"label":"refund"}');

function provider(options: Partial<OpenAiProviderOptions> = {}): OpenAiProvider {
  return new OpenAiProvider({ baseURL: fake.baseURL, model: 'fake-model', retryBaseDelayMs: 1, ...options });
}

async function failure(promise: Promise<unknown>, code: string): Promise<OpsLoopError> {
  const error: unknown = await promise.then(
    () => assert.fail(`expected ${code}, got a result`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof OpsLoopError, `expected an OpsLoopError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  return error;
}

test('a 500 is retried and the next answer used', async () => {
  fake.script(apiError(500, 'The server had an error while processing your request.'), ok());
  const { data, usage } = await provider().structured(request);
  assert.deepEqual(data, { label: 'refund' });
  assert.equal(usage.attempts, 2);
  assert.equal(usage.promptTokens, 100, 'the failed request reported no tokens');
  assert.equal(fake.requests.length, 2);
});

test('a 429 with Retry-After waits that long before the next attempt', async () => {
  fake.script(apiError(429, 'Rate limit reached for requests', { 'retry-after': '1' }, 'rate_limit_exceeded'), ok());
  const started = performance.now();
  const { usage } = await provider({ retryBaseDelayMs: 0 }).structured(request);
  const waited = performance.now() - started;
  assert.equal(usage.attempts, 2);
  assert.ok(waited >= 950, `waited only ${Math.round(waited)} ms for Retry-After: 1`);
  assert.ok(usage.latencyMs >= 950, 'latency includes the wait');
});

test('a Retry-After longer than maxRetryAfterMs ends the call at once with a RetryAfterError for the engine', async () => {
  fake.script(apiError(429, 'Rate limit reached', { 'retry-after': '120' }), ok());
  const error = await failure(provider({ maxRetryAfterMs: 5_000 }).structured(request), AiErrorCode.providerUnavailable);
  assert.ok(error instanceof RetryAfterError);
  assert.equal(error.retryAfterMs, 120_000);
  assert.equal(fake.requests.length, 1);
});

test('5xx on every attempt ends in AI_PROVIDER_UNAVAILABLE, retriable by the engine', async () => {
  fake.script(apiError(503, 'overloaded'), apiError(502, 'bad gateway'), apiError(500, 'boom'), ok());
  const error = await failure(provider({ maxAttempts: 3 }).structured(request), AiErrorCode.providerUnavailable);
  assert.ok(!(error instanceof NonRetriableError));
  assert.equal(error.category, 'unavailable');
  assert.equal(fake.requests.length, 3);
  assert.match(error.message, /HTTP 500/);
  assert.equal(usageFromError(error)?.attempts, 3);
});

test('a server that never answers times out per attempt and ends in AI_PROVIDER_UNAVAILABLE', async () => {
  fake.script({ hang: true }, { hang: true }, ok());
  const started = performance.now();
  const error = await failure(provider({ timeoutMs: 150, maxAttempts: 2 }).structured(request), AiErrorCode.providerUnavailable);
  const elapsed = performance.now() - started;
  assert.equal(fake.requests.length, 2);
  assert.ok(elapsed >= 300 && elapsed < 3_000, `took ${Math.round(elapsed)} ms`);
  assert.match(error.message, /timed out/i);
});

test('a refused connection is retried, then AI_PROVIDER_UNAVAILABLE', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const llm = new OpenAiProvider({ baseURL: `http://127.0.0.1:${port}/v1`, model: 'm', maxAttempts: 2, retryBaseDelayMs: 1 });
  const error = await failure(llm.structured(request), AiErrorCode.providerUnavailable);
  assert.equal(usageFromError(error)?.attempts, 2);
});

test('a 401 is AI_CONFIG_INVALID at once, naming the endpoint and model', async () => {
  fake.script(apiError(401, 'Incorrect API key provided: sk-wrong.', {}, 'invalid_api_key'), ok());
  const error = await failure(provider({ apiKey: 'sk-wrong', maxAttempts: 3 }).structured(request), AiErrorCode.configInvalid);
  assert.ok(error instanceof NonRetriableError);
  assert.equal(fake.requests.length, 1, 'no retries');
  assert.equal(fake.requests[0]?.headers.authorization, 'Bearer sk-wrong');
  assert.ok(error.message.includes(fake.baseURL));
  assert.match(error.message, /"fake-model"/);
  assert.match(error.message, /OPENAI_API_KEY/);
});

test('a 404 (unknown model or wrong base URL) is AI_CONFIG_INVALID with a hint', async () => {
  fake.script(apiError(404, 'model "llama9" not found, try pulling it first'));
  const error = await failure(provider({ model: 'llama9' }).structured(request), AiErrorCode.configInvalid);
  assert.equal(fake.requests.length, 1);
  assert.match(error.message, /llama9/);
  assert.match(error.message, /OPENAI_BASE_URL ends in \/v1/);
  const wrongPath = new OpenAiProvider({ baseURL: fake.baseURL.replace(/\/v1$/, ''), model: 'm' });
  await failure(wrongPath.structured(request), AiErrorCode.configInvalid);
});

test('a 400 is AI_REQUEST_REJECTED at once, pointing at the response-format setting', async () => {
  fake.script(apiError(400, "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model."), ok());
  const error = await failure(provider().structured(request), AiErrorCode.requestRejected);
  assert.equal(fake.requests.length, 1);
  assert.match(error.message, /OPSLOOP_AI_RESPONSE_FORMAT/);
});

test('aborting the caller\'s signal stops the call with the abort reason, without retries', async () => {
  fake.script({ hang: true }, ok());
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('step timed out')), 50);
  await assert.rejects(provider({ timeoutMs: 10_000 }).structured({ ...request, signal: controller.signal }), /step timed out/);
  assert.equal(fake.requests.length, 1);
});

test('without an API key, local servers get a placeholder bearer token', async () => {
  fake.script(ok());
  await provider().structured(request);
  assert.equal(fake.requests[0]?.headers.authorization, 'Bearer opsloop-no-key');
});
