/** Accounts receivable: ageing by days past due and DSO, per currency, on a small hand-checked ledger. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketOf, daysSalesOutstanding, receivablesReport } from '../../../src/domains/finance/index.ts';
import type { Queryable } from '../../../src/workflow/store/runs.ts';
import { openTestApp, type TestApp } from '../../helpers/app.ts';
import { testDialects } from '../../helpers/dialects.ts';

describe('ageing and DSO rules', () => {
  test('days past due fall in current, 1-30, 31-60, 61-90 and 90+', () => {
    const cases: [number, string][] = [[-5, 'current'], [0, 'current'], [1, '1-30'], [30, '1-30'], [31, '31-60'], [60, '31-60'], [61, '61-90'], [90, '61-90'], [91, '90+'], [400, '90+']];
    for (const [days, bucket] of cases) assert.equal(bucketOf(days), bucket, `${days} days`);
  });
  test('DSO is receivables / credit sales × days, to one decimal; no sales, no DSO', () => {
    assert.equal(daysSalesOutstanding(450_000n, 395_000n, 31), 35.3); // 4500 / 3950 × 31 = 35.316…
    assert.equal(daysSalesOutstanding(120_000n, 120_000n, 31), 31);
    assert.equal(daysSalesOutstanding(0n, 100n, 30), 0);
    assert.equal(daysSalesOutstanding(5_000n, 0n, 30), null);
  });
});

let counter = 0;
async function invoice(db: Queryable, doc: { kind?: string; status?: string; currency?: string; issued: string; due?: string | null; total: number; payments?: [string, number][] }): Promise<void> {
  counter += 1;
  const id = `doc-${counter}`;
  if (counter === 1) {
    await db.insertInto('counterparties').values({ id: 'client-1', role: 'client', name: 'Acme', normalized_name: 'acme', contact: null, email: null, address: null, tax_id: null, currency: null, payment_terms_days: null, notes: null, reminder_cadence: null, created_at: 0, updated_at: 0 }).execute();
  }
  const paid = (doc.payments ?? []).reduce((sum, [, amount]) => sum + amount, 0);
  await db
    .insertInto('documents')
    .values({
      id, kind: doc.kind ?? 'invoice', number: `N-${counter}`, status: doc.status ?? 'sent', counterparty_id: 'client-1', currency: doc.currency ?? 'USD',
      issue_date: doc.issued, due_date: doc.due === undefined ? null : doc.due, valid_until: null, reference: null, subtotal_minor: doc.total, tax_minor: 0, total_minor: doc.total, paid_minor: paid,
      terms: null, notes: null, source: null, public_token: null, converted_to: null, sent_at: null, created_at: 0, updated_at: 0,
    })
    .execute();
  for (const [paidOn, amount] of doc.payments ?? []) {
    await db.insertInto('payments').values({ id: `${id}-p-${paidOn}`, document_id: id, amount_minor: amount, currency: doc.currency ?? 'USD', paid_on: paidOn, method: 'bank_transfer', reference: null, created_at: 0 }).execute();
  }
}

for (const dialect of testDialects()) {
  describe(`receivables report on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await openTestApp(dialect);
      const db = t.app.database.db;
      counter = 0;
      // USD, as of 2026-03-31 (period: March, 31 days):
      await invoice(db, { issued: '2026-01-10', due: '2026-02-09', total: 100_000, payments: [['2026-03-15', 40_000]], status: 'partially_paid' }); // owes 600.00, 50 days late: 31-60
      await invoice(db, { issued: '2026-03-05', due: '2026-04-04', total: 250_000 }); // 2500.00, not yet due: current
      await invoice(db, { issued: '2025-11-01', due: '2025-12-01', total: 30_000, status: 'overdue' }); // 300.00, 120 days: 90+
      await invoice(db, { issued: '2026-03-10', due: '2026-03-20', total: 80_000, payments: [['2026-04-02', 80_000]], status: 'paid' }); // paid after the date: owed 800.00, 11 days: 1-30
      await invoice(db, { issued: '2026-03-12', due: '2026-03-25', total: 50_000, payments: [['2026-03-28', 50_000]], status: 'paid' }); // paid in time: owes nothing, but a March sale
      await invoice(db, { issued: '2026-01-20', due: '2026-01-15', total: 20_000, status: 'overdue' }); // 200.00, 75 days: 61-90
      await invoice(db, { issued: '2026-03-01', due: '2026-03-31', total: 15_000, payments: [['2026-03-31', 5_000]], status: 'partially_paid' }); // owes 100.00, due today: current
      await invoice(db, { issued: '2026-03-15', due: '2026-04-15', total: 99_900, status: 'draft' }); // not issued
      await invoice(db, { issued: '2026-03-02', due: '2026-04-02', total: 70_000, status: 'void' }); // cancelled
      await invoice(db, { issued: '2026-04-05', due: '2026-05-05', total: 10_000 }); // after the date
      await invoice(db, { kind: 'quote', issued: '2026-03-03', total: 500_000 }); // not a receivable
      // EUR and JPY are reported on their own, never added to USD.
      await invoice(db, { currency: 'EUR', issued: '2026-03-20', due: '2026-04-19', total: 120_000 });
      await invoice(db, { currency: 'JPY', issued: '2026-02-01', due: '2026-02-28', total: 50_000 }); // ¥50000, 31 days: 31-60; no March sales
    });
    after(async () => t.close());

    test('what was owed on the date, aged, per currency; DSO over the period', async () => {
      const report = await receivablesReport(t.app.database.db, { from: '2026-03-01', asOf: '2026-03-31' });
      assert.equal(report.asOf, '2026-03-31');
      assert.deepEqual(report.period, { from: '2026-03-01', to: '2026-03-31', days: 31 });
      assert.deepEqual(report.byCurrency.map((c) => c.currency), ['EUR', 'JPY', 'USD']);
      const [eur, jpy, usd] = report.byCurrency;
      assert.deepEqual(usd, {
        currency: 'USD',
        outstanding: '4500.00',
        openInvoices: 6,
        buckets: [
          { bucket: 'current', amount: '2600.00', invoices: 2 },
          { bucket: '1-30', amount: '800.00', invoices: 1 },
          { bucket: '31-60', amount: '600.00', invoices: 1 },
          { bucket: '61-90', amount: '200.00', invoices: 1 },
          { bucket: '90+', amount: '300.00', invoices: 1 },
        ],
        creditSales: '3950.00', // 2500 + 800 + 500 + 150 issued in March
        dso: 35.3, // 4500 / 3950 × 31
      });
      assert.equal(eur?.outstanding, '1200.00');
      assert.equal(eur?.dso, 31);
      assert.deepEqual(jpy?.buckets.find((b) => b.bucket === '31-60'), { bucket: '31-60', amount: '50000', invoices: 1 });
      assert.deepEqual([jpy?.creditSales, jpy?.dso], ['0', null]);
    });

    test('an earlier date: later payments and invoices do not count yet', async () => {
      const report = await receivablesReport(t.app.database.db, { from: '2026-02-01', asOf: '2026-02-28' });
      const usd = report.byCurrency.find((c) => c.currency === 'USD');
      // 1000.00 (19 days: 1-30) + 200.00 (44 days: 31-60) + 300.00 (89 days: 61-90); nothing was paid by then.
      assert.equal(usd?.outstanding, '1500.00');
      assert.deepEqual(usd?.buckets.map((b) => b.amount), ['0.00', '1000.00', '200.00', '300.00', '0.00']);
      assert.deepEqual([usd?.creditSales, usd?.dso], ['0.00', null]);
      assert.deepEqual(report.byCurrency.find((c) => c.currency === 'JPY')?.dso, 28, 'JPY: 50000 / 50000 × 28');
      assert.equal(report.byCurrency.find((c) => c.currency === 'EUR'), undefined);
    });

    test('a bad period is refused with the field named', async () => {
      await assert.rejects(receivablesReport(t.app.database.db, { from: '2026-03-01', asOf: '31/03/2026' }), (e: Error & { code?: string; details?: { path?: string } }) => e.code === 'REPORT_PERIOD_INVALID' && e.details?.path === 'asOf');
      await assert.rejects(receivablesReport(t.app.database.db, { from: '2026-04-01', asOf: '2026-03-31' }), /starts \(2026-04-01\) after it ends/);
    });
  });
}
