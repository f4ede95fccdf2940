/** The banking API as a client sees it: roles, validation, import, reconcile, the inbox, manual matches. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getDocument } from '../../../../src/domains/finance/index.ts';
import { createHttpApp } from '../../../../src/server/index.ts';
import { openTestApp, userWithToken, type TestApp } from '../../../helpers/app.ts';
import { testDialects } from '../../../helpers/dialects.ts';
import { countRows, fixture, sendInvoices } from './helpers.ts';

interface ErrorBody {
  error: { code: string; message: string; details?: { path?: string } };
}

for (const dialect of testDialects()) {
  describe(`banking API on ${dialect}`, () => {
    let t: TestApp;
    let http: ReturnType<typeof createHttpApp>;
    let admin: Record<string, string>;
    let viewer: Record<string, string>;
    let reviewer: Record<string, string>;
    const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; json: Record<string, unknown> & ErrorBody }> => {
      const response = await http.request(path, { method, headers: { ...headers, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> & ErrorBody };
    };
    before(async () => {
      t = await openTestApp(dialect);
      http = createHttpApp(t.app);
      admin = (await userWithToken(t.app, 'admin@example.com', 'admin')).headers;
      viewer = (await userWithToken(t.app, 'viewer@example.com', 'viewer')).headers;
      reviewer = (await userWithToken(t.app, 'reviewer@example.com', 'reviewer')).headers;
      await sendInvoices(t, ['Invoice Acme Ltd $1,200 for website design', 'Invoice Muller GmbH $480.50 for hosting']);
    });
    after(async () => t.close());

    test('credentials and roles', async () => {
      assert.equal((await http.request('/api/bank/transactions')).status, 401);
      const denied = await call('POST', '/api/bank/statements', viewer, { content: fixture('checking-2026-01.ofx') });
      assert.equal(denied.status, 403);
      assert.match(denied.json.error.message, /viewer@example.com is a viewer; this needs the admin role/);
      assert.equal((await call('POST', '/api/bank/reconcile', reviewer, {})).status, 403);
      assert.equal((await call('GET', '/api/bank/transactions', viewer)).status, 200);
    });

    test('bad requests name the field; a bad file names the line; nothing is stored', async () => {
      const before = await countRows(t);
      const cases: [unknown, string, RegExp][] = [
        [{}, 'body.content', /body\.content/],
        [{ content: 'x', format: 'qif' }, 'body.format', /body\.format/],
        [{ content: 'x', mapping: { date: 'Date', amonut: 'Amount' } }, 'body.mapping', /amonut/],
        [{ content: 'x', currency: 'euro' }, 'body.currency', /currency code/],
      ];
      for (const [body, path, message] of cases) {
        const response = await call('POST', '/api/bank/statements', admin, body);
        assert.equal(response.status, 400, JSON.stringify(body));
        assert.equal(response.json.error.code, 'REQUEST_INVALID');
        assert.equal(response.json.error.details?.path, path);
        assert.match(response.json.error.message, message);
      }
      const badCsv = await call('POST', '/api/bank/statements', admin, { format: 'csv', account: 'GB33BUKB20201555555555', currency: 'GBP', content: 'Date,Amount,Description\n2026-01-05,12.00,ok\n05/01/2026,13.00,bad', mapping: { date: 'Date', amount: 'Amount', description: 'Description' } });
      assert.equal(badCsv.status, 400);
      assert.deepEqual(badCsv.json.error, { code: 'BANK_STATEMENT_INVALID', message: 'Line 3: "05/01/2026" is not a date written YYYY-MM-DD (column "Date")', details: { line: 3 } });
      const noAccount = await call('POST', '/api/bank/statements', admin, { format: 'csv', content: 'Date,Amount\n2026-01-05,1.00', currency: 'EUR' });
      assert.deepEqual([noAccount.status, noAccount.json.error.code], [400, 'BANK_ACCOUNT_REQUIRED']);
      assert.equal((await call('GET', '/api/bank/transactions?status=bogus', viewer)).json.error.details?.path, 'query.status');
      assert.equal((await call('POST', '/api/bank/reconcile', admin, { threshold: 2 })).json.error.details?.path, 'body.threshold');
      assert.equal((await call('GET', '/api/bank/transactions/nope', viewer)).status, 404);
      assert.deepEqual(await countRows(t), before);
    });

    test('import, list, reconcile, approve in the inbox, match by hand', async () => {
      const imported = await call('POST', '/api/bank/statements', admin, { content: fixture('checking-2026-01.ofx'), fileName: 'checking-2026-01.ofx' });
      assert.equal(imported.status, 201);
      assert.deepEqual([imported.json.format, imported.json.new, imported.json.existing], ['ofx', 4, 0]);
      assert.deepEqual([(await call('POST', '/api/bank/statements', admin, { content: fixture('checking-2026-01.ofx') })).json.existing], [4]);
      const listed = await call('GET', '/api/bank/transactions?status=unmatched', viewer);
      assert.equal((listed.json.transactions as unknown[]).length, 4);

      const reconciled = await call('POST', '/api/bank/reconcile', admin, {});
      assert.equal(reconciled.status, 200);
      const result = reconciled.json as unknown as { threshold: number; applied: { allocations: { invoice: string; status: string }[] }[]; proposed: { taskId: string; allocations: { invoice: string; amount: string }[]; confidence: number; reasons: string[] }[]; unmatched: number };
      assert.equal(result.threshold, 0.9);
      // "INV 2026 0002" names INV-2026-0002 too: spacing instead of dashes.
      assert.deepEqual(result.applied.map((a) => a.allocations.map((x) => `${x.invoice} ${x.status}`)), [['INV-2026-0001 paid'], ['INV-2026-0002 paid']]);
      assert.deepEqual([result.proposed.length, result.unmatched], [0, 0], 'money out is not matched to invoices');

      // Proposals below a stricter threshold go to the inbox; approving there applies them.
      const strict = await call('POST', '/api/bank/statements', admin, { format: 'csv', account: '4417001234', currency: 'USD', content: 'Date,Payee,Memo,Amount\n2026-01-20,ACME LTD,thanks,100.00' });
      assert.equal(strict.json.new, 1);
      await sendInvoices(t, ['Invoice Acme Ltd $100 for a domain'], '2026-01-10');
      const second = (await call('POST', '/api/bank/reconcile', admin, { threshold: 0.95 })).json as unknown as typeof result;
      const proposal = second.proposed.find((p) => p.allocations[0]?.invoice === 'INV-2026-0003');
      assert.ok(proposal, JSON.stringify(second));
      assert.ok(proposal.confidence < 0.95);
      const approved = await call('POST', `/api/approvals/${proposal.taskId}/approve`, reviewer, {});
      assert.equal(approved.status, 200);
      await t.app.worker.drain();
      assert.equal((await getDocument(t.app.database.db, 'INV-2026-0003')).status, 'paid');

      // A deposit nobody could place: matched by hand.
      const deposit = await call('POST', '/api/bank/statements', admin, { format: 'csv', account: '4417001234', currency: 'USD', content: 'Date,Payee,Memo,Amount\n2026-01-25,Jane Doe,cash,50.00' });
      assert.equal(deposit.json.new, 1);
      const open = (await call('GET', '/api/bank/transactions?status=unmatched', viewer)).json.transactions as { id: string; amount: string }[];
      const jane = open.find((x) => x.amount === '50.00');
      assert.ok(jane);
      await sendInvoices(t, ['Invoice Jane Doe $80 for a logo'], '2026-01-20');
      const tooMuch = await call('POST', `/api/bank/transactions/${jane.id}/match`, admin, { allocations: [{ invoice: 'INV-2026-0004', amount: '60.00' }] });
      assert.deepEqual([tooMuch.status, tooMuch.json.error.code], [400, 'BANK_MATCH_INVALID']);
      assert.match(tooMuch.json.error.message, /add up to 60.00 USD, more than the 50.00 USD received/);
      const unknown = await call('POST', `/api/bank/transactions/${jane.id}/match`, admin, { allocations: [{ invoice: 'INV-2099-0001', amount: '50.00' }] });
      assert.equal(unknown.status, 404);
      const badAmount = await call('POST', `/api/bank/transactions/${jane.id}/match`, admin, { allocations: [{ invoice: 'INV-2026-0004', amount: '-5' }] });
      assert.equal(badAmount.json.error.details?.path, 'body.allocations.0.amount');
      const manual = await call('POST', `/api/bank/transactions/${jane.id}/match`, admin, { allocations: [{ invoice: 'INV-2026-0004', amount: '50.00' }] });
      assert.equal(manual.status, 201);
      const transaction = manual.json.transaction as { status: string; matches: { invoice: string; amount: string; method: string }[] };
      assert.deepEqual([transaction.status, transaction.matches.map((m) => [m.invoice, m.amount, m.method])], ['matched', [['INV-2026-0004', '50.00', 'manual']]]);
      const twice = await call('POST', `/api/bank/transactions/${jane.id}/match`, admin, { allocations: [{ invoice: 'INV-2026-0004', amount: '30.00' }] });
      assert.deepEqual([twice.status, twice.json.error.code], [409, 'BANK_TRANSACTION_MATCHED']);
      const invoice = await getDocument(t.app.database.db, 'INV-2026-0004');
      assert.deepEqual([invoice.status, invoice.paid], ['partially_paid', '50.00']);
    });
  });
}
