/**
 * An issued credit note settles the invoice it credits: the amount due drops everywhere a person
 * looks (the invoice, its pay page and PDF, receivables, the client's balance); a full credit makes
 * the invoice paid, which stops its reminders and ends its invoice-to-cash run without a receipt;
 * what the invoice did not need is the client's credit; voiding the credit note takes it back;
 * two credit notes issued at once never take an invoice below zero.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { changeDocumentStatus, creditSales, payLink, receivablesReport, recordPayment } from '../../../src/domains/finance/index.ts';
import { assertReopen, reopenedStatus, settledStatus } from '../../../src/domains/finance/status.ts';
import { installPlaybooks } from '../../../src/domains/finance/playbooks/index.ts';
import { createHttpApp } from '../../../src/server/index.ts';
import { openTestApp, userWithToken, type TestApp } from '../../helpers/app.ts';
import { testDialects } from '../../helpers/dialects.ts';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp.ts';
import { allText } from './pdf/helpers.ts';
import { bank, pathOf, publicUrl, textOf } from './paylinks/helpers.ts';

type Json = Record<string, unknown>;
interface Doc {
  id: string;
  kind: string;
  number: string;
  status: string;
  client: { id: string; name: string };
  reference: string | null;
  total: string;
  paid: string;
  credited: string;
  unapplied: string | null;
}
interface Client {
  openBalance: { currency: string; amount: string }[];
  credit: { currency: string; amount: string }[];
}

const day = 86_400_000;

describe('settling by credit: the rules', () => {
  test('a credit or payment makes an invoice partially paid, or paid once nothing is left', () => {
    assert.equal(settledStatus(100000n, 15000n), 'partially_paid');
    assert.equal(settledStatus(100000n, 100000n), 'paid');
  });

  test('taking a credit off moves the invoice to what its amounts and dates say', () => {
    const invoice = { totalMinor: 100000n, dueDate: '2026-01-19' };
    assert.equal(reopenedStatus({ ...invoice, settledMinor: 0n, today: '2026-01-10' }), 'sent');
    assert.equal(reopenedStatus({ ...invoice, settledMinor: 20000n, today: '2026-01-10' }), 'partially_paid');
    assert.equal(reopenedStatus({ ...invoice, settledMinor: 0n, today: '2026-01-19' }), 'sent', 'due today is not overdue yet');
    assert.equal(reopenedStatus({ ...invoice, settledMinor: 20000n, today: '2026-01-20' }), 'overdue');
    assert.equal(reopenedStatus({ ...invoice, settledMinor: 100000n, today: '2026-01-20' }), 'paid');
    assert.equal(reopenedStatus({ ...invoice, dueDate: null, settledMinor: 0n, today: '2027-01-01' }), 'sent', 'no due date: never overdue');
    assert.doesNotThrow(() => assertReopen('invoice', 'paid', 'overdue', 'INV-1'));
    assert.throws(() => assertReopen('invoice', 'void', 'sent', 'INV-1'), /INV-1 is void; taking a credit off cannot move a invoice to sent/);
    assert.throws(() => assertReopen('quote', 'paid', 'sent', 'QUO-1'), (e: Error & { code?: string }) => e.code === 'DOCUMENT_STATUS_CONFLICT');
  });

  test('credit notes issued in the period come off the credit sales DSO divides by', () => {
    const invoices = [{ currency: 'GBP', issueDate: '2026-01-05', dueDate: null, totalMinor: 100000n, payments: [] }];
    const credits = [
      { currency: 'GBP', issueDate: '2026-01-10', totalMinor: 15000n },
      { currency: 'GBP', issueDate: '2026-02-10', totalMinor: 5000n },
    ];
    assert.deepEqual([...creditSales(invoices, '2026-01-01', '2026-01-31', credits)], [['GBP', 85000n]]);
    assert.deepEqual([...creditSales(invoices, '2026-01-01', '2026-01-31')], [['GBP', 100000n]]);
  });
});

for (const dialect of testDialects()) {
  describe(`credit notes settling invoices on ${dialect}`, () => {
    let t: TestApp;
    let smtp: SmtpSink;
    let http: ReturnType<typeof createHttpApp>;
    const as: Record<string, Record<string, string>> = {};
    const call = async (who: 'admin' | 'viewer', method: string, path: string, body?: unknown) => {
      const res = await http.request(path, { method, headers: { ...as[who], 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: res.status, json: (await res.json()) as Json };
    };
    const errorOf = (json: Json) => json.error as { code: string; message: string };
    const doc = async (id: string) => (await call('viewer', 'GET', `/api/documents/${id}`)).json.document as Doc;
    /** A sent invoice, from one sentence dated 2026-01-05. */
    const invoice = async (sentence: string) => {
      const draft = (await call('admin', 'POST', '/api/documents/draft', { sentence, today: '2026-01-05' })).json.document as Doc;
      assert.equal((await call('admin', 'POST', `/api/documents/${draft.id}/link`)).status, 200);
      return doc(draft.id);
    };
    const creditNote = async (invoiceId: string, body: Json) => {
      const res = await call('admin', 'POST', `/api/documents/${invoiceId}/credit-note`, body);
      assert.equal(res.status, 201, JSON.stringify(res.json));
      return res.json.document as Doc;
    };
    /** Issues a credit note as a person does: "Send by email" (a draft becomes sent). */
    const send = async (noteId: string, to: string) => {
      const res = await call('admin', 'POST', `/api/documents/${noteId}/send`, { to });
      assert.equal(res.status, 201, JSON.stringify(res.json));
      assert.equal((res.json.run as { status: string }).status, 'completed');
      await settle();
      return doc(noteId);
    };
    /** Issues it through "Mark sent and get link". */
    const markSent = async (noteId: string) => call('admin', 'POST', `/api/documents/${noteId}/link`);
    const pay = (id: string, amount: string, paidOn = '2026-01-08') => call('admin', 'POST', `/api/documents/${id}/payments`, { amount, paidOn });
    const client = async (id: string) => (await call('viewer', 'GET', `/api/clients/${id}`)).json.client as Client;
    const mailsTo = (to: string) => smtp.messages.filter((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '') === to).map((m) => m.subject ?? '');
    const paymentEvents = (number: string) => t.app.database.db.selectFrom('events').select('id').where('name', '=', 'payment.received').where('key', '=', number).execute();
    const pagePath = (number: string) => t.app.engine.committer.unit(async (tx) => pathOf(await payLink(tx, number, { publicUrl })));
    const pageText = async (path: string) => textOf(await (await http.request(path)).text());
    const pdfText = async (id: string) => allText(new Uint8Array(await (await http.request(`/api/documents/${id}/pdf`, { headers: as.viewer })).arrayBuffer()));

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
      t = await openTestApp(dialect, { config: { smtpUrl: smtp.url, businessName: 'Northwind Design', publicUrl, ...bank } });
      http = createHttpApp(t.app);
      for (const role of ['owner', 'admin', 'viewer'] as const) as[role] = (await userWithToken(t.app, `${role}@example.com`, role)).headers;
      assert.deepEqual(await installPlaybooks(t.app.engine, t.app.governance), ['invoice-to-cash']);
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });

    test('a partial credit lowers what is owed on the invoice, its pay page and PDF, in receivables and in the client balance', async () => {
      const inv = await invoice('Invoice Riverside Cafe £1,000 for a new menu due in 30 days');
      const path = await pagePath(inv.number);
      const note = await creditNote(inv.id, { amount: '150', reason: 'one menu page dropped' });
      assert.deepEqual([(await doc(inv.id)).paid, (await doc(inv.id)).status], ['0.00', 'sent'], 'a draft credit note settles nothing yet');

      const issued = await send(note.id, 'owner@riverside.example');
      assert.deepEqual([issued.status, issued.credited, issued.unapplied], ['sent', '150.00', '0.00']);
      const credited = await doc(inv.id);
      assert.deepEqual([credited.status, credited.total, credited.paid, credited.credited], ['partially_paid', '1000.00', '150.00', '150.00']);

      const page = await pageText(path);
      assert.match(page, /Amount due 850\.00 GBP/);
      assert.match(page, /Credited 150\.00 GBP/);
      assert.doesNotMatch(page, /Paid so far/, 'no money came in');
      const pdf = await pdfText(inv.id);
      assert.ok(pdf.includes('Please pay 850.00 GBP by 2026-02-04'), pdf);
      assert.ok(pdf.includes('Credited') && !pdf.includes('Amount paid'), pdf);

      const report = await receivablesReport(t.app.database.db, { from: '2026-01-01', asOf: '2026-01-31' });
      const gbp = report.byCurrency.find((c) => c.currency === 'GBP');
      assert.deepEqual([gbp?.outstanding, gbp?.creditSales], ['850.00', '850.00']);
      assert.deepEqual((await client(inv.client.id)).openBalance, [{ currency: 'GBP', amount: '850.00' }]);
      assert.deepEqual((await client(inv.client.id)).credit, []);

      assert.deepEqual(await paymentEvents(inv.number), [], 'no payment.received for a credit');
      assert.deepEqual(mailsTo('owner@riverside.example'), [`Credit note ${note.number} from Northwind Design`], 'the credit note went out; no receipt');
      const audit = await t.app.governance.searchAudit({ subjectId: inv.id, action: 'record.changed' });
      assert.ok(audit.some((e) => JSON.stringify(e.data).includes(`"creditNote":"${note.number}"`)), 'the allocation is audited on the invoice');

      // The client pays the rest in two parts; the second one settles it.
      assert.equal((await pay(inv.id, '900.00')).status, 409, 'never more than what is left after the credit');
      assert.equal((await pay(inv.id, '400.00')).status, 201);
      assert.equal((await pay(inv.id, '450.00')).status, 201);
      const paid = await doc(inv.id);
      assert.deepEqual([paid.status, paid.paid, paid.credited], ['paid', '1000.00', '150.00']);
      const paidPage = await pageText(path);
      assert.match(paidPage, /Credited 150\.00 GBP/);
      assert.deepEqual((await client(inv.client.id)).openBalance, []);
    });

    /** An invoice-to-cash run whose invoice a person approved and that now waits for payment. */
    const sentByPlaybook = async (sentence: string, to: string) => {
      const { runId } = await t.app.engine.startRun('invoice-to-cash', { sentence, to, today: '2026-01-05' });
      await settle();
      const task = (await t.app.governance.listApprovals()).find((a) => a.runId === runId);
      if (task !== undefined) await t.app.governance.decide(task.id, await t.app.governance.findUser('owner@example.com'), { decision: 'approve' });
      await settle();
      assert.equal((await t.app.engine.getRun(runId)).status, 'waiting');
      const { id, number } = await t.app.database.db.selectFrom('documents').select(['id', 'number']).where('source', '=', `run:${runId}`).executeTakeFirstOrThrow();
      return { runId, id, number };
    };

    test('a full credit makes the invoice paid: reminders stop and the waiting run ends without a receipt', async () => {
      const { runId, id, number } = await sentByPlaybook('Invoice Hilltop Farm $1,200 for a website due in 14 days', 'ap@hilltop.example');
      const path = await pagePath(number);

      const note = await creditNote(id, { reason: 'project cancelled' });
      assert.equal(note.total, '1200.00', 'the default is the whole invoice');
      assert.equal((await markSent(note.id)).status, 200);
      t.app.engine.wake();
      await settle();
      const inv = await doc(id);
      assert.deepEqual([inv.status, inv.paid, inv.credited], ['paid', '1200.00', '1200.00']);
      const run = await t.app.engine.getRun(runId);
      assert.equal(run.status, 'completed');
      assert.deepEqual(run.output, { invoice: number, outcome: 'credited', creditNote: note.number });

      // Past every reminder date: nothing more goes out, and nobody is thanked for a payment.
      t.clock.set(t.clock.now() + 60 * day);
      await settle();
      assert.deepEqual(mailsTo('ap@hilltop.example'), [`Invoice ${number} from Northwind Design`]);
      assert.deepEqual(await t.app.database.db.selectFrom('reminders').select('stage').where('document_id', '=', id).execute(), []);
      assert.deepEqual(await paymentEvents(number), []);
      assert.match(await pageText(path), /paid in full\. Nothing more is needed/);
      assert.ok((await pdfText(id)).includes('Settled in full by credit note. Nothing is due.'));
      t.clock.set(t.clock.now() - 60 * day);
    });

    test('partly credited, then paid: the run ends paid and the receipt thanks for the money and names the credit', async () => {
      const { runId, id, number } = await sentByPlaybook('Invoice Lakeside Gallery $2,000 for an online shop due in 30 days', 'ap@lakeside.example');
      const note = await creditNote(id, { amount: '500', reason: 'no blog' });
      assert.equal((await markSent(note.id)).status, 200);
      t.app.engine.wake();
      await settle();
      assert.equal((await t.app.engine.getRun(runId)).status, 'waiting', 'still owed 1500.00: reminders go on');
      assert.equal((await pay(id, '1500.00')).status, 201);
      t.app.engine.wake();
      await settle();
      const run = await t.app.engine.getRun(runId);
      assert.deepEqual([run.status, run.output], ['completed', { invoice: number, outcome: 'paid' }]);
      const receipt = smtp.messages.find((m) => m.subject === `Receipt for invoice ${number} from Northwind Design`);
      assert.ok(receipt, 'money came in: a receipt');
      assert.match(receipt.text ?? '', /we received your payment of 1500\.00 USD for invoice .*\. With the credit of 500\.00 USD, it is now paid in full\./);
    });

    test('an older copy of the playbook that goes to the receipt sends none for a credited invoice', async () => {
      await t.app.engine.addWorkflow({ id: 'receipt-only', steps: [{ id: 'receipt', type: 'action', action: 'finance.receipt', input: { document: '{{ input.number }}', to: 'ap@oldbook.example' } }] });
      const inv = await invoice('Invoice Old Book Shop $300 for a logo');
      const note = await creditNote(inv.id, { reason: 'goodwill' });
      assert.equal((await markSent(note.id)).status, 200);
      const { runId } = await t.app.engine.startRun('receipt-only', { number: inv.number });
      await settle();
      const run = await t.app.engine.getRun(runId, { steps: true });
      assert.equal(run.status, 'completed');
      assert.deepEqual((run.steps?.find((s) => s.stepId === 'receipt')?.output as { sent: boolean }).sent, false);
      assert.deepEqual(mailsTo('ap@oldbook.example'), []);
    });

    test('a credit on a paid invoice is the client\'s credit; one drafted before a payment applies only to what is left', async () => {
      const paidInvoice = await invoice('Invoice Bayview Dental $500 for a logo');
      assert.equal((await pay(paidInvoice.id, '500.00')).status, 201);
      const refund = await creditNote(paidInvoice.id, { amount: '200', reason: 'logo reworked late' });
      assert.equal((await markSent(refund.id)).status, 200);
      const issued = await doc(refund.id);
      assert.deepEqual([issued.status, issued.credited, issued.unapplied], ['sent', '0.00', '200.00']);
      const stillPaid = await doc(paidInvoice.id);
      assert.deepEqual([stillPaid.status, stillPaid.paid, stillPaid.credited], ['paid', '500.00', '0.00']);
      const bayview = await client(paidInvoice.client.id);
      assert.deepEqual([bayview.openBalance, bayview.credit], [[], [{ currency: 'USD', amount: '200.00' }]]);

      // Drafted for 500 while nothing was paid; 700 came in before it was issued: it settles the last 300.
      const inv = await invoice('Invoice Bayview Dental $1,000 for a website');
      const note = await creditNote(inv.id, { amount: '500', reason: 'fewer pages' });
      assert.equal((await pay(inv.id, '700.00')).status, 201);
      assert.equal((await markSent(note.id)).status, 200);
      const settled = await doc(inv.id);
      assert.deepEqual([settled.status, settled.paid, settled.credited], ['paid', '1000.00', '300.00']);
      assert.deepEqual([(await doc(note.id)).credited, (await doc(note.id)).unapplied], ['300.00', '200.00']);
      assert.deepEqual((await client(inv.client.id)).credit, [{ currency: 'USD', amount: '400.00' }], 'both leftovers are the client\'s');
    });

    test('voiding an issued credit note restores the invoice; an invoice with credit applied cannot be voided first', async () => {
      // Partly credited, back to sent (not due yet).
      const a = await invoice('Invoice Maple Books $800 for a catalogue due in 14 days');
      const noteA = await creditNote(a.id, { amount: '300', reason: 'late delivery' });
      assert.equal((await markSent(noteA.id)).status, 200);
      await t.app.engine.committer.unit((tx) => changeDocumentStatus(tx, t.app.database.dialect, a.id, 'overdue', 'user:owner@example.com', t.clock.now(), t.app.engine.hooks));
      const refused = await call('admin', 'POST', `/api/documents/${a.id}/void`, { reason: 'client went away' });
      assert.equal(refused.status, 409);
      assert.equal(errorOf(refused.json).code, 'INVOICE_HAS_CREDIT');
      assert.match(errorOf(refused.json).message, new RegExp(`credit note ${noteA.number} \\(300\\.00 USD\\) is applied to it; void the credit note first`));
      assert.equal((await doc(a.id)).status, 'overdue', 'nothing changed');

      const voided = await call('admin', 'POST', `/api/documents/${noteA.id}/void`, { reason: 'issued by mistake' });
      assert.equal(voided.status, 200, JSON.stringify(voided.json));
      assert.deepEqual([(voided.json.document as Doc).status, (voided.json.document as Doc).unapplied, (voided.json.document as Doc).credited], ['void', null, '0.00']);
      const restored = await doc(a.id);
      assert.deepEqual([restored.status, restored.paid, restored.credited], ['sent', '0.00', '0.00'], 'due 2026-01-19, today 2026-01-05: sent again');
      const audit = await t.app.governance.searchAudit({ subjectId: a.id, action: 'record.changed' });
      assert.ok(audit.some((e) => JSON.stringify(e.data).includes('"removed":"300.00"')), 'taking the credit off is audited');
      assert.equal((await call('admin', 'POST', `/api/documents/${a.id}/void`, { reason: 'client went away' })).status, 200, 'without credit it can be voided');

      // Fully credited, then the credit is voided after the due date: overdue, the whole amount due again.
      const b = await invoice('Invoice Maple Books $250 for a poster due in 7 days');
      const path = await pagePath(b.number);
      const noteB = await creditNote(b.id, { reason: 'not needed' });
      assert.equal((await markSent(noteB.id)).status, 200);
      assert.equal((await doc(b.id)).status, 'paid');
      t.clock.set(Date.parse('2026-02-01T09:00:00Z'));
      assert.equal((await call('admin', 'POST', `/api/documents/${noteB.id}/void`, { reason: 'the client wants the poster after all' })).status, 200);
      assert.deepEqual([(await doc(b.id)).status, (await doc(b.id)).paid], ['overdue', '0.00']);
      assert.match(await pageText(path), /Amount due 250\.00 USD/);
      const reopened = (await t.app.engine.listExceptions('open')).filter((e) => e.code === 'INVOICE_REOPENED');
      assert.equal(reopened.length, 1, 'a person is told that the settled invoice is owed again');
      assert.match(String(reopened[0]?.message), new RegExp(`${b.number} \\(Maple Books\\) is owed again: 250\\.00 USD, since credit note ${noteB.number} was voided`));

      // Paid in part, the rest credited; voiding the credit leaves what was paid.
      const c = await invoice('Invoice Maple Books $1,000 for a website due in 60 days');
      assert.equal((await pay(c.id, '200.00')).status, 201);
      const noteC = await creditNote(c.id, { amount: '800', reason: 'scope cut' });
      assert.equal((await markSent(noteC.id)).status, 200);
      assert.equal((await doc(c.id)).status, 'paid');
      assert.equal((await call('admin', 'POST', `/api/documents/${noteC.id}/void`, { reason: 'scope restored' })).status, 200);
      assert.deepEqual([(await doc(c.id)).status, (await doc(c.id)).paid, (await doc(c.id)).credited], ['partially_paid', '200.00', '0.00']);
      assert.equal((await t.app.engine.listExceptions('open')).filter((e) => e.code === 'INVOICE_REOPENED').length, 2);
      t.clock.set(Date.parse('2026-01-05T09:00:00Z'));
    });

    test('a credit note for a void invoice is not issued, and nothing is written', async () => {
      const inv = await invoice('Invoice Quarry Ltd $400 for signage');
      const note = await creditNote(inv.id, { reason: 'cancelled' });
      assert.equal((await call('admin', 'POST', `/api/documents/${inv.id}/void`, { reason: 'cancelled' })).status, 200);
      const refused = await markSent(note.id);
      assert.equal(refused.status, 409);
      assert.equal(errorOf(refused.json).code, 'CREDIT_NOTE_INVOICE_NOT_OPEN');
      assert.match(errorOf(refused.json).message, new RegExp(`${note.number} cannot be issued: ${inv.number} is void, so nothing is owed on it; void the credit note instead`));
      assert.equal((await doc(note.id)).status, 'draft');
      assert.deepEqual(await t.app.database.db.selectFrom('payments').select('id').where('document_id', '=', inv.id).execute(), []);
    });

    /** Runs `first` in a transaction that stays open until `second`, in another one, has started. */
    async function overlapping<T>(first: (tx: Parameters<typeof changeDocumentStatus>[0]) => Promise<unknown>, second: (tx: Parameters<typeof changeDocumentStatus>[0]) => Promise<T>): Promise<PromiseSettledResult<T>> {
      let done!: () => void;
      let release!: () => void;
      const firstDone = new Promise<void>((resolve) => (done = resolve));
      const held = new Promise<void>((resolve) => (release = resolve));
      const one = t.app.database.db.transaction().execute(async (tx) => {
        await first(tx);
        done();
        await held;
      });
      await firstDone;
      const two = t.app.database.db.transaction().execute(second);
      await new Promise((resolve) => setTimeout(resolve, 200));
      release();
      await one;
      return (await Promise.allSettled([two]))[0];
    }
    const issueIn = (tx: Parameters<typeof changeDocumentStatus>[0], id: string) => changeDocumentStatus(tx, t.app.database.dialect, id, 'sent', 'user:owner@example.com', t.clock.now(), t.app.engine.hooks);

    test('two credit notes issued at the same moment never take the invoice below zero', async () => {
      const inv = await invoice('Invoice Summit Gym $1,000 for a booking system');
      const first = await creditNote(inv.id, { amount: '600', reason: 'fewer screens' });
      const second = await creditNote(inv.id, { amount: '400', reason: 'no app' });
      assert.equal((await pay(inv.id, '300.00')).status, 201);
      const outcome = await overlapping((tx) => issueIn(tx, first.id), (tx) => issueIn(tx, second.id));
      assert.equal(outcome.status, 'fulfilled');
      const settled = await doc(inv.id);
      assert.deepEqual([settled.status, settled.paid, settled.credited], ['paid', '1000.00', '700.00']);
      assert.deepEqual([(await doc(first.id)).credited, (await doc(first.id)).unapplied], ['600.00', '0.00']);
      assert.deepEqual([(await doc(second.id)).credited, (await doc(second.id)).unapplied], ['100.00', '300.00'], 'what the invoice did not need is the client\'s credit');
    });

    test('a payment recorded while a credit note is being issued counts the credit', async () => {
      const inv = await invoice('Invoice Summit Gym $1,000 for lockers');
      const note = await creditNote(inv.id, { amount: '600', reason: 'fewer lockers' });
      const payment = (tx: Parameters<typeof changeDocumentStatus>[0]) =>
        recordPayment(tx, { dialect: t.app.database.dialect, hooks: t.app.engine.hooks }, inv.id, { amount: '500.00', paidOn: '2026-01-08' }, 'user:owner@example.com', t.clock.now());
      const outcome = await overlapping((tx) => issueIn(tx, note.id), payment);
      assert.equal(outcome.status, 'rejected', 'only 400.00 was left once the credit was applied');
      assert.match(String((outcome as PromiseRejectedResult).reason), /has 400\.00 USD left to pay; 500\.00 is more than that/);
      const after = await doc(inv.id);
      assert.deepEqual([after.status, after.paid, after.credited], ['partially_paid', '600.00', '600.00']);
    });
  });
}
