/**
 * Paying an invoice by card: the pay page, "Pay by card" to a Stripe Checkout session, and
 * Stripe's signed webhook recording the payment once — against a local server that speaks
 * Stripe's wire format.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { payLink, publicToken, recordPayment } from '../../../../src/domains/finance/index.ts';
import { createHttpApp, listen, type RunningServer } from '../../../../src/server/index.ts';
import { openTestApp, type TestApp } from '../../../helpers/app.ts';
import { testDialects } from '../../../helpers/dialects.ts';
import { payInvoiceByCard, startFakeStripe, type FakeStripe } from '../../../helpers/fake-stripe.ts';
import { bank, pathOf, paymentsOf, publicUrl, sentInvoice, textOf } from './helpers.ts';

for (const dialect of testDialects()) {
  describe(`card payments through Stripe on ${dialect}`, () => {
    let t: TestApp;
    let fake: FakeStripe;
    let server: RunningServer;
    let http: ReturnType<typeof createHttpApp>;
    let webhookUrl: string;
    before(async () => {
      fake = await startFakeStripe({ now: () => t.clock.now() });
      t = await openTestApp(dialect, { config: { ...fake.config, ...bank, publicUrl, port: 0, businessName: 'Northwind & Co <Design>', stripeTimeoutMs: 400 } });
      server = await listen(t.app);
      http = createHttpApp(t.app);
      webhookUrl = `${server.url}/pay/webhooks/stripe`;
      await t.app.engine.addWorkflow({
        id: 'await-payment',
        steps: [
          { id: 'paid', type: 'wait', event: 'payment.received', key: 'input.number', timeout: '30d', onTimeout: 'chase' },
          { id: 'thanks', type: 'end', output: { received: '{{ steps.paid.amount }}', status: '{{ steps.paid.status }}' } },
          { id: 'chase', type: 'end', output: 'chase' },
        ],
      });
    });
    after(async () => {
      await server.close();
      await t.close();
      await fake.close();
    });
    const link = (number: string) => t.app.engine.committer.unit((tx) => payLink(tx, number, { publicUrl }));
    const checkout = (link: string) => http.request(`${pathOf(link)}/checkout`, { method: 'POST' });

    test('the pay page shows the invoice, what is due, the bank details and a card button', async () => {
      const invoice = await sentInvoice(t, 'Invoice Acme Ltd $1,000 for design due in 14 days');
      const url = await link(invoice.number);
      assert.match(url, /^https:\/\/billing\.northwind\.example\/pay\/[A-Za-z0-9_-]{32}$/);
      assert.equal(await link(invoice.number), url, 'the same link every time');
      const response = await http.request(pathOf(url));
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const html = await response.text();
      assert.ok(html.includes('Northwind &amp; Co &lt;Design&gt;'), 'the business name is escaped');
      const text = textOf(html);
      for (const expected of [`Invoice ${invoice.number}`, 'From Northwind & Co <Design> to Acme Ltd', 'Amount due 1000.00 USD', 'Due date 2026-01-19', 'Status Awaiting payment', 'IBAN: GB29 NWBK 6016 1331 9268 19', 'BIC: NWBKGB2L', 'Account name: Northwind Design Ltd', `Payment reference: ${invoice.number}`, 'Pay by card']) {
        assert.ok(text.includes(expected), `the page says "${expected}": ${text}`);
      }
    });

    test('a wrong link is a readable 404 page, and so is a quote\'s link', async () => {
      const response = await http.request('/pay/not-a-real-token-at-all-0123456789');
      assert.equal(response.status, 404);
      assert.match(textOf(await response.text()), /Payment link not found .*not valid/);
      const quote = await sentInvoice(t, 'Quote Bright Dental $300 for a logo');
      const token = await t.app.engine.committer.unit((tx) => publicToken(tx, quote.id, t.clock.now()));
      const asPay = await http.request(`/pay/${token}`);
      assert.equal(asPay.status, 404);
      assert.match(textOf(await asPay.text()), /not a payment link/);
    });

    test('"Pay by card" opens one Checkout session for the amount due and reuses it on a second click', async () => {
      const invoice = await sentInvoice(t, 'Invoice Globex $1,234.50 for consulting due in 30 days');
      const url = await link(invoice.number);
      const before = fake.requests.length;
      const first = await checkout(url);
      assert.equal(first.status, 303);
      const location = first.headers.get('location') ?? '';
      assert.ok(location.startsWith(`${fake.url}/c/pay/cs_test_`), location);
      const created = fake.requests.slice(before).find((r) => r.method === 'POST');
      assert.ok(created);
      assert.ok(created.idempotencyKey !== null && created.idempotencyKey.includes(invoice.id));
      const params = created.params as { mode: string; line_items: { quantity: string; price_data: { currency: string; unit_amount: string; product_data: { name: string } } }[]; client_reference_id: string; metadata: Record<string, string>; success_url: string; cancel_url: string };
      assert.equal(params.mode, 'payment');
      assert.deepEqual(params.line_items, [{ quantity: '1', price_data: { currency: 'usd', unit_amount: '123450', product_data: { name: `Invoice ${invoice.number}`, description: 'For Globex' } } }]);
      assert.equal(params.client_reference_id, invoice.id);
      assert.deepEqual(params.metadata, { opsloop_document_id: invoice.id, opsloop_document_number: invoice.number });
      assert.equal(params.success_url, `${url}?checkout=success`);
      assert.equal(params.cancel_url, `${url}?checkout=cancelled`);

      const second = await checkout(url);
      assert.equal(second.status, 303);
      assert.equal(second.headers.get('location'), location, 'the open session is reused');
      assert.deepEqual(fake.requests.slice(before).map((r) => r.method), ['POST', 'GET'], 'the second click only looked the session up');
      const cancelled = textOf(await (await http.request(`${pathOf(url)}?checkout=cancelled`)).text());
      assert.match(cancelled, /cancelled; nothing was charged/);

      // Two clicks at the same moment on another invoice: one session between them.
      const other = await link((await sentInvoice(t, 'Invoice Globex $99 for a domain')).number);
      const sessionsBefore = fake.sessions.size;
      const [a, b] = await Promise.all([checkout(other), checkout(other)]);
      assert.equal(a.headers.get('location'), b.headers.get('location'));
      assert.equal(fake.sessions.size, sessionsBefore + 1);
    });

    test('paying through Stripe marks the invoice paid once and wakes the run waiting for the payment', async () => {
      const invoice = await sentInvoice(t, 'Invoice Initech $800 for support due in 7 days');
      const { runId } = await t.app.engine.startRun('await-payment', { number: invoice.number });
      assert.equal((await t.app.engine.getRun(runId)).status, 'waiting');

      const paid = await payInvoiceByCard(t.app, server.url, fake, invoice.number);
      assert.equal(paid.webhook.status, 200);
      assert.deepEqual(JSON.parse(paid.webhook.body), { received: true, outcome: 'recorded' });
      const paymentIntent = fake.sessions.get(paid.sessionId)?.payment_intent;
      assert.match(String(paymentIntent), /^pi_/);
      assert.deepEqual(await paymentsOf(t, invoice.id), [{ amount_minor: 80000, method: 'stripe', reference: paymentIntent }]);
      await t.app.worker.drain();
      assert.deepEqual((await t.app.engine.getRun(runId)).output, { received: '800.00', status: 'paid' });
      const audit = await t.app.governance.searchAudit({ subjectId: invoice.id, action: 'record.changed' });
      assert.ok(audit.some((e) => e.actor === 'provider:stripe' && JSON.stringify(e.data).includes('"status":"paid"')));

      // Stripe retries a delivery it thinks failed: the same event again, even twice at once, changes nothing.
      const again = await Promise.all([fake.deliver(webhookUrl, paid.webhook.event), fake.deliver(webhookUrl, paid.webhook.event)]);
      assert.deepEqual(again.map((d) => [d.status, JSON.parse(d.body).outcome]), [[200, 'duplicate'], [200, 'duplicate']]);
      // A second, different event for the same paid session is recognised too.
      const late = await fake.deliver(webhookUrl, fake.event('checkout.session.async_payment_succeeded', fake.sessions.get(paid.sessionId) ?? {}));
      assert.equal(JSON.parse(late.body).outcome, 'already_recorded');
      assert.equal((await paymentsOf(t, invoice.id)).length, 1, 'recorded once');
      const events = await t.app.database.db.selectFrom('events').select('key').where('name', '=', 'payment.received').where('key', '=', invoice.number).execute();
      assert.equal(events.length, 1, 'payment.received emitted once');

      const page = textOf(await (await fetch(paid.pageUrl)).text());
      assert.match(page, /paid in full\. Nothing more is needed/);
      assert.doesNotMatch(page, /Pay by card/);
      const refused = await checkout(paid.payLink);
      assert.equal(refused.status, 409);
      assert.match(textOf(await refused.text()), /is paid; there is nothing to pay/);
    });

    test('a webhook with a wrong, missing or stale signature is refused and records nothing', async () => {
      const invoice = await sentInvoice(t, 'Invoice Umbrella Corp $500 for audit');
      const response = await checkout(await link(invoice.number));
      const sessionId = fake.sessionIdOf(response.headers.get('location') ?? '');
      const event = fake.completeEvent(sessionId);
      for (const signature of ['wrong', 'missing', 'stale'] as const) {
        const delivery = await fake.deliver(webhookUrl, event, signature);
        assert.equal(delivery.status, 400, signature);
        assert.equal(JSON.parse(delivery.body).error.code, 'PAYMENT_WEBHOOK_SIGNATURE_INVALID');
      }
      const tampered = fake.webhookRequest(event);
      const forged = await fetch(webhookUrl, { method: 'POST', headers: tampered.headers, body: tampered.body.replace('"paid"', '"paid" ') });
      assert.equal(forged.status, 400, 'a body changed after signing is refused');
      assert.deepEqual(await paymentsOf(t, invoice.id), []);
      const stored = await t.app.database.db.selectFrom('pay_events').select('event_id').where('event_id', '=', String(event.id)).execute();
      assert.deepEqual(stored, []);
      const now = await t.app.database.db.selectFrom('documents').select('status').where('id', '=', invoice.id).executeTakeFirstOrThrow();
      assert.equal(now.status, 'sent');
      // The genuine delivery still works afterwards.
      assert.equal((await fake.deliver(webhookUrl, event)).status, 200);
      assert.equal((await paymentsOf(t, invoice.id)).length, 1);
    });

    test('events it does not handle are acknowledged and ignored', async () => {
      const delivery = await fake.deliver(webhookUrl, fake.event('payment_intent.succeeded', { id: 'pi_123', object: 'payment_intent', amount: 1000, currency: 'usd' }));
      assert.equal(delivery.status, 200);
      assert.equal(JSON.parse(delivery.body).outcome, 'ignored');
    });

    test('after a partial bank payment, Stripe is asked for the rest and the invoice ends paid', async () => {
      const invoice = await sentInvoice(t, 'Invoice Hooli $1,000 for hosting due in 14 days');
      const url = await link(invoice.number);
      const early = await checkout(url);
      const earlySession = fake.sessionIdOf(early.headers.get('location') ?? '');
      await t.app.engine.committer.unit((tx) => recordPayment(tx, { dialect: t.app.database.dialect, hooks: t.app.engine.hooks }, invoice.id, { amount: '400.00', paidOn: '2026-01-06', reference: 'BANK-1' }, 'user:owner@example.com', t.clock.now()));
      const page = textOf(await (await http.request(pathOf(url))).text());
      assert.ok(page.includes('Amount due 600.00 USD') && page.includes('Paid so far 400.00 USD') && page.includes('Status Partially paid'), page);

      const rest = await checkout(url);
      const restSession = fake.sessionIdOf(rest.headers.get('location') ?? '');
      assert.notEqual(restSession, earlySession, 'a session for the old amount is not reused');
      assert.equal(fake.sessions.get(restSession)?.amount_total, 60000);
      const delivery = await fake.complete(restSession, webhookUrl);
      assert.equal(JSON.parse(delivery.body).outcome, 'recorded');
      const payments = await paymentsOf(t, invoice.id);
      assert.deepEqual(payments.map((p) => [p.amount_minor, p.method]), [[40000, 'bank_transfer'], [60000, 'stripe']]);
      const doc = await t.app.database.db.selectFrom('documents').select(['status', 'paid_minor']).where('id', '=', invoice.id).executeTakeFirstOrThrow();
      assert.deepEqual(doc, { status: 'paid', paid_minor: 100000 });
    });

    test('a card payment larger than what is left records what fits and opens an exception for the rest', async () => {
      const invoice = await sentInvoice(t, 'Invoice Stark Industries $1,000 for design');
      const response = await checkout(await link(invoice.number));
      const sessionId = fake.sessionIdOf(response.headers.get('location') ?? '');
      // The client also sent 300.00 by bank before finishing the card payment of 1000.00.
      await t.app.engine.committer.unit((tx) => recordPayment(tx, { dialect: t.app.database.dialect, hooks: t.app.engine.hooks }, invoice.id, { amount: '300.00', paidOn: '2026-01-06' }, 'user:owner@example.com', t.clock.now()));
      const delivery = await fake.complete(sessionId, webhookUrl);
      assert.equal(delivery.status, 200);
      assert.equal(JSON.parse(delivery.body).outcome, 'overpaid');
      assert.deepEqual((await paymentsOf(t, invoice.id)).map((p) => p.amount_minor), [30000, 70000]);
      const exceptions = await t.app.engine.listExceptions('open');
      const conflict = exceptions.find((e) => e.code === 'PAYMENT_OVERPAID' && String(e.message).includes(invoice.number));
      assert.ok(conflict, 'an open exception names the invoice');
      assert.match(String(conflict.message), /took 1000\.00 USD .* only 700\.00 USD was left to pay .* 300\.00 USD is too much: refund it in Stripe/);
    });

    test('when Stripe does not answer in time, the person gets a readable error page', async () => {
      const invoice = await sentInvoice(t, 'Invoice Wayne Enterprises $90 for printing');
      fake.hang = true;
      try {
        const started = Date.now();
        const response = await checkout(await link(invoice.number));
        assert.ok(Date.now() - started < 5000, 'the call timed out');
        assert.equal(response.status, 503);
        const text = textOf(await response.text());
        assert.match(text, /Card payment is not available right now .*Stripe could not be reached .*try again in a few minutes/);
        assert.match(text, /Back to the invoice/);
      } finally {
        fake.hang = false;
      }
      const retry = await checkout(await link(invoice.number));
      assert.equal(retry.status, 303, 'a click once Stripe answers again works');
      // With a session already open, a slow Stripe API does not stand in the way: the client goes to it.
      fake.hang = true;
      try {
        const again = await checkout(await link(invoice.number));
        assert.equal(again.status, 303);
        assert.equal(again.headers.get('location'), retry.headers.get('location'));
      } finally {
        fake.hang = false;
      }
    });
  });

  describe(`Stripe unreachable on ${dialect}`, () => {
    test('"Pay by card" shows an error page, and the bank transfer details still work', async () => {
      const closed = await startFakeStripe();
      const config = closed.config;
      await closed.close();
      const t = await openTestApp(dialect, { config: { ...config, ...bank, publicUrl } });
      try {
        const http = createHttpApp(t.app);
        const invoice = await sentInvoice(t, 'Invoice Acme Ltd $250 for a logo');
        const url = await t.app.engine.committer.unit((tx) => payLink(tx, invoice.number, { publicUrl }));
        const response = await http.request(`${pathOf(url)}/checkout`, { method: 'POST' });
        assert.equal(response.status, 503);
        const text = textOf(await response.text());
        assert.match(text, /Card payment is not available right now Stripe could not be reached to start a card payment for INV-\d{4}-\d{4}/);
        const page = await http.request(pathOf(url));
        assert.equal(page.status, 200);
        assert.match(textOf(await page.text()), /IBAN: GB29 NWBK/);
        assert.deepEqual(await paymentsOf(t, invoice.id), []);
      } finally {
        await t.close();
      }
    });
  });
}
