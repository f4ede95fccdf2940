/**
 * The invoice-to-cash playbook end to end, with simulated time: a sentence becomes an invoice,
 * a new client waits for a person, the PDF goes out with its pay link, reminders follow the
 * cadence (one catch-up after an outage, never a burst), payment — part by bank transfer, the
 * rest by card through (a local fake of) Stripe's signed webhook — stops them, the client gets
 * a receipt; a known client
 * at its usual amount goes out on its own; voiding stops everything; after the last reminder a
 * person takes over.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { installPlaybooks } from '../../../src/domains/finance/playbooks/index.ts';
import { createHttpApp, listen, type RunningServer } from '../../../src/server/index.ts';
import { openTestApp, userWithToken, type TestApp } from '../../helpers/app.ts';
import { testDialects } from '../../helpers/dialects.ts';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp.ts';
import { payInvoiceByCard, startFakeStripe, type FakeStripe } from '../../helpers/fake-stripe.ts';

const day = 86_400_000;

for (const dialect of testDialects()) {
  describe(`the invoice-to-cash playbook on ${dialect}`, () => {
    let t: TestApp;
    let smtp: SmtpSink;
    let http: ReturnType<typeof createHttpApp>;
    let admin: Record<string, string>;
    let stripe: FakeStripe;
    let server: RunningServer;
    before(async () => {
      smtp = await startSmtpSink();
      // The clock starts Monday 2026-01-05 09:00 UTC.
      stripe = await startFakeStripe({ now: () => t.clock.now() });
      t = await openTestApp(dialect, { config: { smtpUrl: smtp.url, businessName: 'Northwind Design', ...stripe.config, port: 0 } });
      server = await listen(t.app);
      await t.app.governance.addUser({ email: 'owner@example.com', role: 'owner' });
      admin = { ...(await userWithToken(t.app, 'admin@example.com', 'admin')).headers, 'content-type': 'application/json' };
      http = createHttpApp(t.app);
      assert.deepEqual(await installPlaybooks(t.app.engine, t.app.governance), ['invoice-to-cash']);
      assert.deepEqual(await installPlaybooks(t.app.engine, t.app.governance), [], 'installing again changes nothing');
    });
    after(async () => {
      await server.close();
      await t.close();
      await smtp.close();
      await stripe.close();
    });

    /** Runs everything that is due, then waits until the outbox has delivered the mail. */
    async function settle(): Promise<void> {
      await t.app.worker.drain();
      const deadline = Date.now() + 10_000;
      for (;;) {
        const pending = await t.app.database.db.selectFrom('outbox').select('id').where('status', '=', 'pending').limit(1).executeTakeFirst();
        if (pending === undefined || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 20));
        await t.app.worker.drain();
      }
    }
    const mails = (to: string) => smtp.messages.filter((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '') === to).map((m) => m.subject ?? '');
    const start = async (sentence: string, to: string) => {
      const { runId } = await t.app.engine.startRun('invoice-to-cash', { sentence, to, today: new Date(t.clock.now()).toISOString().slice(0, 10) });
      await settle();
      return runId;
    };
    const runOf = (id: string) => t.app.engine.getRun(id, { steps: true });
    const owner = () => t.app.governance.findUser('owner@example.com');

    test('new client: approval, PDF, reminders by the cadence, payment, receipt — then silence', async () => {
      const runId = await start('Invoice Acme Ltd $2,500 for website development due in 14 days', 'ap@acme.example');
      assert.equal((await runOf(runId)).status, 'waiting');
      const task = (await t.app.governance.listApprovals()).find((a) => a.runId === runId);
      assert.ok(task, 'the invoice waits in the inbox');
      assert.deepEqual((task.reasons as { message: string }[]).map((r) => r.message), ['a new client: the first invoice is checked by a person']);
      const draft = await t.app.database.db.selectFrom('documents').select(['number', 'status', 'due_date']).executeTakeFirstOrThrow();
      assert.deepEqual(draft, { number: 'INV-2026-0001', status: 'awaiting_approval', due_date: '2026-01-19' });

      await t.app.governance.decide(task.id, await owner(), { decision: 'approve' });
      await settle();
      assert.deepEqual(mails('ap@acme.example'), ['Invoice INV-2026-0001 from Northwind Design']);
      const invoiceMail = smtp.messages.find((m) => m.subject === 'Invoice INV-2026-0001 from Northwind Design');
      assert.equal(invoiceMail?.attachments[0]?.filename, 'INV-2026-0001.pdf');
      assert.match(invoiceMail?.text ?? '', /\/pay\/[\w-]{20,}/, 'the email carries the pay link');
      let run = await runOf(runId);
      assert.equal(run.status, 'waiting', 'waiting for payment or the first reminder');

      // Three days before the due date (2026-01-16 09:00 local): the first reminder.
      t.clock.set(Date.parse('2026-01-16T08:59:00Z'));
      await settle();
      assert.equal(mails('ap@acme.example').length, 1, 'not a minute early');
      t.clock.set(Date.parse('2026-01-16T09:00:00Z'));
      await settle();
      assert.deepEqual(mails('ap@acme.example').slice(1), ['Reminder: invoice INV-2026-0001 is due soon']);
      assert.match(smtp.messages.at(-1)?.text ?? '', /2500\.00 USD is due on 2026-01-19\.\nYou can pay it here: http:\/\/.+\/pay\//);
      // On the due date.
      t.clock.set(Date.parse('2026-01-19T09:00:00Z'));
      await settle();
      assert.deepEqual(mails('ap@acme.example').slice(2), ['Reminder: invoice INV-2026-0001 is due today']);
      // A week late: overdue.
      t.clock.set(Date.parse('2026-01-26T09:30:00Z'));
      await settle();
      assert.deepEqual(mails('ap@acme.example').slice(3), ['Overdue: invoice INV-2026-0001']);
      assert.match(smtp.messages.at(-1)?.text ?? '', /7 days overdue/);
      assert.equal((await t.app.database.db.selectFrom('documents').select('status').where('number', '=', 'INV-2026-0001').executeTakeFirstOrThrow()).status, 'overdue');

      // Paid in two parts: a bank transfer keeps the reminders going, the card payment ends them.
      const pay = (amount: string) => http.request('/api/documents/INV-2026-0001/payments', { method: 'POST', headers: admin, body: JSON.stringify({ amount, paidOn: '2026-01-27', reference: 'TRX' }) });
      assert.equal((await pay('1000.00')).status, 201);
      await settle();
      assert.equal((await runOf(runId)).status, 'waiting');
      const card = await payInvoiceByCard(t.app, server.url, stripe, 'INV-2026-0001');
      assert.equal(card.webhook.status, 200);
      await settle();
      const payments = await t.app.database.db.selectFrom('payments').select(['amount_minor', 'method']).orderBy('created_at').execute();
      assert.deepEqual(payments.slice(-2), [{ amount_minor: 100000, method: 'bank_transfer' }, { amount_minor: 150000, method: 'stripe' }], 'the card paid what was left');
      run = await runOf(runId);
      assert.equal(run.status, 'completed');
      assert.deepEqual(run.output, { invoice: 'INV-2026-0001', outcome: 'paid' });
      assert.deepEqual(mails('ap@acme.example').slice(4), ['Receipt for invoice INV-2026-0001 from Northwind Design']);

      t.clock.set(Date.parse('2026-03-01T09:00:00Z'));
      await settle();
      assert.equal(mails('ap@acme.example').length, 5, 'no reminder after payment');
      const audited = await t.app.database.db.selectFrom('audit_log').select('action').where('action', '=', 'reminder.sent').execute();
      assert.equal(audited.length, 3, 'each reminder is audited');
    });

    test('a known client at its usual amount goes out without a person', async () => {
      const runId = await start('Invoice Acme Ltd $2,400 for website maintenance due in 30 days', 'ap@acme.example');
      const run = await runOf(runId);
      assert.equal(run.status, 'waiting');
      assert.equal((await t.app.governance.listApprovals()).filter((a) => a.runId === runId).length, 0, 'nothing in the inbox');
      assert.ok(mails('ap@acme.example').includes('Invoice INV-2026-0002 from Northwind Design'));
    });

    test('an outage sends one catch-up reminder, not a burst; after the last one a person takes over', async () => {
      const runId = await start('Invoice Bright Dental $900 for SEO audit due in 10 days', 'accounts@bright.example');
      const task = (await t.app.governance.listApprovals()).find((a) => a.runId === runId);
      assert.ok(task);
      await t.app.governance.decide(task.id, await owner(), { decision: 'approve' });
      await settle();
      assert.deepEqual(mails('accounts@bright.example'), ['Invoice INV-2026-0003 from Northwind Design']);
      const { due_date: due } = await t.app.database.db.selectFrom('documents').select('due_date').where('number', '=', 'INV-2026-0003').executeTakeFirstOrThrow();
      // Nothing ran from before the first reminder until 20 days after the due date.
      t.clock.set(Date.parse(`${due}T12:00:00Z`) + 20 * day);
      await settle();
      assert.deepEqual(mails('accounts@bright.example').slice(1), ['Overdue: invoice INV-2026-0003'], 'one catch-up reminder');
      assert.match(smtp.messages.filter((m) => m.subject === 'Overdue: invoice INV-2026-0003').at(-1)?.text ?? '', /14 days overdue/);
      const stages = await t.app.database.db.selectFrom('reminders').innerJoin('documents', 'documents.id', 'reminders.document_id').select(['stage', 'reminders.status']).where('number', '=', 'INV-2026-0003').orderBy('stage').execute();
      assert.deepEqual(stages, [
        { stage: 0, status: 'skipped' },
        { stage: 1, status: 'skipped' },
        { stage: 2, status: 'skipped' },
        { stage: 3, status: 'sent' },
      ]);
      t.clock.set(Date.parse(`${due}T12:00:00Z`) + 30 * day);
      await settle();
      assert.equal(mails('accounts@bright.example').length, 3, 'the 30-day reminder');
      const chase = (await t.app.governance.listApprovals()).find((a) => a.runId === runId);
      assert.ok(chase, 'a person is asked to follow up');
      assert.match(chase.title ?? '', /INV-2026-0003 is still unpaid after the last reminder/);
      t.clock.set(Date.parse(`${due}T12:00:00Z`) + 90 * day);
      await settle();
      assert.equal(mails('accounts@bright.example').length, 3, 'no more reminders after the last stage');
    });

    test('voiding the invoice stops the reminders at once', async () => {
      const runId = await start('Invoice Jones Plumbing $700 for pipe inspection due in 14 days', 'jones@plumbing.example');
      const task = (await t.app.governance.listApprovals()).find((a) => a.runId === runId);
      assert.ok(task);
      await t.app.governance.decide(task.id, await owner(), { decision: 'approve' });
      await settle();
      const number = (await runOf(runId)).steps?.find((s) => s.stepId === 'draft')?.output as { number: string };
      await t.app.engine.committer.unit(async (tx) => {
        const { changeStatus } = await import('../../../src/domains/finance/documents.ts');
        await changeStatus(tx, t.app.database.dialect, number.number, 'void', 'user:owner@example.com', t.clock.now(), t.app.engine.hooks);
      });
      t.app.engine.wake();
      await settle();
      const run = await runOf(runId);
      assert.equal(run.status, 'completed');
      assert.deepEqual(run.output, { invoice: number.number, outcome: 'void' });
      t.clock.set(t.clock.now() + 60 * day);
      await settle();
      assert.deepEqual(mails('jones@plumbing.example'), [`Invoice ${number.number} from Northwind Design`]);
    });

    test('a person rejects: the invoice goes back to draft and nothing is sent', async () => {
      const runId = await start('Invoice Globex $12,000 for a new shop due in 30 days', 'ap@globex.example');
      const task = (await t.app.governance.listApprovals()).find((a) => a.runId === runId);
      assert.ok(task);
      const reasons = (task.reasons as { message: string }[]).map((r) => r.message);
      assert.ok(reasons.some((m) => /over 5000/.test(m)), `large amount named: ${reasons.join('; ')}`);
      await t.app.governance.decide(task.id, await owner(), { decision: 'reject', reason: 'wrong price' });
      await settle();
      const run = await runOf(runId);
      assert.equal(run.status, 'completed');
      assert.equal((run.output as { outcome: string }).outcome, 'rejected');
      assert.deepEqual(mails('ap@globex.example'), []);
    });
  });
}
