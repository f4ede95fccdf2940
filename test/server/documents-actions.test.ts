/**
 * What a person does to a document from the web app, through the API: void it (a waiting
 * invoice-to-cash run then ends with outcome void), draft a credit note for it (totals checked by
 * hand, never more than the invoice), and send it by email with its PDF (it arrives in a local
 * SMTP server). Admins only; every bad field named.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { installPlaybooks } from '../../src/domains/finance/playbooks/index.ts';
import { createHttpApp } from '../../src/server/index.ts';
import { openTestApp, userWithToken, type TestApp } from '../helpers/app.ts';
import { testDialects } from '../helpers/dialects.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';

type Json = Record<string, unknown>;
interface Doc {
  id: string;
  kind: string;
  number: string;
  status: string;
  client: { id: string; name: string };
  currency: string;
  reference: string | null;
  lines: { description: string; quantity: string; unitPrice: string; taxRate: string | null; amount: string }[];
  subtotal: string;
  taxTotal: string;
  total: string;
}

for (const dialect of testDialects()) {
  describe(`document actions on ${dialect}`, () => {
    let t: TestApp;
    let smtp: SmtpSink;
    let app: ReturnType<typeof createHttpApp>;
    const as: Record<string, Record<string, string>> = {};
    const call = async (who: string | null, method: string, path: string, body?: unknown) => {
      const res = await app.request(path, { method, headers: { ...(who === null ? {} : as[who]), 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: res.status, json: (await res.json()) as Json };
    };
    const errorOf = (json: Json) => json.error as { code: string; message: string; details?: { path?: string } };
    const draft = async (sentence: string) => (await call('admin', 'POST', '/api/documents/draft', { sentence, today: '2026-01-05' })).json.document as Doc;
    const issue = async (sentence: string) => {
      const doc = await draft(sentence);
      assert.equal((await call('admin', 'POST', `/api/documents/${doc.id}/link`)).status, 200);
      return doc;
    };
    /** Runs what is due, until the outbox has delivered everything. */
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

    before(async () => {
      smtp = await startSmtpSink();
      t = await openTestApp(dialect, { config: { smtpUrl: smtp.url, businessName: 'Northwind Design' } });
      app = createHttpApp(t.app);
      for (const role of ['owner', 'admin', 'viewer'] as const) as[role] = (await userWithToken(t.app, `${role}@example.com`, role)).headers;
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });

    test('void: admins only, a reason is needed, and a paid invoice cannot be voided', async () => {
      const doc = await issue('Invoice Bright Bakery $300 for a logo');
      assert.equal((await call(null, 'POST', `/api/documents/${doc.id}/void`, { reason: 'x' })).status, 401);
      assert.equal((await call('viewer', 'POST', `/api/documents/${doc.id}/void`, { reason: 'x' })).status, 403);
      const noReason = await call('admin', 'POST', `/api/documents/${doc.id}/void`, { reason: '  ' });
      assert.equal(noReason.status, 400);
      assert.equal(errorOf(noReason.json).details?.path, 'body.reason');
      assert.equal((await call('admin', 'POST', '/api/documents/no-such-document/void', { reason: 'x' })).status, 404);

      assert.equal((await call('admin', 'POST', `/api/documents/${doc.id}/payments`, { amount: '300.00', paidOn: '2026-01-06' })).status, 201);
      const paid = await call('admin', 'POST', `/api/documents/${doc.id}/void`, { reason: 'changed my mind' });
      assert.equal(paid.status, 409);
      assert.equal(errorOf(paid.json).code, 'DOCUMENT_STATUS_CONFLICT');
    });

    test('voiding an invoice ends its waiting invoice-to-cash run with outcome void', async () => {
      assert.deepEqual(await installPlaybooks(t.app.engine, t.app.governance), ['invoice-to-cash']);
      const { runId } = await t.app.engine.startRun('invoice-to-cash', { sentence: 'Invoice Acme Ltd $2,500 for website development due in 14 days', to: 'ap@acme.example', today: '2026-01-05' });
      await settle();
      const task = (await t.app.governance.listApprovals()).find((a) => a.runId === runId);
      assert.ok(task, 'a new client: the invoice waits in the inbox');
      await t.app.governance.decide(task.id, await t.app.governance.findUser('owner@example.com'), { decision: 'approve' });
      await settle();
      let run = await t.app.engine.getRun(runId);
      assert.equal(run.status, 'waiting', 'sent; waiting for payment or the first reminder');
      const { number } = await t.app.database.db.selectFrom('documents').select('number').where('source', '=', `run:${runId}`).executeTakeFirstOrThrow();

      const res = await call('admin', 'POST', `/api/documents/${number}/void`, { reason: 'the client cancelled the project' });
      assert.equal(res.status, 200, JSON.stringify(res.json));
      assert.equal((res.json.document as Doc).status, 'void');
      await settle();
      run = await t.app.engine.getRun(runId);
      assert.equal(run.status, 'completed');
      assert.deepEqual(run.output, { invoice: number, outcome: 'void' });
      const reminders = smtp.messages.filter((m) => /Reminder|Overdue/.test(m.subject ?? ''));
      assert.deepEqual(reminders, [], 'no reminder went out');
      const audit = (await call('viewer', 'GET', `/api/audit?action=document.voided`)).json.entries as { actor: string; data: { number: string; reason: string } }[];
      assert.deepEqual(audit.map((e) => [e.actor, e.data.number, e.data.reason]), [['user:admin@example.com', number, 'the client cancelled the project']]);
    });

    test('a credit note is a draft for the invoice total by default, never more than what is left', async () => {
      const invoice = await issue('Invoice Corner Shop $2,500 for website development');
      assert.equal((await call('viewer', 'POST', `/api/documents/${invoice.id}/credit-note`, { reason: 'x' })).status, 403);
      const full = await call('admin', 'POST', `/api/documents/${invoice.id}/credit-note`, { reason: 'project cancelled' });
      assert.equal(full.status, 201, JSON.stringify(full.json));
      const note = full.json.document as Doc;
      assert.deepEqual([note.kind, note.status, note.client.name, note.currency, note.reference, note.total], ['credit_note', 'draft', 'Corner Shop', 'USD', invoice.number, '2500.00']);
      assert.match(note.number, /^CN-\d{4}-0001$/);
      assert.deepEqual(note.lines.map((l) => [l.description, l.quantity, l.unitPrice, l.taxRate, l.amount]), [[`Credit for ${invoice.number}: project cancelled`, '1', '2500.00', null, '2500.00']]);

      // Credited in full: nothing more. Voiding that credit note frees the amount again.
      const more = await call('admin', 'POST', `/api/documents/${invoice.id}/credit-note`, { reason: 'again' });
      assert.equal(more.status, 409);
      assert.match(errorOf(more.json).message, /credited in full/);
      assert.equal((await call('admin', 'POST', `/api/documents/${note.id}/void`, { reason: 'wrong amount' })).status, 200);
      const part = await call('admin', 'POST', `/api/documents/${invoice.id}/credit-note`, { amount: '1000', reason: 'one page dropped' });
      assert.equal((part.json.document as Doc).total, '1000.00');
      const tooMuch = await call('admin', 'POST', `/api/documents/${invoice.id}/credit-note`, { amount: '1500.01', reason: 'x' });
      assert.equal(tooMuch.status, 400);
      assert.equal(errorOf(tooMuch.json).details?.path, 'amount');
      assert.match(errorOf(tooMuch.json).message, /at most 1500\.00 USD .* \(1000\.00 is credited already\)/);
      for (const [amount, path] of [['0', 'amount'], ['10.001', 'amount'], ['-5', 'body.amount'], ['ten', 'body.amount']]) {
        const bad = await call('admin', 'POST', `/api/documents/${invoice.id}/credit-note`, { amount, reason: 'x' });
        assert.equal(bad.status, 400, amount);
        assert.equal(errorOf(bad.json).details?.path, path, `${amount}: ${errorOf(bad.json).message}`);
      }
      const rest = await call('admin', 'POST', `/api/documents/${invoice.id}/credit-note`, { reason: 'the rest' });
      assert.equal((rest.json.document as Doc).total, '1500.00', 'the default is what is left');

      const unsent = await draft('Invoice Corner Shop $10 for a draft');
      const refused = await call('admin', 'POST', `/api/documents/${unsent.id}/credit-note`, { reason: 'x' });
      assert.equal(refused.status, 409);
      assert.match(errorOf(refused.json).message, /has not been sent: void it/);
    });

    test('a credit note for a taxed invoice carries its tax rate when the amount comes out exactly', async () => {
      const invoice = await issue('Invoice Nordic Tools 3 hours consulting at 120 EUR plus 21% VAT');
      assert.deepEqual([invoice.subtotal, invoice.taxTotal, invoice.total], ['360.00', '75.60', '435.60']);
      const full = (await call('admin', 'POST', `/api/documents/${invoice.id}/credit-note`, { reason: 'not delivered' })).json.document as Doc;
      assert.deepEqual([full.subtotal, full.taxTotal, full.total, full.lines[0]?.taxRate], ['360.00', '75.60', '435.60', '21']);
      assert.equal((await call('admin', 'POST', `/api/documents/${full.id}/void`, { reason: 'redo' })).status, 200);
      // 121.00 incl. 21% is 100.00 + 21.00; 100.00 incl. 21% cannot be reached in whole cents (82.64 → 99.99, 82.65 → 100.01).
      const exact = (await call('admin', 'POST', `/api/documents/${invoice.id}/credit-note`, { amount: '121.00', reason: 'one hour less' })).json.document as Doc;
      assert.deepEqual([exact.subtotal, exact.taxTotal, exact.total], ['100.00', '21.00', '121.00']);
      const untaxed = (await call('admin', 'POST', `/api/documents/${invoice.id}/credit-note`, { amount: '100.00', reason: 'goodwill' })).json.document as Doc;
      assert.deepEqual([untaxed.subtotal, untaxed.taxTotal, untaxed.total, untaxed.lines[0]?.taxRate], ['100.00', '0.00', '100.00', null]);
    });

    test('send by email: the PDF arrives in the mailbox; a draft becomes sent; a void document is refused', async () => {
      const doc = await draft('Invoice Harbour Cafe $480 for menu design due in 10 days');
      assert.equal((await call('viewer', 'POST', `/api/documents/${doc.id}/send`, { to: 'owner@harbour.example' })).status, 403);
      const badTo = await call('admin', 'POST', `/api/documents/${doc.id}/send`, { to: 'harbour cafe' });
      assert.equal(badTo.status, 400);
      assert.equal(errorOf(badTo.json).details?.path, 'body.to');

      const res = await call('admin', 'POST', `/api/documents/${doc.id}/send`, { to: 'owner@harbour.example', message: 'Here is the invoice for the new menus.' });
      assert.equal(res.status, 201, JSON.stringify(res.json));
      const run = res.json.run as { id: string; workflowId: string; status: string };
      assert.deepEqual([run.workflowId, run.status], ['send-document', 'completed']);
      assert.equal((res.json.document as Doc).status, 'sent');
      await settle();
      const mail = smtp.messages.find((m) => m.subject === `Invoice ${doc.number} from Northwind Design`);
      assert.ok(mail, 'the email arrived');
      assert.equal(mail.to !== undefined && !Array.isArray(mail.to) ? mail.to.text : '', 'owner@harbour.example');
      assert.match(mail.text ?? '', /Here is the invoice for the new menus\./);
      const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf');
      assert.equal(pdf?.filename, `${doc.number}.pdf`);
      assert.equal(pdf?.content.subarray(0, 5).toString(), '%PDF-');

      // Sent again (to another address): the document stays as it is, a second email goes out.
      const again = await call('admin', 'POST', `/api/documents/${doc.id}/send`, { to: 'accounts@harbour.example' });
      assert.equal(again.status, 201);
      await settle();
      assert.equal(smtp.messages.filter((m) => m.subject === `Invoice ${doc.number} from Northwind Design`).length, 2);

      assert.equal((await call('admin', 'POST', `/api/documents/${doc.id}/void`, { reason: 'duplicate' })).status, 200);
      const refused = await call('admin', 'POST', `/api/documents/${doc.id}/send`, { to: 'owner@harbour.example' });
      assert.equal(refused.status, 409);
      assert.equal(errorOf(refused.json).code, 'DOCUMENT_VOID');
      const workflows = (await call('viewer', 'GET', '/api/workflows')).json.workflows as { id: string }[];
      assert.equal(workflows.filter((w) => w.id === 'send-document').length, 1, 'the playbook was added once');
    });
  });
}
