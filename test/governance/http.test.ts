/** The governance API in-process: inbox, approvals, audit, policies, graduation, users — auth and roles. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHttpApp } from '../../src/server/index.ts';
import { openTestApp, userWithToken, type TestApp } from '../helpers/app.ts';
import { testDialects } from '../helpers/dialects.ts';

for (const dialect of testDialects()) {
  describe(`governance API on ${dialect}`, () => {
    let t: TestApp;
    let app: ReturnType<typeof createHttpApp>;
    const as: Record<string, Record<string, string>> = {};
    const call = async (who: string, method: string, path: string, body?: unknown) => {
      const res = await app.request(path, { method, headers: { ...as[who], 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const text = await res.text();
      let json: Record<string, unknown>;
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        json = { text };
      }
      return { status: res.status, json, text };
    };
    const code = (r: { json: Record<string, unknown> }) => (r.json.error as { code?: string } | undefined)?.code;

    before(async () => {
      t = await openTestApp(dialect, { realClock: true });
      app = createHttpApp(t.app);
      as.owner = (await userWithToken(t.app, 'owner@example.com', 'owner')).headers;
      as.admin = (await userWithToken(t.app, 'admin@example.com', 'admin')).headers;
      as.reviewer = (await userWithToken(t.app, 'rev@example.com', 'reviewer', { approvalLimit: 100, approvalLimitCurrency: 'USD' })).headers;
      as.viewer = (await userWithToken(t.app, 'view@example.com', 'viewer')).headers;
      const wf = await call('admin', 'POST', '/api/workflows', {
        id: 'pay-out',
        steps: [
          { id: 'ok', type: 'approval', title: 'Pay out', data: { amount: '{{ input.amount }}' }, amount: 'input.amount', currency: '"USD"' },
          { id: 'paid', type: 'end', output: '{{ steps.ok }}' },
        ],
      });
      assert.equal(wf.status, 201);
    });
    after(async () => t.close());

    test('the inbox lists waiting approvals; reviewers decide within their limit; viewers cannot', async () => {
      const small = await call('admin', 'POST', '/api/workflows/pay-out/runs', { input: { amount: 50 }, wait: 1000 });
      const big = await call('admin', 'POST', '/api/workflows/pay-out/runs', { input: { amount: 500 }, wait: 1000 });
      const inbox = await call('viewer', 'GET', '/api/inbox');
      const approvals = inbox.json.approvals as { id: string; runId: string; amount: number }[];
      const smallTask = approvals.find((a) => a.runId === (small.json.run as { id: string }).id);
      const bigTask = approvals.find((a) => a.runId === (big.json.run as { id: string }).id);
      assert.ok(smallTask && bigTask);
      assert.equal(bigTask.amount, 500);
      assert.equal(code(await call('viewer', 'POST', `/api/approvals/${smallTask.id}/approve`, {})), 'FORBIDDEN_ROLE');
      const over = await call('reviewer', 'POST', `/api/approvals/${bigTask.id}/approve`, {});
      assert.equal(over.status, 403);
      assert.equal(code(over), 'APPROVAL_LIMIT_EXCEEDED');
      assert.equal(code(await call('reviewer', 'POST', `/api/approvals/${bigTask.id}/reject`, {})), 'REQUEST_INVALID', 'a rejection needs a reason');
      const edited = await call('reviewer', 'POST', `/api/approvals/${smallTask.id}/approve`, { data: { amount: 45 } });
      assert.equal(edited.status, 200);
      assert.deepEqual((edited.json.approval as { editDiff: unknown }).editDiff, [{ path: 'amount', from: 50, to: 45 }]);
      assert.equal(code(await call('reviewer', 'POST', `/api/approvals/${smallTask.id}/approve`, {})), 'APPROVAL_CLOSED');
      const rejected = await call('admin', 'POST', `/api/approvals/${bigTask.id}/reject`, { reason: 'too much' });
      assert.equal((rejected.json.approval as { status: string }).status, 'rejected');
      const one = await call('viewer', 'GET', `/api/approvals/${bigTask.id}`);
      assert.deepEqual([(one.json.approval as { status: string; reason: string }).status, (one.json.approval as { reason: string }).reason], ['rejected', 'too much']);
      assert.equal(code(await call('viewer', 'GET', '/api/approvals/no-such-task')), 'APPROVAL_NOT_FOUND');
      await t.app.worker.drain();
      const run = await call('viewer', 'GET', `/api/runs/${smallTask.runId}`);
      assert.deepEqual((run.json.run as { output: unknown }).output, { amount: 45 });
    });

    test('bulk approve reports each task on its own', async () => {
      const ids: string[] = [];
      for (const amount of [10, 20, 900]) {
        const r = await call('admin', 'POST', '/api/workflows/pay-out/runs', { input: { amount }, wait: 1000 });
        const task = ((await call('viewer', 'GET', '/api/approvals')).json.approvals as { id: string; runId: string }[]).find((a) => a.runId === (r.json.run as { id: string }).id);
        ids.push(task?.id ?? '');
      }
      const bulk = await call('reviewer', 'POST', '/api/approvals/bulk-approve', { ids });
      const results = bulk.json.results as { ok: boolean; error?: { code: string } }[];
      assert.deepEqual(results.map((r) => r.ok), [true, true, false]);
      assert.equal(results[2]?.error?.code, 'APPROVAL_LIMIT_EXCEEDED');
    });

    test('the audit trail can be searched, verified and exported', async () => {
      const entries = (await call('viewer', 'GET', '/api/audit?action=approval.decided')).json.entries as { actor: string }[];
      assert.ok(entries.some((e) => e.actor === 'user:rev@example.com'));
      const verify = await call('viewer', 'GET', '/api/audit/verify');
      assert.equal(verify.json.ok, true);
      assert.ok((verify.json.entries as number) > 5);
      assert.equal((await call('viewer', 'GET', '/api/audit/export')).status, 403, 'exports are for admins');
      const csv = await call('admin', 'GET', '/api/audit/export?format=csv');
      assert.match(csv.text, /^seq,at,actor,action/);
      const jsonl = await call('admin', 'GET', '/api/audit/export?format=jsonl');
      const first = JSON.parse(jsonl.text.split('\n')[0] ?? '{}') as { seq: number };
      assert.equal(first.seq, 1);
    });

    test('policies are validated, versioned and listed; graduation reports steps', async () => {
      const bad = await call('admin', 'POST', '/api/policies', { id: 'p', rules: [{ id: 'x', type: 'threshold', value: 'output.total', over: 10 }] });
      assert.equal(code(bad), 'POLICY_INVALID');
      assert.match((bad.json.error as { message: string }).message, /rules\[0\]/);
      assert.equal(code(await call('reviewer', 'POST', '/api/policies', { id: 'p', rules: [] })), 'FORBIDDEN_ROLE');
      const saved = await call('admin', 'POST', '/api/policies', { id: 'p', rules: [{ id: 'x', type: 'threshold', value: 'output.total', over: 10, tier: 'review' }] });
      assert.equal(saved.status, 201);
      const again = await call('admin', 'POST', '/api/policies', { id: 'p', rules: [{ id: 'x', type: 'threshold', value: 'output.total', over: 10, tier: 'review' }] });
      assert.deepEqual([again.status, again.json.version], [200, 1]);
      const list = (await call('viewer', 'GET', '/api/policies')).json.policies as { id: string }[];
      assert.deepEqual(list.map((p) => p.id), ['p']);
      assert.equal((await call('viewer', 'GET', '/api/graduation')).status, 200);
    });

    test('only owners add users; anyone can make a token for themselves, admins for others', async () => {
      assert.equal(code(await call('admin', 'POST', '/api/users', { email: 'new@example.com', role: 'viewer' })), 'FORBIDDEN_ROLE');
      assert.equal(code(await call('owner', 'POST', '/api/users', { email: 'not-an-email', role: 'viewer' })), 'REQUEST_INVALID');
      const added = await call('owner', 'POST', '/api/users', { email: 'new@example.com', role: 'viewer' });
      assert.equal(added.status, 201);
      assert.equal(code(await call('owner', 'POST', '/api/users', { email: 'new@example.com', role: 'viewer' })), 'USER_EXISTS');
      const own = await call('viewer', 'POST', '/api/users/view@example.com/tokens', { name: 'laptop' });
      assert.equal(own.status, 201);
      const me = await app.request('/api/me', { headers: { authorization: `Bearer ${String(own.json.token)}` } });
      assert.equal(((await me.json()) as { user: { email: string } }).user.email, 'view@example.com');
      assert.equal(code(await call('viewer', 'POST', '/api/users/new@example.com/tokens', {})), 'FORBIDDEN_ROLE');
    });
  });
}
