/**
 * Reconciliation against real invoices: confident matches become payments at once; the others
 * wait in the inbox, where approving records the payments (and wakes the runs waiting for them)
 * and rejecting leaves the transaction for a manual match. Nothing is applied twice.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OpsLoop } from '../../../../src/app.ts';
import { createLogger } from '../../../../src/core/logger.ts';
import { getDocument, importStatement, listTransactions, matchManually, reconcile, reviewWorkflowId, type ReconcileResult } from '../../../../src/domains/finance/index.ts';
import { openTestApp, userWithToken, type TestApp } from '../../../helpers/app.ts';
import { testDialects } from '../../../helpers/dialects.ts';
import { countRows, sendInvoices } from './helpers.ts';

const account = 'DE44 5001 0517 5407 3249 31';
const mapping = { date: 'Date', amount: 'Amount', description: 'Text', counterparty: 'Name', dateFormat: 'DD/MM/YYYY' };
const statement = [
  'Date;Name;Text;Amount',
  '08/01/2026;Acme Limited;RE INV-2026-0001 website;1.200,00',
  '09/01/2026;Stadtwerke;Strom Januar;-84,50',
  '12/01/2026;Müller GmbH;Teilzahlung INV 2026 0002;200,00',
  '20/01/2026;Globex Incorporated;INV-2026-0003 + INV-2026-0004;750,00',
  '21/01/2026;Initech;INV-2026-0005 rate 1;500,00',
  '25/01/2026;Initech;INV-2026-0005 rate 2;1.500,00',
  '26/01/2026;Umbrella Corporation;Audit;640,00',
  '27/01/2026;Someone Else;Gift;55,55',
].join('\n');

const summary = (r: ReconcileResult) => ({
  applied: r.applied.map((a) => `${a.date} ${a.amount} → ${a.allocations.map((x) => `${x.invoice}=${x.amount}(${x.status})`).join(' ')}`),
  proposed: r.proposed.map((p) => `${p.transaction.date} ${p.transaction.amount} → ${p.allocations.map((x) => `${x.invoice}=${x.amount}`).join(' ')} @${p.confidence}`),
  unmatched: r.unmatched,
});

for (const dialect of testDialects()) {
  describe(`bank reconciliation on ${dialect}`, () => {
    let t: TestApp;
    let reviewer: Awaited<ReturnType<OpsLoop['governance']['findUser']>>;
    before(async () => {
      t = await openTestApp(dialect);
      await userWithToken(t.app, 'books@example.com', 'reviewer', { approvalLimit: 1000, approvalLimitCurrency: 'EUR' });
      reviewer = await t.app.governance.findUser('books@example.com');
      await t.app.engine.addWorkflow({
        id: 'await-payment',
        steps: [
          { id: 'paid', type: 'wait', event: 'payment.received', key: 'input.number', timeout: '30d' },
          { id: 'done', type: 'end', output: { received: '{{ steps.paid.amount }}', status: '{{ steps.paid.status }}' } },
        ],
      });
    });
    after(async () => t.close());

    test('exact, one-to-many and completing payments apply; partial and name-only ones go to the inbox', async () => {
      const numbers = await sendInvoices(t, [
        'Invoice Acme Ltd €1,200 for website design',
        'Invoice Müller GmbH EUR 480.50 for hosting',
        'Invoice Globex Inc €300 for support',
        'Invoice Globex Inc €450 for training',
        'Invoice Initech €2,000 for consulting',
        'Invoice Umbrella Corp €640 for the audit',
      ]);
      assert.deepEqual(numbers, ['INV-2026-0001', 'INV-2026-0002', 'INV-2026-0003', 'INV-2026-0004', 'INV-2026-0005', 'INV-2026-0006']);
      const waiting = await t.app.engine.startRun('await-payment', { number: 'INV-2026-0002' });
      const imported = await importStatement(t.app.engine, { content: statement, account, currency: 'EUR', mapping });
      assert.equal(imported.new, 8);

      const result = await reconcile(t.app.engine, { actor: 'user:books@example.com' });
      assert.deepEqual(summary(result), {
        applied: [
          '2026-01-08 1200.00 → INV-2026-0001=1200.00(paid)',
          '2026-01-20 750.00 → INV-2026-0003=300.00(paid) INV-2026-0004=450.00(paid)',
          '2026-01-25 1500.00 → INV-2026-0005=1500.00(partially_paid)',
        ],
        proposed: ['2026-01-12 200.00 → INV-2026-0002=200.00 @0.8', '2026-01-21 500.00 → INV-2026-0005=500.00 @0.8', '2026-01-26 640.00 → INV-2026-0006=640.00 @0.8'],
        unmatched: 1,
      });
      assert.match(result.applied[2]?.reasons.join('\n') ?? '', /500.00 EUR of INV-2026-0005 is counted as paid by a proposal waiting in the inbox/);
      assert.deepEqual(result.proposed[2]?.reasons, [
        'no invoice number in the reference or text',
        'the amount 640.00 EUR is exactly what INV-2026-0006 still owes',
        'the payer "Umbrella Corporation" matches the client "Umbrella Corp" (similarity 1.00)',
        "no other open invoice, or set of this client's invoices, fits this amount",
        'paid on 2026-01-26, on or after the invoice date (latest 2026-01-02)',
      ]);
      assert.equal((await getDocument(t.app.database.db, 'INV-2026-0001')).status, 'paid');

      // The inbox: one task per proposal, showing the proposal, with the amount for approver limits.
      const tasks = await t.app.governance.listApprovals({ status: 'open' });
      assert.equal(tasks.length, 3);
      assert.ok(tasks.every((task) => task.workflowId === reviewWorkflowId && task.currency === 'EUR'));
      const muller = tasks.find((task) => task.runId === result.proposed[0]?.runId);
      assert.ok(muller);
      assert.equal(muller.id, result.proposed[0]?.taskId);
      assert.equal(muller.amount, 200);
      const shown = muller.proposed as { transaction: { counterparty: string }; invoices: { number: string; outstanding: string }[]; confidence: number; reasons: string[] };
      assert.deepEqual([shown.transaction.counterparty, shown.invoices, shown.confidence], ['Müller GmbH', [{ number: 'INV-2026-0002', client: 'Müller GmbH', issueDate: '2026-01-02', outstanding: '480.50' }], 0.8]);

      // Reconciling again opens no second task and applies nothing twice.
      const again = await reconcile(t.app.engine);
      assert.deepEqual([again.applied.length, again.proposed.map((p) => p.created), again.unmatched], [0, [false, false, false], 1]);
      assert.deepEqual(again.proposed.map((p) => p.runId), result.proposed.map((p) => p.runId));
      assert.equal((await t.app.governance.listApprovals({ status: 'all' })).length, 3);

      // Approving in the inbox records the payment; the run waiting for it wakes.
      await t.app.governance.decide(muller.id, reviewer, { decision: 'approve' });
      await t.app.worker.drain();
      const invoice = await getDocument(t.app.database.db, 'INV-2026-0002');
      assert.deepEqual([invoice.status, invoice.paid], ['partially_paid', '200.00']);
      assert.deepEqual((await t.app.engine.getRun(waiting.runId)).output, { received: '200.00', status: 'partially_paid' });
      const initech = tasks.find((task) => task.runId === result.proposed[1]?.runId);
      await t.app.governance.decide(initech?.id ?? '', reviewer, { decision: 'approve' });
      await t.app.worker.drain();
      assert.equal((await getDocument(t.app.database.db, 'INV-2026-0005')).status, 'paid');

      // Rejecting leaves the transaction unmatched; reconciliation does not ask again.
      const umbrella = tasks.find((task) => task.runId === result.proposed[2]?.runId);
      await t.app.governance.decide(umbrella?.id ?? '', reviewer, { decision: 'reject', reason: 'that was a deposit for next year' });
      await t.app.worker.drain();
      assert.equal((await getDocument(t.app.database.db, 'INV-2026-0006')).status, 'sent');
      const third = await reconcile(t.app.engine);
      assert.deepEqual(summary(third), { applied: [], proposed: [], unmatched: 2 });
      assert.equal((await t.app.governance.listApprovals({ status: 'all' })).length, 3);

      // A person matches it by hand instead.
      const open = await listTransactions(t.app.database.db, { status: 'unmatched' });
      const umbrellaTx = open.find((x) => x.counterparty === 'Umbrella Corporation');
      assert.ok(umbrellaTx);
      const manual = await matchManually(t.app.engine, umbrellaTx.id, [{ invoice: 'INV-2026-0006', amount: '640.00' }], { actor: 'user:books@example.com' });
      assert.deepEqual(manual.allocations.map((a) => [a.invoice, a.status]), [['INV-2026-0006', 'paid']]);

      const matched = await listTransactions(t.app.database.db, { status: 'matched' });
      assert.deepEqual(matched.map((x) => `${x.date} ${x.matches.map((m) => `${m.invoice}:${m.method}`).join(',')}`).sort(), [
        '2026-01-08 INV-2026-0001:auto',
        '2026-01-12 INV-2026-0002:review',
        '2026-01-20 INV-2026-0003:auto,INV-2026-0004:auto',
        '2026-01-21 INV-2026-0005:review',
        '2026-01-25 INV-2026-0005:auto',
        '2026-01-26 INV-2026-0006:manual',
      ]);
      const events = await t.app.database.db.selectFrom('events').select(['key']).where('name', '=', 'payment.received').execute();
      assert.equal(events.length, 7, 'one payment.received per payment');
      const audit = await t.app.governance.searchAudit({ action: 'bank.matched' });
      assert.equal(audit.length, 6);
      // Re-importing the statement changes nothing.
      const before = await countRows(t);
      assert.equal((await importStatement(t.app.engine, { content: statement, account, currency: 'EUR', mapping })).new, 0);
      assert.deepEqual(summary(await reconcile(t.app.engine)), { applied: [], proposed: [], unmatched: 1 });
      assert.deepEqual({ ...(await countRows(t)), statements: before.statements }, before);
    });

    test('a proposal approved after the transaction was matched by hand records nothing twice', async () => {
      await sendInvoices(t, ['Invoice Wayne Enterprises €900 for a retainer'], '2026-02-01');
      await importStatement(t.app.engine, { content: 'Date;Name;Text;Amount\n03/02/2026;Wayne Enterprises;retainer;400,00', account, currency: 'EUR', mapping });
      const { proposed } = await reconcile(t.app.engine);
      assert.equal(proposed.length, 1);
      const [proposal] = proposed;
      assert.ok(proposal);
      await matchManually(t.app.engine, proposal.transaction.id, [{ invoice: 'INV-2026-0007', amount: '400.00' }], { actor: 'user:books@example.com' });
      await assert.rejects(matchManually(t.app.engine, proposal.transaction.id, [{ invoice: 'INV-2026-0007', amount: '400.00' }]), /is already matched/);
      await t.app.governance.decide(proposal.taskId ?? '', reviewer, { decision: 'approve' });
      await t.app.worker.drain();
      const run = await t.app.engine.getRun(proposal.runId);
      assert.equal(run.status, 'completed');
      assert.deepEqual(run.output, { applied: false, reason: 'the transaction was matched meanwhile by user:books@example.com' });
      const invoice = await getDocument(t.app.database.db, 'INV-2026-0007');
      assert.deepEqual([invoice.status, invoice.paid], ['partially_paid', '400.00']);
    });

    test('two reconciliations at once (on PostgreSQL: two processes) apply each transaction once', async () => {
      await sendInvoices(t, ['Invoice Hooli €250 for a workshop', 'Invoice Pied Piper €125.50 for support'], '2026-03-01');
      await importStatement(t.app.engine, { content: 'Date;Name;Text;Amount\n05/03/2026;Hooli;INV-2026-0008;250,00\n06/03/2026;Pied Piper Inc;INV-2026-0009;125,50', account, currency: 'EUR', mapping });
      const other = dialect === 'postgres' ? await OpsLoop.open({ env: {}, config: { ...t.db.config, workerId: 'second' }, logger: createLogger('silent'), clock: t.clock }) : t.app;
      try {
        const results = await Promise.all([reconcile(t.app.engine), reconcile(other.engine), reconcile(t.app.engine)]);
        assert.equal(results.flatMap((r) => r.applied).length, 2);
      } finally {
        if (other !== t.app) await other.close();
      }
      const payments = await t.app.database.db.selectFrom('payments').innerJoin('documents', 'documents.id', 'payments.document_id').select('documents.number').where('documents.number', 'in', ['INV-2026-0008', 'INV-2026-0009']).execute();
      assert.equal(payments.length, 2);
      assert.equal((await getDocument(t.app.database.db, 'INV-2026-0009')).status, 'paid');
    });
  });
}
