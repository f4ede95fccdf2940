/**
 * Bank transfer (the `manual` provider): the invoice email carries the pay link, the PDF carries
 * the payment instructions and the link, and the pay page works without any card provider.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../../../src/core/config.ts';
import { OpsLoopError } from '../../../../src/core/errors.ts';
import { createDraftFromSentence, payLink, recordPayment } from '../../../../src/domains/finance/index.ts';
import { fromStripeAmount, toStripeAmount } from '../../../../src/domains/finance/paylinks/index.ts';
import { createHttpApp } from '../../../../src/server/index.ts';
import { openTestApp, userWithToken, type TestApp } from '../../../helpers/app.ts';
import { testDialects } from '../../../helpers/dialects.ts';
import { startSmtpSink, type SmtpSink } from '../../../helpers/smtp.ts';
import { allText, linksPerPage } from '../pdf/helpers.ts';
import { bank, pathOf, publicUrl, sentInvoice, textOf } from './helpers.ts';

function codeOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof OpsLoopError, String(error));
    return { code: error.code, message: error.message };
  }
  throw new Error('expected an error');
}

describe('payment settings', () => {
  test('a Stripe key without the webhook secret, or a mistyped IBAN, stops start-up naming the variable', () => {
    const missing = codeOf(() => loadConfig({}, { STRIPE_SECRET_KEY: 'sk_test_abc123' }));
    assert.equal(missing.code, 'CONFIG_INVALID');
    assert.match(missing.message, /STRIPE_WEBHOOK_SECRET/);
    const iban = codeOf(() => loadConfig({}, { OPSLOOP_BANK_IBAN: 'GB29NWBK60161331926818' }));
    assert.match(iban.message, /OPSLOOP_BANK_IBAN.*not a valid IBAN/);
    assert.match(codeOf(() => loadConfig({}, { OPSLOOP_PUBLIC_URL: 'ftp://example.com' })).message, /OPSLOOP_PUBLIC_URL/);
    assert.match(codeOf(() => loadConfig({}, { STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_WEBHOOK_SECRET: 'secret' })).message, /STRIPE_WEBHOOK_SECRET.*whsec_/);
  });

  test('the public address defaults to localhost on the configured port, without a trailing slash', () => {
    assert.equal(loadConfig({}, { PORT: '8080' }).publicUrl, 'http://localhost:8080');
    assert.equal(loadConfig({}, { OPSLOOP_PUBLIC_URL: 'https://pay.example.com/' }).publicUrl, 'https://pay.example.com');
    assert.equal(loadConfig({}, { OPSLOOP_BANK_IBAN: 'gb29 nwbk 6016 1331 9268 19' }).bankIban, 'gb29 nwbk 6016 1331 9268 19');
  });

  test('amounts are converted to the minor units Stripe counts in', () => {
    assert.equal(toStripeAmount(123450n, 'USD'), 123450);
    assert.equal(toStripeAmount(1500n, 'JPY'), 1500);
    assert.equal(toStripeAmount(1500n, 'ISK'), 150000, 'Stripe counts ISK in hundredths');
    assert.equal(fromStripeAmount(150000, 'ISK'), 1500n);
    assert.equal(toStripeAmount(12340n, 'KWD'), 12340);
    assert.equal(codeOf(() => toStripeAmount(12345n, 'KWD')).code, 'PAYMENT_AMOUNT_UNSUPPORTED');
  });
});

for (const dialect of testDialects()) {
  describe(`bank transfer instructions on ${dialect}`, () => {
    let t: TestApp;
    let smtp: SmtpSink;
    let http: ReturnType<typeof createHttpApp>;
    before(async () => {
      smtp = await startSmtpSink();
      t = await openTestApp(dialect, { config: { smtpUrl: smtp.url, businessName: 'Northwind Design', publicUrl, ...bank } });
      http = createHttpApp(t.app);
      await t.app.engine.addWorkflow({
        id: 'invoice-and-send',
        steps: [
          { id: 'draft', type: 'action', action: 'finance.draft', input: { sentence: '{{ input.sentence }}', today: '2026-11-22' } },
          { id: 'send', type: 'action', action: 'finance.send', input: { document: '{{ steps.draft.number }}', to: '{{ input.email }}' } },
        ],
      });
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });

    test('the invoice email carries the pay link, and its PDF the bank details, reference and link', async () => {
      const { runId } = await t.app.engine.startRun('invoice-and-send', { sentence: 'Invoice Acme Ltd $2,500 for website development due in 14 days', email: 'billing@acme.example' });
      const run = await t.app.engine.getRun(runId);
      assert.equal(run.status, 'completed');
      const number = (run.output as { number: string } | null)?.number ?? 'INV-2026-0001';
      await t.app.worker.drain();
      const deadline = Date.now() + 10_000;
      while (!smtp.messages.some((m) => m.subject?.includes(number)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const mail = smtp.messages.find((m) => m.subject?.includes(number));
      assert.ok(mail, 'the email arrived');
      const link = /Pay online: (\S+)/.exec(mail.text ?? '')?.[1];
      assert.ok(link !== undefined, mail.text);
      assert.equal(link, await t.app.engine.committer.unit((tx) => payLink(tx, number, { publicUrl })), 'the email has the invoice\'s pay link');
      assert.match(mail.text ?? '', new RegExp(`by bank transfer, quoting ${number} as the reference`));

      const pdf = mail.attachments[0]?.content;
      assert.ok(pdf);
      const text = await allText(pdf);
      for (const expected of ['Payment', `Please pay 2500.00 USD by 2026-12-06, quoting ${number} as the payment reference.`, 'Account name: Northwind Design Ltd', 'IBAN: GB29 NWBK 6016 1331 9268 19', 'BIC: NWBKGB2L', 'Pay online:']) {
        assert.ok(text.includes(expected), `the PDF says "${expected}": ${text}`);
      }
      assert.ok(text.replace(/\s+/g, '').includes(link), 'the PDF prints the pay link');
      assert.deepEqual((await linksPerPage(pdf)).flat(), [link], 'and makes it clickable');

      const page = await http.request(pathOf(link));
      assert.equal(page.status, 200);
      const pageText = textOf(await page.text());
      assert.match(pageText, new RegExp(`Transfer 2500\\.00 USD to the account below, quoting ${number} as the payment reference\\.`));
      assert.doesNotMatch(pageText, /Pay by card/, 'no card button without Stripe');
      const card = await http.request(`${pathOf(link)}/checkout`, { method: 'POST' });
      assert.equal(card.status, 409);
      assert.match(textOf(await card.text()), /Card payment is not set up for this business; please pay by bank transfer/);
      const hook = await http.request('/pay/webhooks/stripe', { method: 'POST', body: '{}', headers: { 'stripe-signature': 't=1,v1=00' } });
      assert.equal(hook.status, 404, 'no Stripe webhook without Stripe');
    });

    test('a paid invoice\'s PDF and page say it is paid; a draft has no pay link', async () => {
      const invoice = await sentInvoice(t, 'Invoice Globex $120 for hosting due in 30 days');
      const link = await t.app.engine.committer.unit((tx) => payLink(tx, invoice.id, { publicUrl }));
      await t.app.engine.committer.unit((tx) => recordPayment(tx, { dialect: t.app.database.dialect, hooks: t.app.engine.hooks }, invoice.id, { amount: '120.00', paidOn: '2026-01-06' }, 'user:owner@example.com', t.clock.now()));
      const owner = await userWithToken(t.app, 'viewer@example.com', 'viewer');
      const response = await http.request(`/api/documents/${invoice.number}/pdf`, { headers: owner.headers });
      assert.equal(response.status, 200);
      const pdf = new Uint8Array(await response.arrayBuffer());
      const text = await allText(pdf);
      assert.ok(text.includes('Paid in full. Thank you.'), text);
      assert.ok(!text.includes('IBAN') && !text.includes('Pay online'), 'nothing to pay, so no instructions');
      assert.deepEqual((await linksPerPage(pdf)).flat(), []);
      assert.match(textOf(await (await http.request(pathOf(link))).text()), /paid in full\. Nothing more is needed/);

      const deps = { committer: t.app.engine.committer, dialect: t.app.database.dialect, now: () => t.clock.now() };
      const { document } = await createDraftFromSentence(deps, 'Invoice Initech $50 for a call', { today: '2026-01-05' });
      assert.ok(document);
      await assert.rejects(
        t.app.engine.committer.unit((tx) => payLink(tx, document.number, { publicUrl })),
        (error: OpsLoopError) => error.code === 'PAYLINK_NOT_PAYABLE' && /is draft; a pay link is for an invoice that is sent/.test(error.message),
      );
      const quote = await sentInvoice(t, 'Quote Initech $500 for a website');
      await assert.rejects(
        t.app.engine.committer.unit((tx) => payLink(tx, quote.number, { publicUrl })),
        (error: OpsLoopError) => error.code === 'PAYLINK_NOT_AN_INVOICE',
      );
    });
  });
}
