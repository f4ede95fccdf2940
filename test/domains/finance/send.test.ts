/** A sentence becomes an invoice, waits for approval when the client is new, and is emailed with its PDF — once. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestApp, type TestApp } from '../../helpers/app.ts';
import { testDialects } from '../../helpers/dialects.ts';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp.ts';

for (const dialect of testDialects()) {
  describe(`invoice from a sentence to the client's inbox on ${dialect}`, () => {
    let t: TestApp;
    let smtp: SmtpSink;
    before(async () => {
      smtp = await startSmtpSink();
      t = await openTestApp(dialect, { config: { smtpUrl: smtp.url, businessName: 'Northwind Design' } });
      await t.app.governance.addUser({ email: 'owner@example.com', role: 'owner' });
      await t.app.governance.savePolicy({ id: 'invoices', rules: [{ id: 'new-client', type: 'first_time', namespace: 'client', key: 'output.client.name', tier: 'review' }] });
      await t.app.engine.addWorkflow({
        id: 'quick-invoice',
        steps: [
          { id: 'draft', type: 'action', action: 'finance.draft', input: { sentence: '{{ input.sentence }}', today: '2026-11-22' }, proposing: true, policies: ['invoices'] },
          { id: 'send', type: 'action', action: 'finance.send', input: { document: '{{ steps.draft.number }}', to: '{{ input.email }}' } },
        ],
      });
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });

    test('a new client waits for a person; after approval the PDF goes out once', async () => {
      const { runId } = await t.app.engine.startRun('quick-invoice', { sentence: 'Invoice Acme Ltd $2,500 for website development due in 14 days', email: 'billing@acme.example' });
      assert.equal((await t.app.engine.getRun(runId)).status, 'waiting');
      const task = (await t.app.governance.listApprovals()).find((a) => a.runId === runId);
      assert.ok(task);
      assert.deepEqual((task.reasons as { message: string }[]).map((r) => r.message), ['first time for client "Acme Ltd"']);
      await t.app.governance.decide(task.id, await t.app.governance.findUser('owner@example.com'), { decision: 'approve' });
      await t.app.worker.drain();
      const run = await t.app.engine.getRun(runId);
      assert.equal(run.status, 'completed');
      const deadline = Date.now() + 10_000;
      while (!smtp.messages.some((m) => m.subject?.startsWith('Invoice INV-2026-0001')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const mail = smtp.messages.find((m) => m.subject?.startsWith('Invoice INV-2026-0001'));
      assert.ok(mail, 'the email arrived');
      assert.equal(mail.subject, 'Invoice INV-2026-0001 from Northwind Design');
      assert.match(mail.text ?? '', /2500\.00 USD, due 2026-12-06/);
      const [pdf] = mail.attachments;
      assert.equal(pdf?.filename, 'INV-2026-0001.pdf');
      assert.equal(pdf?.contentType, 'application/pdf');
      assert.ok((pdf?.size ?? 0) > 1000);
      const doc = await t.app.database.db.selectFrom('documents').select('status').where('number', '=', 'INV-2026-0001').executeTakeFirstOrThrow();
      assert.equal(doc.status, 'sent');

      const again = await t.app.engine.startRun('quick-invoice', { sentence: 'Invoice Acme Ltd $300 for hosting', email: 'billing@acme.example' });
      assert.equal((await t.app.engine.getRun(again.runId)).status, 'completed', 'a known client goes out automatically');
      await t.app.worker.drain();
      const count = smtp.messages.filter((m) => m.subject?.startsWith('Invoice INV-2026-0001')).length;
      assert.equal(count, 1, 'the first invoice was sent once');
    });
  });
}
