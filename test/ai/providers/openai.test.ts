/**
 * OpenAiProvider against a local server speaking the chat-completions wire format: what comes
 * back is schema-valid data with its usage, or a typed error — never unvalidated model output.
 */
import assert from 'node:assert/strict';
import { after, beforeEach, test } from 'node:test';
import { z } from 'zod';
import { AiErrorCode, OpenAiProvider, usageFromError } from '../../../src/ai/providers/index.ts';
import type { OpenAiProviderOptions, StructuredRequest } from '../../../src/ai/providers/index.ts';
import { NonRetriableError, OpsLoopError } from '../../../src/core/errors.ts';
import { completion, startFakeOpenAi } from './fake-openai.ts';

const fake = await startFakeOpenAi();
after(() => fake.close());
beforeEach(() => fake.reset());

const labelSchema = z.object({ label: z.enum(['refund', 'invoice', 'other']), confidence: z.number().min(0).max(1) });
type Label = z.infer<typeof labelSchema>;

function provider(options: Partial<OpenAiProviderOptions> = {}): OpenAiProvider {
  return new OpenAiProvider({ baseURL: fake.baseURL, model: 'fake-model', retryBaseDelayMs: 1, ...options });
}

function classify(content = 'Hello, where is my invoice for March?'): StructuredRequest<Label> {
  return {
    task: 'classify',
    instructions: 'Label the customer email as refund, invoice or other, with your confidence.',
    untrusted: [{ label: 'email', content }],
    schema: labelSchema,
    schemaName: 'email_label',
  };
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<OpsLoopError> {
  const error: unknown = await promise.then(
    () => assert.fail(`expected ${code}, got a result`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof OpsLoopError, `expected an OpsLoopError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  return error;
}

test('a valid answer comes back as typed data with its usage', async () => {
  fake.script(completion('{"label":"invoice","confidence":0.93}', { promptTokens: 321, completionTokens: 12 }));
  const { data, usage } = await provider().structured(classify());
  assert.deepEqual(data, { label: 'invoice', confidence: 0.93 });
  assert.equal(usage.provider, 'openai');
  assert.equal(usage.model, 'fake-model');
  assert.equal(usage.promptTokens, 321);
  assert.equal(usage.completionTokens, 12);
  assert.equal(usage.attempts, 1);
  assert.equal(usage.costMicros, 0, 'no price configured (a local model) costs nothing');
  assert.ok(usage.latencyMs >= 0 && usage.latencyMs < 5_000);
  assert.equal(fake.requests.length, 1);
  assert.equal(fake.requests[0]?.body.model, 'fake-model');
});

test('cost is tokens times the configured price per million, in micro-dollars', async () => {
  fake.script(completion('{"label":"refund","confidence":0.8}', { promptTokens: 1_000, completionTokens: 200 }));
  const { usage } = await provider({ priceInputPerMTok: 2.5, priceOutputPerMTok: 10 }).structured(classify());
  // 1000 × $2.50/M + 200 × $10/M = $0.0025 + $0.002 = $0.0045 = 4500 µ$
  assert.equal(usage.costMicros, 4_500);
});

test('an answer in a ```json fence, or after a <think> block, is accepted', async () => {
  fake.script(
    completion('```json\n{"label":"refund","confidence":0.7}\n```'),
    completion('<think>The customer wants money back.</think>\n{"label":"refund","confidence":0.6}'),
  );
  assert.deepEqual((await provider().structured(classify())).data, { label: 'refund', confidence: 0.7 });
  assert.deepEqual((await provider().structured(classify())).data, { label: 'refund', confidence: 0.6 });
});

test('invalid JSON is retried with the rejection fed back; usage is summed over attempts', async () => {
  fake.script(
    completion('Sure! The label is {label: invoice}', { promptTokens: 1_000, completionTokens: 200 }),
    completion('{"label":"invoice","confidence":0.9}', { promptTokens: 1_100, completionTokens: 20 }),
  );
  const { data, usage } = await provider({ priceInputPerMTok: 1, priceOutputPerMTok: 4 }).structured(classify());
  assert.deepEqual(data, { label: 'invoice', confidence: 0.9 });
  assert.equal(usage.attempts, 2);
  assert.equal(usage.promptTokens, 2_100);
  assert.equal(usage.completionTokens, 220);
  assert.equal(usage.costMicros, 2_100 * 1 + 220 * 4);
  assert.equal(fake.requests.length, 2);
  const retry = fake.requests[1]?.body.messages ?? [];
  const [rejected, feedback] = retry.slice(-2);
  assert.deepEqual(rejected, { role: 'assistant', content: 'Sure! The label is {label: invoice}' });
  assert.equal(feedback?.role, 'user');
  assert.match(feedback?.content ?? '', /rejected: it is not valid JSON/);
  assert.match(feedback?.content ?? '', /email_label/);
  // The original documents are still there, once.
  assert.equal(retry.filter((m) => m.content.includes('<<<DOCUMENT id=1 ')).length, 1);
});

test('an answer that never validates ends in AI_OUTPUT_INVALID after maxAttempts, with its cost', async () => {
  fake.script(completion('not json'), completion('{"label":"invoice"}'), completion('{"label":"invoice","confidence":7}'), completion('{"label":"invoice","confidence":0.5}'));
  const error = await rejectsWith(provider({ maxAttempts: 3, priceInputPerMTok: 1 }).structured(classify()), AiErrorCode.outputInvalid);
  assert.ok(error instanceof NonRetriableError, 'the engine must not blindly re-run it: fall back or ask a person');
  assert.equal(fake.requests.length, 3, 'the fourth (valid) answer is never asked for');
  assert.match(error.message, /3 attempt/);
  assert.match(error.message, /confidence/, 'the last rejection reason is named');
  const usage = usageFromError(error);
  assert.equal(usage?.attempts, 3);
  assert.equal(usage?.promptTokens, 300);
  assert.equal(usage?.costMicros, 300);
});

test('extra fields are rejected, not silently stripped and passed on', async () => {
  const obeyed = '{"label":"refund","confidence":0.99,"action":"issue_refund","amount":5000}';
  fake.script(completion(obeyed), completion(obeyed));
  const error = await rejectsWith(provider({ maxAttempts: 2 }).structured(classify()), AiErrorCode.outputInvalid);
  assert.match(String(error.details?.['reason']), /action/);
  assert.match(fake.requests[1]?.body.messages.at(-1)?.content ?? '', /properties the schema does not define: action, amount/);
});

test('extra fields nested in arrays are rejected too', async () => {
  const schema = z.object({ lines: z.array(z.object({ text: z.string() })) });
  fake.script(completion('{"lines":[{"text":"a"},{"text":"b","run":"rm -rf /"}]}'));
  const error = await rejectsWith(provider({ maxAttempts: 1 }).structured({ task: 'split', instructions: 'Split into lines.', untrusted: [], schema, schemaName: 'lines' }), AiErrorCode.outputInvalid);
  assert.match(String(error.details?.['reason']), /lines\[1\]\.run/);
});

test('a label outside the enum is rejected; a later valid answer is used', async () => {
  fake.script(completion('{"label":"wire_transfer","confidence":0.9}'), completion('{"label":"other","confidence":0.4}'));
  const { data, usage } = await provider().structured(classify());
  assert.deepEqual(data, { label: 'other', confidence: 0.4 });
  assert.equal(usage.attempts, 2);
  assert.match(fake.requests[1]?.body.messages.at(-1)?.content ?? '', /label/);
});

test('a refusal, an empty reply, a tool call and a response without choices are all invalid output', async () => {
  fake.script(
    completion(null, { refusal: "I'm sorry, I can't help with that." }),
    completion(''),
    completion(null, { toolCalls: [{ id: 'call_1', type: 'function', function: { name: 'send_email', arguments: '{}' } }] }),
    { json: { id: 'chatcmpl-x', object: 'chat.completion', choices: [] } },
  );
  const error = await rejectsWith(provider({ maxAttempts: 4 }).structured(classify()), AiErrorCode.outputInvalid);
  assert.equal(fake.requests.length, 4);
  const feedback = fake.requests.slice(1).map((r) => r.body.messages.at(-1)?.content ?? '');
  assert.match(feedback[0] ?? '', /refused/);
  assert.match(feedback[1] ?? '', /empty/);
  assert.match(feedback[2] ?? '', /empty/, 'a tool call is not an answer: there is no content to use');
  assert.match(String(error.details?.['reason']), /no choices/);
});

test('a reply cut off at the token limit says so', async () => {
  fake.script(completion('{"label":"inv', { finishReason: 'length' }));
  const error = await rejectsWith(provider({ maxAttempts: 1 }).structured(classify()), AiErrorCode.outputInvalid);
  assert.match(error.message, /cut off/);
});

test('a response without usage counts zero tokens instead of failing', async () => {
  fake.script(completion('{"label":"other","confidence":0.5}', { omitUsage: true }));
  const { usage } = await provider({ priceInputPerMTok: 5 }).structured(classify());
  assert.equal(usage.promptTokens, 0);
  assert.equal(usage.costMicros, 0);
});

test('examples are sent as earlier turns, their inputs inside blocks', async () => {
  fake.script(completion('{"label":"refund","confidence":0.9}'));
  await provider().structured({ ...classify(), examples: [{ input: 'Please refund order 12', output: { label: 'refund', confidence: 1 } }] });
  const messages = fake.requests[0]?.body.messages ?? [];
  assert.deepEqual(messages.map((m) => m.role), ['system', 'user', 'assistant', 'user']);
  assert.match(messages[1]?.content ?? '', /<<<DOCUMENT id=example-1-1 label="example">>>\nPlease refund order 12\n<<<END DOCUMENT example-1-1>>>/);
  assert.equal(messages[2]?.content, '{"label":"refund","confidence":1}');
});
