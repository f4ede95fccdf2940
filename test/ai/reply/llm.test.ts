/** draftReply with an LLM: a local fake of the OpenAI chat-completions API, in its real wire format. */
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { draftReply, draftReplyFromTemplate, ReplyConfidence } from '../../../src/ai/reply/index.ts';
import { OpenAiProvider } from '../../../src/ai/providers/index.ts';
import { apiError, completion, startFakeOpenAi } from '../providers/fake-openai.ts';
import { context, now, openInvoice } from './fixtures.ts';

const fake = await startFakeOpenAi();
after(() => fake.close());
beforeEach(() => fake.reset());

const provider = new OpenAiProvider({ baseURL: fake.baseURL, model: 'fake-model', maxAttempts: 2, retryBaseDelayMs: 1, priceInputPerMTok: 1 });
const customerText = 'Hello, could you tell me when invoice INV-1042 is due? Thanks, Jane';
const ctx = context(customerText, { invoice: openInvoice }, 'Due date?');
const answer = (reply: { subject: string; body: string; usedFacts: string[] }) => completion(JSON.stringify(reply));
const goodReply = {
  subject: 'Re: Due date?',
  body: 'Hello Jane,\n\nInvoice INV-1042 for $1,250.00 is due on March 14, 2026. You can pay it online here: https://pay.northwind.example/i/INV-1042\n\nKind regards,\nTom Baker\nNorthwind Design',
  usedFacts: ['invoice.number', 'invoice.total', 'invoice.dueDate', 'invoice.payUrl', 'invoice.discount'],
};

