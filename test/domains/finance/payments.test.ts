/** Payments move an invoice to partially paid and paid, and wake the run waiting for them. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createDraftFromSentence, getDocument } from '../../../src/domains/finance/index.ts';
import { createHttpApp } from '../../../src/server/index.ts';
import { openTestApp, userWithToken, type TestApp } from '../../helpers/app.ts';
import { testDialects } from '../../helpers/dialects.ts';

for (const dialect of testDialects()) {
  describe(`payments on ${dialect}`, () => {
    let t: TestApp;
    let http: ReturnType<typeof createHttpApp>;
    let admin: Record<string, string>;
    before(async () => {
      t = await openTestApp(dialect);
      http = createHttpApp(t.app);
      admin = { ...(await userWithToken(t.app, 'admin@example.com', 'admin')).headers, 'content-type': 'application/json' };
      await t.app.engine.addWorkflow({
        id: 'await-payment',
        steps: [
          { id: 'paid', type: 'wait', event: 'payment.received', key: 'input.number', timeout: '30d', onTimeout: 'chase' },
          { id: 'thanks', type: 'end', output: { received: '{{ steps.paid.amount }}', status: '{{ steps.paid.status }}' } },
          { id: 'chase', type: 'end', output: 'chase' },
        ],
      });
    });
    after(async () => t.close());
    const pay = (number: string, body: unknown) => http.request(`/api/documents/${number}/payments`, { method: 'POST', headers: admin, body: JSON.stringify(body) });

    test('a partial then a final payment; the waiting run wakes with the payment', async () => {
      const { document } = await createDraftFromSentence({ committer: t.app.engine.committer, dialect: t.app.database.dialect, now: () => t.clock.now() }, 'Invoice Acme Ltd $1,000 for design due in 14 days', { today: '2026-11-22' });
      assert.ok(document);
      assert.equal((await pay(document.number, { amount: '100.00', paidOn: '2026-11-23' })).status, 409, 'a draft is not payable yet');
      await http.request(`/api/documents/${document.number}/link`, { method: 'POST', headers: admin });
      const { runId } = await t.app.engine.startRun('await-payment', { number: document.number });
      assert.equal((await t.app.engine.getRun(runId)).status, 'waiting');

      const partial = await pay(document.number, { amount: '400.00', paidOn: '2026-11-25', reference: 'TRX-1' });
      assert.equal(partial.status, 201);
      assert.equal(((await partial.json()) as { document: { status: string; paid: string } }).document.status, 'partially_paid');
      await t.app.worker.drain();
      assert.deepEqual((await t.app.engine.getRun(runId)).output, { received: '400.00', status: 'partially_paid' });

      const refused = await pay(document.number, { amount: '700.00', paidOn: '2026-11-26' });
      assert.equal(refused.status, 409);
      assert.match(((await refused.json()) as { error: { message: string } }).error.message, /has 600\.00 USD left to pay/);
      const bad = await pay(document.number, { amount: '12.345', paidOn: '2026-11-26' });
      assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'PAYMENT_INVALID');
      const final = await pay(document.number, { amount: '600.00', paidOn: '2026-11-27' });
      assert.equal(final.status, 201);
      const doc = await getDocument(t.app.database.db, document.id);
      assert.deepEqual([doc.status, doc.paid], ['paid', '1000.00']);
      const audit = await t.app.governance.searchAudit({ subjectId: document.id, action: 'record.changed' });
      assert.ok(audit.some((e) => JSON.stringify(e.data).includes('"status":"paid"')));
    });
  });
}
