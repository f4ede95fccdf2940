/** Duplicate flags over stored documents: outgoing invoices, incoming bills, the same file, and what FLAG finds besides. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from '../../../src/core/ids.ts';
import { normalizeCounterpartyName } from '../../../src/ai/flag/index.ts';
import { createDraftFromSentence, flagFinanceDocument, RecurringInvoices, recordDocumentFile, type DocumentView, type FinanceFlags } from '../../../src/domains/finance/index.ts';
import { createHttpApp } from '../../../src/server/index.ts';
import { openTestApp, userWithToken, type TestApp } from '../../helpers/app.ts';
import { testDialects } from '../../helpers/dialects.ts';

for (const dialect of testDialects()) {
  describe(`duplicate flags on ${dialect}`, () => {
    let t: TestApp;
    let http: ReturnType<typeof createHttpApp>;
    let viewer: Record<string, string>;
    before(async () => {
      t = await openTestApp(dialect);
      http = createHttpApp(t.app);
      viewer = (await userWithToken(t.app, 'viewer@example.com', 'viewer')).headers;
    });
    after(async () => t.close());

    const invoice = async (sentence: string, today: string): Promise<DocumentView> => {
      t.clock.advance(1000);
      const { document } = await createDraftFromSentence({ committer: t.app.engine.committer, dialect: t.app.database.dialect, now: () => t.clock.now() }, sentence, { today });
      assert.ok(document);
      return document;
    };
    const flags = (document: string, today = '2026-06-30', duplicateWindowDays?: number): Promise<FinanceFlags> =>
      flagFinanceDocument(t.app.database.db, document, { today, ...(duplicateWindowDays === undefined ? {} : { duplicateWindowDays }) });
    const duplicate = (result: FinanceFlags) => result.anomalies.find((a) => a.code === 'DUPLICATE');

    /** An incoming bill as stored: the vendor's number in `reference`, ours in `number`. */
    let bills = 0;
    const bill = async (vendor: string, vendorNumber: string, total: number, issueDate: string): Promise<{ id: string; number: string }> => {
      t.clock.advance(1000);
      const now = t.clock.now();
      return t.app.engine.committer.unit(async (tx) => {
        const normalized = normalizeCounterpartyName(vendor);
        let party = await tx.selectFrom('counterparties').select('id').where('role', '=', 'vendor').where('normalized_name', '=', normalized).executeTakeFirst();
        if (party === undefined) {
          party = { id: newId() };
          await tx.insertInto('counterparties').values({ id: party.id, role: 'vendor', name: vendor, normalized_name: normalized, contact: null, email: null, address: null, tax_id: null, currency: null, payment_terms_days: null, notes: null, reminder_cadence: null, created_at: now, updated_at: now }).execute();
        }
        const id = newId();
        bills += 1;
        const number = `BILL-${String(bills).padStart(4, '0')}`;
        await tx
          .insertInto('documents')
          .values({ id, kind: 'bill', number, status: 'draft', counterparty_id: party.id, currency: 'EUR', issue_date: issueDate, due_date: null, valid_until: null, reference: vendorNumber, subtotal_minor: total, tax_minor: 0, total_minor: total, paid_minor: 0, terms: null, notes: null, source: 'upload', public_token: null, converted_to: null, sent_at: null, created_at: now, updated_at: now })
          .execute();
        await tx.insertInto('document_lines').values({ document_id: id, idx: 0, description: 'Office supplies', quantity: '1', unit: null, unit_price_minor: total, discount: null, tax_rate: null, amount_minor: total, tax_minor: 0 }).execute();
        return { id, number };
      });
    };

    test('a second identical invoice to the same client within the window is flagged with the earlier number', async () => {
      const first = await invoice('Invoice Acme Ltd $1,200 for website maintenance', '2026-03-02');
      const second = await invoice('Invoice Acme Ltd $1,200 for website maintenance', '2026-03-20');
      assert.equal(duplicate(await flags(first.number)), undefined, 'the first has nothing earlier to duplicate');
      const result = await flags(second.number);
      assert.equal(result.duplicateOf, first.number);
      assert.ok(result.codes.includes('DUPLICATE'));
      const found = duplicate(result);
      assert.equal(found?.severity, 'warning');
      assert.match(found?.message ?? '', new RegExp(`Invoice no\\. ${first.number} \\(1,200\\.00 USD, "website maintenance", dated 2026-03-02\\) looks like this one: same client, same amount, 100% similar description, 18 days apart`));
    });

    test('outside the window, or another amount, is not a duplicate', async () => {
      const march = await invoice('Invoice Beta Co $800 for design retainer', '2026-03-02');
      const april = await invoice('Invoice Beta Co $800 for design retainer', '2026-04-17');
      const other = await invoice('Invoice Beta Co $850 for design retainer', '2026-03-03');
      assert.equal(duplicate(await flags(april.number)), undefined, '46 days apart');
      assert.equal((await flags(april.number)).duplicateOf, null);
      assert.equal(duplicate(await flags(other.number)), undefined, 'another amount');
      assert.equal((await flags(april.number, '2026-06-30', 60)).duplicateOf, march.number, 'a wider window finds it');
    });

    test('an incoming bill with the same vendor, number and amount is flagged; the same file too', async () => {
      const first = await bill('Paper Supplies GmbH', 'R-1001', 24000, '2026-04-01');
      const again = await bill('Paper Supplies GmbH', 'R-1001', 24000, '2026-04-09');
      const next = await bill('Paper Supplies GmbH', 'R-1002', 24000, '2026-05-01');
      const result = await flags(again.number);
      assert.equal(result.duplicateOf, first.number);
      assert.equal(duplicate(result)?.severity, 'critical');
      assert.match(duplicate(result)?.message ?? '', /Paper Supplies GmbH's bill no\. R-1001 for 240\.00 EUR is already recorded \(dated 2026-04-01\)\. Paying this one would pay it twice/);
      assert.equal(duplicate(await flags(next.number)), undefined, 'the next month\'s bill, with its own number, is not a duplicate');

      const scan = new TextEncoder().encode('%PDF-1.4 the scanned bill');
      const original = await bill('Toner Direct', 'T-77', 9900, '2026-04-01');
      const copy = await bill('Toner Direct Ltd', 'T-77-copy', 9900, '2026-06-01');
      await t.app.engine.committer.unit(async (tx) => {
        await recordDocumentFile(tx, original.id, { content: scan, filename: 'toner.pdf' }, t.clock.now());
        await recordDocumentFile(tx, copy.id, { content: scan, filename: 'toner (1).pdf' }, t.clock.now());
      });
      const sameFile = await flags(copy.number);
      assert.equal(sameFile.duplicateOf, original.number);
      assert.deepEqual(duplicate(sameFile)?.evidence.matchedOn, ['fileHash']);
      assert.match(duplicate(sameFile)?.message ?? '', /This file is identical to bill no\. T-77 from Toner Direct/);
    });

    test('totals and dates anomalies pass through', async () => {
      const broken = await invoice('Invoice Gamma Ltd $300 for consulting', '2026-03-02');
      await t.app.database.db.updateTable('documents').set({ total_minor: 31000, due_date: '2026-02-20' }).where('id', '=', broken.id).execute();
      const result = await flags(broken.number, '2026-03-05');
      assert.ok(result.codes.includes('TOTALS_MISMATCH'), JSON.stringify(result.codes));
      assert.ok(result.codes.includes('DATES_OUT_OF_ORDER'));
      assert.match(result.anomalies.find((a) => a.code === 'DATES_OUT_OF_ORDER')?.message ?? '', /The due date 2026-02-20 is 10 days before the issue date 2026-03-02/);
      assert.ok(result.confidence < 1);
      const future = await invoice('Invoice Gamma Ltd $300 for consulting', '2028-03-02');
      assert.ok((await flags(future.number, '2026-03-05')).codes.includes('DATE_IN_FUTURE'));
    });

    test('the periods of one recurring invoice are not duplicates of each other; a hand-made copy is', async () => {
      t.clock.set('2026-07-01T09:00:00Z');
      const recurring = new RecurringInvoices({ engine: t.app.engine, governance: t.app.governance, timezone: 'UTC' });
      const template = await recurring.create({ client: 'Weekly Ltd', currency: 'USD', lines: [{ description: 'Cleaning', unitPrice: '90' }], schedule: { kind: 'weekly', everyWeeks: 1 } }, 'test');
      t.clock.set('2026-07-09T09:00:00Z');
      await recurring.check();
      await t.app.worker.drain();
      const periods = (await recurring.get(template.id)).periods;
      assert.equal(periods.length, 2);
      assert.equal(duplicate(await flags(periods[0]?.invoice?.number ?? '?', '2026-07-09')), undefined);
      const copy = await invoice('Invoice Weekly Ltd $90 for cleaning', '2026-07-09');
      assert.equal((await flags(copy.number, '2026-07-09')).duplicateOf, periods[0]?.invoice?.number);
      await recurring.pause(template.id, 'test');
    });

    test('finance.flag in a workflow: a policy on its output holds the duplicate for a person', async () => {
      await t.app.governance.savePolicy({ id: 'no-duplicates', rules: [{ id: 'duplicate', type: 'rule', when: 'output.duplicateOf != null', message: 'looks like an invoice already made', tier: 'review' }] });
      await t.app.engine.addWorkflow({
        id: 'draft-and-flag',
        steps: [
          { id: 'draft', type: 'action', action: 'finance.draft', input: { sentence: '{{ input.sentence }}', today: '2026-05-04' } },
          { id: 'flag', type: 'action', action: 'finance.flag', input: { document: '{{ steps.draft.number }}', today: '2026-05-04' }, proposing: true, policies: ['no-duplicates'] },
        ],
      });
      const sentence = 'Invoice Delta Ltd $450 for photography';
      const first = await t.app.engine.startRun('draft-and-flag', { sentence });
      assert.equal((await t.app.engine.getRun(first.runId)).status, 'completed');
      const second = await t.app.engine.startRun('draft-and-flag', { sentence });
      assert.equal((await t.app.engine.getRun(second.runId)).status, 'waiting');
      const task = (await t.app.governance.listApprovals()).find((a) => a.runId === second.runId);
      assert.deepEqual((task?.reasons as { message: string }[]).map((r) => r.message), ['looks like an invoice already made']);
      assert.match((task?.proposed as FinanceFlags).duplicateOf ?? '', /^INV-2026-\d{4}$/);
      const third = await t.app.engine.startRun('draft-and-flag', { sentence });
      assert.equal((await t.app.engine.getRun(third.runId)).status, 'waiting', 'a third copy waits too');
    });

    test('GET /api/documents/:id/flags', async () => {
      const first = await invoice('Invoice Epsilon Ltd $99 for hosting', '2026-06-01');
      const second = await invoice('Invoice Epsilon Ltd $99 for hosting', '2026-06-02');
      const response = await http.request(`/api/documents/${second.number}/flags?today=2026-06-02`, { headers: viewer });
      assert.equal(response.status, 200);
      const body = (await response.json()) as FinanceFlags;
      assert.equal(body.duplicateOf, first.number);
      assert.equal(body.anomalies[0]?.code, 'DUPLICATE');
      const narrow = await http.request(`/api/documents/${second.id}/flags?windowDays=0`, { headers: viewer });
      assert.equal(((await narrow.json()) as FinanceFlags).duplicateOf, null, 'a window of 0 days: only the same day counts');
      const missing = await http.request('/api/documents/INV-1999-0001/flags', { headers: viewer });
      assert.equal(missing.status, 404);
      const bad = await http.request(`/api/documents/${second.number}/flags?today=tomorrow`, { headers: viewer });
      assert.equal(bad.status, 400);
      assert.match(((await bad.json()) as { error: { message: string } }).error.message, /query\.today: must be a date written YYYY-MM-DD/);
    });
  });
}