void describe('draftReply with an LLM', () => {
  void it('uses a valid, grounded answer, at a moderate confidence, with its cost', async () => {
    fake.script(answer(goodReply));
    const reply = await draftReply('payment_status', ctx, { provider, now });
    assert.equal(reply.provider, 'openai');
    assert.equal(reply.intent, 'payment_status');
    assert.equal(reply.subject, 'Re: Due date?');
    assert.equal(reply.body, goodReply.body);
    assert.equal(reply.confidence, ReplyConfidence.llm);
    assert.deepEqual(reply.missing, []);
    assert.equal(reply.fallbackReason, undefined);
    assert.deepEqual(reply.usedFacts, ['invoice.number', 'invoice.total', 'invoice.dueDate', 'invoice.payUrl'], 'a path not in the records is dropped');
    assert.equal(reply.usage?.attempts, 1);
    assert.equal(reply.usage?.costMicros, 100);
  });

  void it('passes the customer text only inside an untrusted block, and our rules in the system message', async () => {
    fake.script(answer(goodReply));
    const withThread = { ...ctx, thread: [{ from: 'Jane Smith <jane@acme.example>', text: 'Earlier: please send the invoice to my office.', at: '2026-02-10T09:00:00Z' }] };
    await draftReply('payment_status', withThread, { provider, now });
    const request = fake.requests[0]?.body;
    assert.ok(request !== undefined);
    assert.equal(request.response_format?.json_schema?.name, 'reply_draft');
    assert.deepEqual(Object.keys(request.response_format?.json_schema?.schema['properties'] as object).sort(), ['body', 'subject', 'usedFacts']);
    const system = request.messages.find((m) => m.role === 'system')?.content ?? '';
    const user = request.messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
    for (const outside of [customerText, 'Due date?', 'please send the invoice to my office', 'jane@acme.example']) {
      assert.ok(!system.includes(outside), `the system message must not contain ${JSON.stringify(outside)}`);
    }
    assert.match(system, /Intent of the reply: "payment_status"/);
    assert.match(system, /Never promise a refund, discount/);
    const block = /<<<DOCUMENT id=(\d+) label="customer message">>>\n([\s\S]*?)\n<<<END DOCUMENT \1>>>/.exec(user);
    assert.ok(block !== null, user);
    assert.ok(block[2]?.includes(customerText));
    assert.equal(user.split(customerText).length, 2, 'the customer text appears once, in its block');
    assert.match(user, /<<<DOCUMENT id=\d+ label="earlier message">>>\nFrom: Jane Smith <jane@acme\.example>\nDate: 2026-02-10T09:00:00Z\n\nEarlier: please send/);
    assert.match(user, /label="records">>>\n\{[\s\S]*"total": "\$1,250\.00"/);
    assert.doesNotMatch(user, /totalMinor/, 'the model sees readable amounts, not minor units');
  });

  void it('falls back to the template draft when the answer is not JSON', async () => {
    fake.script(completion('Sure! Here is a reply: Hello Jane…'), completion('{"subject": "Re: Due date?", "body": '));
    const reply = await draftReply('payment_status', ctx, { provider, now });
    const { usage: _usage, fallbackReason: _reason, ...draft } = reply;
    assert.deepEqual(draft, draftReplyFromTemplate('payment_status', ctx));
    assert.equal(reply.provider, 'builtin');
    assert.match(reply.fallbackReason ?? '', /LLM provider failed \(AI_OUTPUT_INVALID\)/);
    assert.equal(reply.usage?.attempts, 2, 'the cost of the failed attempts is reported');
  });

  void it('falls back when the provider is unavailable', async () => {
    fake.script(apiError(503, 'overloaded'), apiError(503, 'overloaded'));
    const reply = await draftReply('payment_status', ctx, { provider, now });
    assert.equal(reply.provider, 'builtin');
    assert.match(reply.fallbackReason ?? '', /AI_PROVIDER_UNAVAILABLE/);
  });

  void it('falls back with a reason when the answer invents an amount', async () => {
    fake.script(answer({ ...goodReply, body: 'Hello Jane,\n\nInvoice INV-1042 for $1,250.00 is due on March 14, 2026. Pay now and get a $100 discount.\n\nKind regards,\nTom' }));
    const reply = await draftReply('payment_status', ctx, { provider, now });
    assert.equal(reply.provider, 'builtin');
    assert.equal(reply.body, draftReplyFromTemplate('payment_status', ctx).body);
    assert.equal(reply.fallbackReason, 'the LLM draft was not used: it mentions the amount "$100", which is not in the records');
    assert.equal(reply.usage?.attempts, 1);
  });

  void it('falls back when the answer invents a date', async () => {
    fake.script(answer({ ...goodReply, body: 'Hello Jane, we can extend the due date to April 15, 2026.' }));
    const reply = await draftReply('payment_status', ctx, { provider, now });
    assert.match(reply.fallbackReason ?? '', /date "April 15, 2026"/);
  });

  void it('uses a grounded answer in the customer\'s language', async () => {
    fake.script(answer({ subject: 'Re: Fälligkeit', body: 'Guten Tag Frau Smith,\n\ndie Rechnung INV-1042 über 1.250,00 $ ist am 14.03.2026 fällig.\n\nMit freundlichen Grüßen\nTom Baker', usedFacts: ['invoice.number'] }));
    const reply = await draftReply('payment_status', context('Wann ist die Rechnung INV-1042 fällig?', { invoice: openInvoice }, 'Fälligkeit'), { provider, now });
    assert.equal(reply.provider, 'openai');
    assert.match(reply.body, /ist am 14\.03\.2026 fällig/);
  });

  void it('keeps the missing-facts rule: listed, and the confidence lowered below the LLM level', async () => {
    fake.script(answer({ subject: 'Re: Reminder', body: 'Hello Jane,\n\nInvoice INV-7 for [invoice.total] is overdue.\n\nKind regards,\nTom Baker', usedFacts: [] }));
    const reply = await draftReply('payment_reminder', context('?', { invoice: { number: 'INV-7', status: 'overdue' } }), { provider, now });
    assert.equal(reply.provider, 'openai');
    assert.deepEqual(reply.missing, ['invoice.total', 'invoice.dueDate']);
    assert.equal(reply.confidence, ReplyConfidence.missingSlots);
  });

  void it('asks for the general reply when the intent is unknown', async () => {
    fake.script(answer({ subject: 'Re: Due date?', body: 'Hello Jane,\n\nThank you, Tom Baker will get back to you.\n\nKind regards,\nTom Baker', usedFacts: [] }));
    const reply = await draftReply('warranty_claim', ctx, { provider, now });
    assert.equal(reply.intent, 'general');
    assert.equal(reply.confidence, ReplyConfidence.unknownIntent);
    assert.match(fake.requests[0]?.body.messages[0]?.content ?? '', /Intent of the reply: "general"/);
  });

  void it('without a provider returns the template draft and asks no one', async () => {
    const reply = await draftReply('payment_status', ctx, { provider: null });
    assert.deepEqual(reply, draftReplyFromTemplate('payment_status', ctx));
    assert.equal(fake.requests.length, 0);
  });

  void it('throws when aborted instead of falling back', async () => {
    fake.script({ hang: true });
    const controller = new AbortController();
    const pending = draftReply('payment_status', ctx, { provider, now, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('step cancelled')), 20);
    await assert.rejects(pending);
    await assert.rejects(draftReply('payment_status', ctx, { provider, now, signal: AbortSignal.abort() }));
  });
});
