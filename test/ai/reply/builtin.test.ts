/** The built-in drafter's rules: missing facts, unknown intents, bad input, custom templates. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OpsLoopError } from '../../../src/core/errors.ts';
import { defaultTemplates, draftReplyFromTemplate, ReplyConfidence, ReplyErrorCode } from '../../../src/ai/reply/index.ts';
import type { ReplyContext, ReplyTemplate } from '../../../src/ai/reply/index.ts';
import { context, openInvoice } from './fixtures.ts';

function rejectsWith(fn: () => unknown, code: string, path?: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof OpsLoopError, String(error));
    assert.equal(error.code, code);
    if (path !== undefined) {
      assert.equal(error.details?.['path'], path);
      assert.ok(error.message.includes(`"${path}"`), error.message);
    }
    return true;
  });
}

void describe('missing facts', () => {
  void it('still drafts, lists the empty required slots, marks them in the text, and lowers the confidence', () => {
    const draft = draftReplyFromTemplate('payment_reminder', context('Is anything open?', { invoice: { number: 'INV-7', status: 'overdue' } }));
    assert.deepEqual(draft.missing, ['invoice.total', 'invoice.dueDate']);
    assert.equal(draft.confidence, ReplyConfidence.missingSlots);
    assert.match(draft.body, /invoice INV-7 for \[invoice\.total\] was due on \[invoice\.dueDate\]/);
  });

  void it('counts an empty string and an amount without a currency as missing', () => {
    const draft = draftReplyFromTemplate('payment_reminder', {
      message: { text: 'x' },
      records: { invoice: { number: ' ', total: '120.00', dueDate: '2026-01-31' } },
    });
    assert.deepEqual(draft.missing, ['invoice.number', 'invoice.total']);
    assert.equal(draft.subject, 'Invoice [invoice.number] is overdue');
  });

  void it('reports nothing missing when every required slot is filled', () => {
    const draft = draftReplyFromTemplate('cancel_order', context('cancel', { order: { number: 'SO-1' } }));
    assert.deepEqual(draft.missing, []);
    assert.equal(draft.confidence, ReplyConfidence.template);
  });
});

void describe('intents', () => {
  void it('answers an unknown intent with the general template at a lower confidence', () => {
    const draft = draftReplyFromTemplate('warranty_claim', context('My printer broke', {}));
    assert.equal(draft.intent, 'general');
    assert.equal(draft.confidence, ReplyConfidence.unknownIntent);
    assert.match(draft.body, /We have received it and will get back to you/);
  });

  void it('refuses an unknown intent in strict mode', () => {
    rejectsWith(() => draftReplyFromTemplate('warranty_claim', context('x', {}), defaultTemplates, { strict: true }), ReplyErrorCode.intentUnknown);
  });

  void it('refuses an unknown intent when the templates have no general one', () => {
    const only = defaultTemplates.filter((t) => t.intent === 'invoice_copy');
    rejectsWith(() => draftReplyFromTemplate('complaint', context('x', {}), only), ReplyErrorCode.intentUnknown);
  });

  void it('accepts an intent label in another spelling', () => {
    assert.equal(draftReplyFromTemplate(' Invoice-Copy ', context('x', { invoice: openInvoice })).intent, 'invoice_copy');
  });
});

void describe('input validation', () => {
  void it('names the bad field', () => {
    rejectsWith(() => draftReplyFromTemplate('', context('x', {})), ReplyErrorCode.inputInvalid, 'intent');
    rejectsWith(() => draftReplyFromTemplate('pay me now!', context('x', {})), ReplyErrorCode.inputInvalid, 'intent');
    rejectsWith(() => draftReplyFromTemplate('general', { message: {} } as unknown as ReplyContext), ReplyErrorCode.inputInvalid, 'message.text');
    rejectsWith(() => draftReplyFromTemplate('general', { message: { text: 'x' }, records: [] } as unknown as ReplyContext), ReplyErrorCode.inputInvalid, 'records');
    rejectsWith(() => draftReplyFromTemplate('general', { message: { text: 'x' }, thread: [{ text: 'y' }] } as unknown as ReplyContext), ReplyErrorCode.inputInvalid, 'thread.0.from');
    rejectsWith(() => draftReplyFromTemplate('general', context('x', {}), defaultTemplates, { locale: 'not a locale!' }), ReplyErrorCode.inputInvalid, 'options.locale');
    rejectsWith(() => draftReplyFromTemplate('general', context('x', {}), defaultTemplates, { timeZone: 'Mars/Olympus' }), ReplyErrorCode.inputInvalid, 'options.timeZone');
  });

  void it('does not change the records it is given', () => {
    const records = { invoice: { ...openInvoice }, client: { name: 'Jane' } };
    const before = structuredClone(records);
    draftReplyFromTemplate('payment_reminder', { message: { text: 'x' }, records });
    assert.deepEqual(records, before);
  });
});

void describe('custom templates', () => {
  const welcome: ReplyTemplate = {
    intent: 'welcome',
    subject: 'Welcome to {{ business.name }}',
    body: '{{ greeting }}\n\nYour account {{ account.id }} is ready{{ account.plan ? " on the " + account.plan + " plan" : "" }}.\n\n{{ signoff }}',
    requires: ['account.id'],
  };

  void it('are used by intent, with records and formatting as for the defaults', () => {
    const draft = draftReplyFromTemplate('welcome', context('hi', { account: { id: 'AC-9' }, business: { name: 'Northwind Design' } }), [welcome]);
    assert.equal(draft.subject, 'Welcome to Northwind Design');
    assert.equal(draft.body, 'Hello Jane Smith,\n\nYour account AC-9 is ready.\n\nKind regards,\nNorthwind Design');
  });

  void it('are checked: a syntax error, a bad required path, a repeated intent', () => {
    rejectsWith(() => draftReplyFromTemplate('welcome', context('x', {}), [{ ...welcome, body: 'Hi {{ name ' }]), ReplyErrorCode.templateInvalid);
    rejectsWith(() => draftReplyFromTemplate('welcome', context('x', {}), [{ ...welcome, requires: ['account id'] }]), ReplyErrorCode.templateInvalid);
    rejectsWith(() => draftReplyFromTemplate('welcome', context('x', {}), [welcome, welcome]), ReplyErrorCode.templateInvalid);
  });

  void it('that fail to render name the template', () => {
    const broken: ReplyTemplate = { intent: 'broken', subject: 'x', body: '{{ upper(account.id) }}' };
    assert.throws(
      () => draftReplyFromTemplate('broken', context('x', {}), [broken]),
      (error: unknown) => error instanceof OpsLoopError && error.code === ReplyErrorCode.templateInvalid && error.details?.['intent'] === 'broken',
    );
  });
});
