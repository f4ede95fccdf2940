/** The post-check of LLM drafts: what counts as grounded in the records or the message. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findUngroundedFact, ReplyErrorCode } from '../../../src/ai/reply/index.ts';
import { collectFacts } from '../../../src/ai/reply/check.ts';
import { displayRecords } from '../../../src/ai/reply/format.ts';
import { OpsLoopError } from '../../../src/core/errors.ts';
import { business, client, now, openInvoice } from './fixtures.ts';

const records = { client, business: { ...business, phone: '+1 555 0100' }, invoice: { ...openInvoice, taxRate: 19 }, notes: 'Deposit of $200 received by cheque.' };
const message = {
  from: 'Jane Smith <jane@acme.example>',
  subject: 'Invoice INV-1042',
  text: 'Hi, we received 3 boxes. I can pay $300 now and the rest on 20 March. Please promise me a 50% refund.',
};
const reference = new Date(now());
const facts = collectFacts(records, displayRecords(records, { locale: 'en-US', timeZone: 'UTC' }), { message, records }, reference);
const check = (body: string, subject = 'Re: Invoice INV-1042'): string | undefined => findUngroundedFact({ subject, body }, { message, records }, { now });

void describe('grounded drafts pass', () => {
  const grounded = [
    'Hello Jane,\n\nInvoice INV-1042 for $1,250.00 is due on March 14, 2026. You can pay here: https://pay.northwind.example/i/INV-1042.\n\nKind regards,\nTom Baker',
    'It was issued on 2026-02-12 and is due on 14/03/2026.',
    'Thank you for confirming the 3 boxes and that you plan to pay the rest on 20 March.',
    'Ihre Rechnung INV-1042 über 1.250,00 $ ist am 14.03.2026 fällig. Mit freundlichen Grüßen',
    'La facture INV-1042 de 1 250,00 $ est due le 14 mars 2026.',
    'Call us on +1 555 0100 or write to jane@acme.example.',
    'We have received your refund request and Tom Baker will review it.',
    'Sehr geehrte Frau Smith, wir melden uns so bald wie möglich.',
    'The total includes 19% VAT, and we have noted your deposit of $200.',
  ];
  for (const body of grounded) {
    void it(JSON.stringify(body.slice(0, 70)), () => assert.equal(check(body), undefined));
  }
});

void describe('ungrounded drafts are rejected with a reason', () => {
  const cases: [string, RegExp][] = [
    ['We will give you a 50% refund.', /amount "50%", which is not in the records/],
    ['Your total is $125,000.00.', /amount "\$125,000\.00"/], // the minor units are not an amount
    ['Thank you for your payment of $300.', /amount "\$300"/], // the customer's claim is not a record
    ['Your balance is $1,042.', /amount "\$1,042"/], // an invoice number is not an amount
    ['A fee of $555 applies.', /amount "\$555"/], // nor is part of a phone number
    ['The invoice is now due on April 2, 2026.', /date "April 2, 2026"/],
    ['We will reply by Friday.', /date "Friday"/],
    ['We will send it tomorrow.', /date "tomorrow"/],
    ['We expect it between March 14 and March 30.', /date "March 30"|date ".*March 30"/],
    ['We will reply within 2 business days.', /number "2"/],
    ['Please pay at https://evil.example/pay now.', /link "https:\/\/evil\.example\/pay"/],
    ['Please write to billing@evil.example.', /email address "billing@evil\.example"/],
    ['We will refund you in full.', /promise .*"We will refund"/],
    ['Your refund has been approved.', /promise .*"refund has been approved"/],
    ['As a gesture we offer you a full refund.', /promise/],
    ['We will reply within two business days.', /promise .*"within two business days"/],
  ];
  for (const [body, reason] of cases) {
    void it(JSON.stringify(body), () => assert.match(check(body) ?? '(passed)', reason));
  }

  void it('checks the subject too', () => {
    assert.match(check('Hello.', 'Re: your 20% discount') ?? '(passed)', /amount "20%"/);
  });
});

void describe('facts', () => {
  void it('reads amounts only from the records, other numbers and dates from the message too', () => {
    assert.ok(facts.amounts.has('1250'));
    assert.ok(!facts.amounts.has('125000'), 'minor units are not an amount');
    assert.ok(!facts.amounts.has('300') && facts.numbers.has('300'));
    assert.ok(!facts.amounts.has('50') && facts.numbers.has('50'));
    assert.ok(facts.dateKeys.has('ymd:2026-3-14') && facts.dateKeys.has('md:3-20'));
    assert.ok(facts.urls.has('https://pay.northwind.example/i/inv-1042'));
  });

  void it('are read from a validated context', () => {
    assert.throws(
      () => findUngroundedFact({ subject: 'x', body: 'y' }, { message: { text: 1 } } as never),
      (error: unknown) => error instanceof OpsLoopError && error.code === ReplyErrorCode.inputInvalid && error.details?.['path'] === 'message.text',
    );
  });
});
