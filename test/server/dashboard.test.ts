/**
 * The dashboard on a small hand-made history (business time zone Europe/Berlin), every figure
 * checked by hand; and the per-workflow baseline behind "hours saved".
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHttpApp } from '../../src/server/index.ts';
import type { Dashboard } from '../../src/server/dashboard-api.ts';
import { openTestApp, userWithToken, type TestApp } from '../helpers/app.ts';
import { testDialects } from '../helpers/dialects.ts';

const workflows = [
  { id: 'auto', name: 'Automatic', steps: [{ id: 'compute', type: 'action', action: 'core.set', input: { x: 1 } }, { id: 'done', type: 'end' }] },
  { id: 'review', name: 'Reviewed', steps: [{ id: 'ok', type: 'approval', title: 'Pay?', data: { amount: 10 }, escalate: { after: '1h', to: 'admin@example.com' } }, { id: 'done', type: 'end' }] },
  { id: 'priced', name: 'Priced AI', steps: [{ id: 'read', type: 'ai', skill: 'test.priced', tier: 'auto' }, { id: 'done', type: 'end' }] },
  { id: 'bad', name: 'Broken', steps: [{ id: 'check', type: 'action', action: 'core.validate', input: { data: {}, required: ['amount'] } }, { id: 'done', type: 'end' }] },
];

for (const dialect of testDialects()) {
  describe(`dashboard on ${dialect}`, () => {
    let t: TestApp;
    let app: ReturnType<typeof createHttpApp>;
    const as: Record<string, Record<string, string>> = {};
    const call = async (who: string, method: string, path: string, body?: unknown) => {
      const res = await app.request(path, { method, headers: { ...as[who], 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
    const start = async (workflow: string) => ((await call('admin', 'POST', `/api/workflows/${workflow}/runs`, { wait: 5000 })).json.run as { id: string; status: string }).id;

    before(async () => {
      t = await openTestApp(dialect, {
        config: { timezone: 'Europe/Berlin' },
        register: (registry) =>
          registry.registerSkill({
            name: 'test.priced',
            description: 'answers with a price, as a hosted model would report its usage',
            run: async () => ({ output: { total: 42 }, confidence: 0.99, provider: 'test', usage: { promptTokens: 100, completionTokens: 20, costMicros: 1500 } }),
          }),
      });
      app = createHttpApp(t.app);
      as.admin = (await userWithToken(t.app, 'admin@example.com', 'admin')).headers;
      as.viewer = (await userWithToken(t.app, 'viewer@example.com', 'viewer')).headers;
      for (const w of workflows) assert.equal((await call('admin', 'POST', '/api/workflows', w)).status, 201);

      // 2026-01-05 10:00 in Berlin (09:00Z).
      t.clock.set('2026-01-05T09:00:00Z');
      await start('auto');
      await start('auto');
      await start('priced');
      const reviews = [await start('review'), await start('review'), await start('review')];
      await start('bad');
      const tasks = ((await call('admin', 'GET', '/api/approvals')).json.approvals as { id: string; runId: string }[]).sort((a, b) => reviews.indexOf(a.runId) - reviews.indexOf(b.runId));
      assert.equal(tasks.length, 3);
      assert.equal((await call('admin', 'POST', `/api/approvals/${tasks[0]?.id}/approve`, {})).status, 200); // unchanged
      await t.app.worker.drain();
      // Two hours later the two undecided tasks are escalated; one is then approved with an edit.
      t.clock.set('2026-01-05T11:00:00Z');
      await t.app.governance.periodic();
      assert.equal((await call('admin', 'POST', `/api/approvals/${tasks[1]?.id}/approve`, { data: { amount: 9 } })).status, 200);
      await t.app.worker.drain();
      // 23:30Z on the 6th is already the 7th in Berlin.
      t.clock.set('2026-01-06T23:30:00Z');
      assert.equal((await call('admin', 'POST', `/api/approvals/${tasks[2]?.id}/reject`, { reason: 'not this one' })).status, 200);
      await start('auto');
      await t.app.worker.drain();
      // One invoice still open: EUR 100.00, due on 2026-01-01.
      const db = t.app.database.db;
      await db.insertInto('counterparties').values({ id: 'c1', role: 'client', name: 'Acme', normalized_name: 'acme', contact: null, email: null, address: null, tax_id: null, currency: null, payment_terms_days: null, notes: null, reminder_cadence: null, created_at: 0, updated_at: 0 }).execute();
      await db
        .insertInto('documents')
        .values({ id: 'd1', kind: 'invoice', number: 'INV-1', status: 'overdue', counterparty_id: 'c1', currency: 'EUR', issue_date: '2025-12-02', due_date: '2026-01-01', valid_until: null, reference: null, subtotal_minor: 10_000, tax_minor: 0, total_minor: 10_000, paid_minor: 0, terms: null, notes: null, source: null, public_token: null, converted_to: null, sent_at: null, created_at: 0, updated_at: 0 })
        .execute();
    });
    after(async () => t.close());

    test('only admins set a baseline; a bad one is refused with the field named', async () => {
      assert.equal((await call('viewer', 'PUT', '/api/workflows/auto/baseline', { minutesPerRun: 12 })).status, 403);
      const negative = await call('admin', 'PUT', '/api/workflows/auto/baseline', { minutesPerRun: -1 });
      assert.equal(negative.status, 400);
      assert.equal((negative.json.error as { details: { path: string } }).details.path, 'body.minutesPerRun');
      assert.equal((await call('admin', 'PUT', '/api/workflows/nope/baseline', { minutesPerRun: 5 })).status, 404);
      assert.deepEqual((await call('admin', 'PUT', '/api/workflows/auto/baseline', { minutesPerRun: 10 })).json, { workflowId: 'auto', minutesPerRun: 10 });
      assert.deepEqual((await call('admin', 'PUT', '/api/workflows/auto/baseline', { minutesPerRun: 12 })).json, { workflowId: 'auto', minutesPerRun: 12 }, 'set again: replaced');
      assert.equal((await call('admin', 'PUT', '/api/workflows/review/baseline', { minutesPerRun: 30 })).status, 200);
    });

    test('the figures of the period, by hand', async () => {
      const res = await call('viewer', 'GET', '/api/dashboard?from=2026-01-05&to=2026-01-07');
      assert.equal(res.status, 200);
      const d = res.json as unknown as Dashboard;
      assert.deepEqual(d.period, { from: '2026-01-05', to: '2026-01-07', timezone: 'Europe/Berlin' });
      assert.deepEqual(d.runsPerDay, [
        // 2 auto + 1 priced + 3 review + 1 bad started; 2 auto + priced + 2 approved reviews completed; bad failed
        { day: '2026-01-05', started: 7, completed: 5, failed: 1 },
        { day: '2026-01-06', started: 0, completed: 0, failed: 0 },
        // 23:30Z on the 6th is the 7th in Berlin: one auto run; the rejected review was cancelled, not completed
        { day: '2026-01-07', started: 1, completed: 1, failed: 0 },
      ]);
      // Work steps: 3 compute (engine) + 1 read (AI) done without a person; 2 approvals and 1 rejection by a person.
      assert.deepEqual(d.counts, { workSteps: 7, automatedSteps: 4, tasks: 3, escalatedTasks: 2, decisions: 3, reworkedDecisions: 2 });
      assert.equal(d.automationRate, 0.5714);
      assert.equal(d.escalationRate, 0.6667);
      assert.equal(d.reworkRate, 0.6667);
      assert.deepEqual(d.hoursSaved, {
        total: 1.6, // 3 × 12 min + 2 × 30 min
        byWorkflow: [
          { workflowId: 'auto', name: 'Automatic', runs: 3, minutesPerRun: 12, hours: 0.6 },
          { workflowId: 'priced', name: 'Priced AI', runs: 1, minutesPerRun: null, hours: 0 },
          { workflowId: 'review', name: 'Reviewed', runs: 2, minutesPerRun: 30, hours: 1 },
        ],
      });
      assert.deepEqual(d.aiCost, { calls: 1, runs: 1, costMicros: 1500, perRun: 1500, promptTokens: 100, completionTokens: 20 });
      assert.equal(d.receivables.asOf, '2026-01-07');
      assert.deepEqual(d.receivables.byCurrency.map((c) => [c.currency, c.outstanding, c.buckets.find((b) => b.bucket === '1-30')?.amount, c.dso]), [['EUR', '100.00', '100.00', null]]);
    });

    test('a period that ends before it starts, or a bad date, is refused', async () => {
      const reversed = await call('viewer', 'GET', '/api/dashboard?from=2026-01-07&to=2026-01-05');
      assert.equal(reversed.status, 400);
      assert.equal((reversed.json.error as { details: { path: string } }).details.path, 'query.from');
      const bad = await call('viewer', 'GET', '/api/dashboard?to=2026-02-30');
      assert.equal((bad.json.error as { details: { path: string } }).details.path, 'query.to');
      assert.equal((await call('viewer', 'GET', '/api/dashboard?from=2024-01-01&to=2026-01-01')).status, 400, 'at most a year');
    });

    test('by default: the last 30 days up to today', async () => {
      const d = (await call('viewer', 'GET', '/api/dashboard')).json as unknown as Dashboard;
      assert.deepEqual(d.period, { from: '2025-12-09', to: '2026-01-07', timezone: 'Europe/Berlin' });
      assert.equal(d.runsPerDay.length, 30);
      assert.equal(d.runsPerDay.reduce((sum, day) => sum + day.started, 0), 8);
    });

    test('viewers may read it; without credentials it is 401', async () => {
      assert.equal((await app.request('/api/dashboard')).status, 401);
    });
  });
}
