/** Exceptions that belong to no run (a payment to refund): the owner is told, and a person marks them handled. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHttpApp } from '../../src/server/index.ts';
import { openTestApp, userWithToken, type TestApp } from '../helpers/app.ts';
import { testDialects } from '../helpers/dialects.ts';

for (const dialect of testDialects()) {
  describe(`exceptions without a run on ${dialect}`, () => {
    let t: TestApp;
    let http: ReturnType<typeof createHttpApp>;
    let admin: Record<string, string>;
    before(async () => {
      t = await openTestApp(dialect);
      http = createHttpApp(t.app);
      admin = { ...(await userWithToken(t.app, 'admin@example.com', 'admin')).headers, 'content-type': 'application/json' };
    });
    after(async () => t.close());

    async function raise(id: string, runId: string | null): Promise<void> {
      await t.app.engine.committer.unit(async (tx) => {
        await tx
          .insertInto('exceptions')
          .values({ id, run_id: runId, step_id: null, outbox_id: null, kind: 'payment_conflict', code: 'PAYMENT_OVERPAID', message: 'Refund 50.00 USD', owner: 'role:admin', status: 'open', resolution: null, created_at: t.clock.now(), resolved_at: null })
          .execute();
        await t.app.engine.hooks.exceptionRaised?.(tx, { exceptionId: id, runId, workflowId: null, stepId: null, kind: 'payment_conflict', code: 'PAYMENT_OVERPAID', message: 'Refund 50.00 USD', owner: 'role:admin', now: t.clock.now() });
      });
    }

    test('a person marks it handled with a note; it leaves the inbox and the audit trail says so', async () => {
      await raise('exc-1', null);
      const inbox = (await (await http.request('/api/inbox', { headers: admin })).json()) as { exceptions: { id: string }[] };
      assert.ok(inbox.exceptions.some((e) => e.id === 'exc-1'));
      const noNote = await http.request('/api/exceptions/exc-1/handled', { method: 'POST', headers: admin, body: '{}' });
      assert.equal(noNote.status, 400);
      const done = await http.request('/api/exceptions/exc-1/handled', { method: 'POST', headers: admin, body: JSON.stringify({ note: 'refunded in Stripe' }) });
      assert.equal(done.status, 200);
      const after = (await (await http.request('/api/inbox', { headers: admin })).json()) as { exceptions: { id: string }[] };
      assert.ok(!after.exceptions.some((e) => e.id === 'exc-1'));
      const again = await http.request('/api/exceptions/exc-1/handled', { method: 'POST', headers: admin, body: JSON.stringify({ note: 'twice' }) });
      assert.equal(again.status, 409);
      const audit = await t.app.database.db.selectFrom('audit_log').select(['action', 'data']).where('subject_id', '=', 'exc-1').execute();
      assert.deepEqual(audit.map((a) => a.action), ['exception.raised', 'exception.handled']);
    });

    test('an exception of a run is closed through its run, not marked handled; an unknown one is 404', async () => {
      await t.app.engine.addWorkflow({ id: 'w', steps: [{ id: 'a', type: 'end' }] });
      const { runId } = await t.app.engine.startRun('w', {});
      await raise('exc-2', runId);
      const refused = await http.request('/api/exceptions/exc-2/handled', { method: 'POST', headers: admin, body: JSON.stringify({ note: 'x' }) });
      assert.equal(refused.status, 409);
      assert.match(((await refused.json()) as { error: { message: string } }).error.message, /retry, skip or cancel the run/);
      assert.equal((await http.request('/api/exceptions/nope/handled', { method: 'POST', headers: admin, body: JSON.stringify({ note: 'x' }) })).status, 404);
    });
  });
}
