/** Configuration from the environment: off unless asked for, and loud about bad values. */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { z } from 'zod';
import { AiErrorCode, OpenAiProvider, openAiProviderFromEnv } from '../../../src/ai/providers/index.ts';
import { NonRetriableError, OpsLoopError } from '../../../src/core/errors.ts';
import { completion, startFakeOpenAi } from './fake-openai.ts';

const fake = await startFakeOpenAi();
after(() => fake.close());

function configError(run: () => unknown): OpsLoopError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof OpsLoopError, String(error));
    assert.equal(error.code, AiErrorCode.configInvalid);
    assert.ok(error instanceof NonRetriableError);
    return error;
  }
  return assert.fail('expected AI_CONFIG_INVALID');
}

test('no OPENAI_BASE_URL means no provider, even with an OPENAI_API_KEY set for other tools', () => {
  assert.equal(openAiProviderFromEnv({}), null);
  assert.equal(openAiProviderFromEnv({ OPENAI_API_KEY: 'sk-other-tool' }), null);
  assert.equal(openAiProviderFromEnv({ OPENAI_BASE_URL: '  ', OPSLOOP_AI_TIMEOUT_MS: '' }), null, 'empty means unset');
});

test('a local server needs only a base URL and a model', () => {
  const llm = openAiProviderFromEnv({ OPENAI_BASE_URL: 'http://localhost:11434/v1', OPENAI_MODEL: 'llama3.1:8b' });
  assert.ok(llm instanceof OpenAiProvider);
  assert.equal(llm.name, 'openai');
  assert.equal(llm.model, 'llama3.1:8b');
  assert.equal(llm.baseURL, 'http://localhost:11434/v1');
});

test('every variable is applied: key, prices, attempts, timeout, format', async () => {
  const llm = openAiProviderFromEnv({
    OPENAI_BASE_URL: fake.baseURL,
    OPENAI_API_KEY: 'sk-test',
    OPENAI_MODEL: 'gpt-test',
    OPSLOOP_AI_TIMEOUT_MS: '5000',
    OPSLOOP_AI_MAX_ATTEMPTS: '1',
    OPSLOOP_AI_PRICE_INPUT_PER_MTOK: '0.15',
    OPSLOOP_AI_PRICE_OUTPUT_PER_MTOK: '0.6',
    OPSLOOP_AI_RESPONSE_FORMAT: 'json_object',
  });
  assert.ok(llm !== null);
  fake.script(completion('{"ok":true}', { promptTokens: 1_234, completionTokens: 56 }));
  const { usage } = await llm.structured({ task: 't', instructions: 'i', untrusted: [], schema: z.object({ ok: z.boolean() }), schemaName: 's' });
  assert.equal(usage.costMicros, Math.round(1_234 * 0.15 + 56 * 0.6)); // 219 µ$
  assert.equal(usage.costMicros, 219);
  const sent = fake.requests.at(-1);
  assert.equal(sent?.headers.authorization, 'Bearer sk-test');
  assert.equal(sent?.body.model, 'gpt-test');
  assert.deepEqual(sent?.body.response_format, { type: 'json_object' });
});

test('bad values fail loudly, naming the variable', () => {
  const base = { OPENAI_BASE_URL: 'http://localhost:8000/v1', OPENAI_MODEL: 'm' };
  const cases: [Record<string, string>, string][] = [
    [{ ...base, OPENAI_MODEL: '' }, 'OPENAI_MODEL'],
    [{ ...base, OPENAI_BASE_URL: 'localhost:8000' }, 'OPENAI_BASE_URL'],
    [{ ...base, OPENAI_BASE_URL: 'ftp://example.com/v1' }, 'OPENAI_BASE_URL'],
    [{ ...base, OPSLOOP_AI_TIMEOUT_MS: '30s' }, 'OPSLOOP_AI_TIMEOUT_MS'],
    [{ ...base, OPSLOOP_AI_TIMEOUT_MS: '1.5' }, 'OPSLOOP_AI_TIMEOUT_MS'],
    [{ ...base, OPSLOOP_AI_MAX_ATTEMPTS: '0' }, 'OPSLOOP_AI_MAX_ATTEMPTS'],
    [{ ...base, OPSLOOP_AI_PRICE_INPUT_PER_MTOK: '-1' }, 'OPSLOOP_AI_PRICE_INPUT_PER_MTOK'],
    [{ ...base, OPSLOOP_AI_PRICE_OUTPUT_PER_MTOK: '$0.60' }, 'OPSLOOP_AI_PRICE_OUTPUT_PER_MTOK'],
    [{ ...base, OPSLOOP_AI_RESPONSE_FORMAT: 'xml' }, 'OPSLOOP_AI_RESPONSE_FORMAT'],
    [{ OPENAI_MODEL: 'gpt-4o-mini' }, 'OPENAI_BASE_URL'],
  ];
  for (const [env, name] of cases) {
    const error = configError(() => openAiProviderFromEnv(env));
    assert.ok(error.message.startsWith(name), `${JSON.stringify(env)} → ${error.message}`);
    assert.equal(error.details?.['path'], name);
  }
});

test('constructor options are validated too, naming the option', () => {
  const error = configError(() => new OpenAiProvider({ baseURL: 'http://localhost/v1', model: 'm', maxAttempts: 0 }));
  assert.match(error.message, /"maxAttempts"/);
  assert.match(configError(() => new OpenAiProvider({ baseURL: 'not a url', model: 'm' })).message, /"baseURL"/);
});

test('options are copied: changing the object later does not change the provider', async () => {
  const options = { baseURL: fake.baseURL, model: 'first' };
  const llm = new OpenAiProvider(options);
  options.model = 'second';
  fake.script(completion('{"ok":true}'));
  await llm.structured({ task: 't', instructions: 'i', untrusted: [], schema: z.object({ ok: z.boolean() }), schemaName: 's' });
  assert.equal(fake.requests.at(-1)?.body.model, 'first');
});
