/**
 * Settings → Bank reconciliation through the API: the auto-apply threshold comes from the
 * environment until an owner stores one; from then on every reconciliation uses it (a 0.95 match
 * that used to be applied waits in the inbox at 0.97; at 1 nothing is applied alone). Only an
 * owner changes it, bad values are refused by name with nothing stored, and each change is audited.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getDocument, importStatement, reconcile } from '../../src/domains/finance/index.ts';
import { createHttpApp } from '../../src/server/index.ts';
import { openTestApp, userWithToken, type TestApp } from '../helpers/app.ts';
import { testDialects } from '../helpers/dialects.ts';
import { sendInvoices } from '../domains/finance/banking/helpers.ts';

type Json = Record<string, unknown>;
interface Answer {
  banking: { reconcileThreshold: number; sources: { reconcileThreshold: string } };
  stored: { reconcileThreshold?: number };
  environment: { reconcileThreshold: number };
  problem: string | null;
}
interface Reconciled {
  threshold: number;
  thresholdSource: string;
  applied: { allocations: { invoice: string }[]; confidence: number }[];
  proposed: { allocations: { invoice: string }[]; confidence: number; taskId: string | null }[];
}

const account = 'GB33BUKB20201555555555';

for (const dialect of testDialects()) {
  describe(`bank reconciliation settings on ${dialect}`, () => {
    let t: TestApp;
    let http: ReturnType<typeof createHttpApp>;
    const as: Record<string, Record<string, string>> = {};
    const call = async (who: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> => {
      const response = await http.request(path, { method, headers: { ...as[who], 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: response.status, json: (await response.json()) as Json };
    };
    const settings = async (): Promise<Answer> => (await call('viewer', 'GET', '/api/settings/banking')).json as unknown as Answer;
    const reconcileOverHttp = async (): Promise<Reconciled> => {
      const response = await call('admin', 'POST', '/api/bank/reconcile', {});
      assert.equal(response.status, 200, JSON.stringify(response.json));
      return response.json as unknown as Reconciled;
    };
    /** One payment naming the invoice with the exact amount; without a payer's name it scores 0.95, with the client's name 1.00. */
    const pay = async (invoice: string, amount: string, day: string, payer?: string): Promise<void> => {
      const content = payer === undefined ? `Date,Amount,Reference\n${day},${amount},${invoice}` : `Date,Amount,Reference,Name\n${day},${amount},${invoice},${payer}`;
      const imported = await importStatement(t.app.engine, { format: 'csv', content, account, currency: 'USD', mapping: { date: 'Date', amount: 'Amount', reference: 'Reference', ...(payer === undefined ? {} : { counterparty: 'Name' }) } });
      assert.equal(imported.new, 1);
    };
    const auditCount = async (): Promise<number> => ((await call('viewer', 'GET', '/api/audit?action=settings.changed')).json.entries as unknown[]).length;

    before(async () => {
      t = await openTestApp(dialect, { env: { OPSLOOP_RECONCILE_THRESHOLD: '0.93' } });
      http = createHttpApp(t.app);
      for (const role of ['owner', 'admin', 'viewer'] as const) as[role] = (await userWithToken(t.app, `${role}@example.com`, role)).headers;
    });
    after(async () => t.close());

    test('the environment is the default, and reconciliation uses it', async () => {
      assert.deepEqual(await settings(), { banking: { reconcileThreshold: 0.93, sources: { reconcileThreshold: 'environment' } }, stored: {}, environment: { reconcileThreshold: 0.93 }, problem: null });
      const [number] = await sendInvoices(t, ['Invoice Acme Ltd $120 for a domain']);
      await pay(number ?? '', '120.00', '2026-01-03');
      const result = await reconcileOverHttp();
      assert.deepEqual([result.threshold, result.thresholdSource], [0.93, 'environment']);
      assert.deepEqual(result.applied.map((a) => [a.allocations[0]?.invoice, a.confidence]), [[number, 0.95]], 'a 0.95 match is applied at 0.93');
      assert.equal((await getDocument(t.app.database.db, number ?? '')).status, 'paid');
    });

    test('an owner stores 0.97: the same kind of match now waits in the inbox', async () => {
      const saved = await call('owner', 'PUT', '/api/settings/banking', { reconcileThreshold: 0.97 });
      assert.equal(saved.status, 200, JSON.stringify(saved.json));
      assert.deepEqual((saved.json as unknown as Answer).banking, { reconcileThreshold: 0.97, sources: { reconcileThreshold: 'settings' } });
      assert.deepEqual(await settings(), { banking: { reconcileThreshold: 0.97, sources: { reconcileThreshold: 'settings' } }, stored: { reconcileThreshold: 0.97 }, environment: { reconcileThreshold: 0.93 }, problem: null });

      const [number] = await sendInvoices(t, ['Invoice Globex Inc $80 for support'], '2026-01-03');
      await pay(number ?? '', '80.00', '2026-01-04');
      const result = await reconcileOverHttp();
      assert.deepEqual([result.threshold, result.thresholdSource, result.applied.length], [0.97, 'settings', 0]);
      assert.deepEqual(result.proposed.map((p) => [p.allocations[0]?.invoice, p.confidence]), [[number, 0.95]]);
      assert.ok(result.proposed[0]?.taskId, 'a person is asked in the inbox');
      assert.equal((await getDocument(t.app.database.db, number ?? '')).status, 'sent', 'nothing was paid');
      // Not only the HTTP route: a reconciliation called in-process (as the CLI does) reads it too, and a call may still override it.
      const direct = await reconcile(t.app.engine, { environmentThreshold: t.app.config.reconcileThreshold });
      assert.deepEqual([direct.threshold, direct.thresholdSource], [0.97, 'settings']);
      const once = await reconcile(t.app.engine, { threshold: 0.8, environmentThreshold: t.app.config.reconcileThreshold });
      assert.deepEqual([once.threshold, once.thresholdSource], [0.8, 'request']);
    });

    test('at 1 nothing is applied without a person, not even a perfect match', async () => {
      assert.equal((await call('owner', 'PUT', '/api/settings/banking', { reconcileThreshold: 1 })).status, 200);
      const [number] = await sendInvoices(t, ['Invoice Initech $250 for consulting'], '2026-01-04');
      await pay(number ?? '', '250.00', '2026-01-05', 'Initech');
      const result = await reconcileOverHttp();
      assert.deepEqual([result.threshold, result.applied.length], [1, 0]);
      const proposal = result.proposed.find((p) => p.allocations[0]?.invoice === number);
      assert.equal(proposal?.confidence, 1, JSON.stringify(result.proposed));
      assert.equal((await getDocument(t.app.database.db, number ?? '')).status, 'sent');
    });

    test('only an owner changes it; bad values name the field and store nothing', async () => {
      const audits = await auditCount();
      for (const who of ['viewer', 'admin']) {
        const denied = await call(who, 'PUT', '/api/settings/banking', { reconcileThreshold: 0.6 });
        assert.equal(denied.status, 403, who);
      }
      for (const value of [0.2, 1.5, 'high', -1]) {
        const bad = await call('owner', 'PUT', '/api/settings/banking', { reconcileThreshold: value });
        const error = bad.json.error as { code: string; message: string; details?: { path?: string } };
        assert.equal(bad.status, 400, String(value));
        assert.equal(error.details?.path, 'body.reconcileThreshold');
        assert.match(error.message, /^body\.reconcileThreshold: must be a number from 0\.5 to 1/);
      }
      const unknown = await call('owner', 'PUT', '/api/settings/banking', { threshold: 0.9 });
      assert.equal(unknown.status, 400);
      assert.equal((await settings()).stored.reconcileThreshold, 1, 'still what was stored');
      assert.equal(await auditCount(), audits, 'nothing refused was audited');
    });

    test('every change is audited with before and after; null goes back to the environment', async () => {
      const cleared = await call('owner', 'PUT', '/api/settings/banking', { reconcileThreshold: null });
      assert.equal(cleared.status, 200);
      assert.deepEqual((cleared.json as unknown as Answer).banking, { reconcileThreshold: 0.93, sources: { reconcileThreshold: 'environment' } });
      const entries = (await call('viewer', 'GET', '/api/audit?action=settings.changed')).json.entries as { actor: string; subjectId: string; data: unknown }[];
      const banking = entries.filter((e) => e.subjectId === 'banking');
      assert.deepEqual(
        banking.map((e) => [e.actor, e.data]),
        [
          ['user:owner@example.com', { before: { reconcileThreshold: 1 }, after: {} }],
          ['user:owner@example.com', { before: { reconcileThreshold: 0.97 }, after: { reconcileThreshold: 1 } }],
          ['user:owner@example.com', { before: {}, after: { reconcileThreshold: 0.97 } }],
        ],
      );
    });
  });
}
