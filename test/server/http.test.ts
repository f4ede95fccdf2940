/** The HTTP surface, in-process (app.request), on every dialect. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHttpApp, signBody } from '../../src/server/index.ts';
import { openTestApp, userWithToken, type TestApp } from '../helpers/app.ts';
import { testDialects } from '../helpers/dialects.ts';

const orderCheck = {
  id: 'order-check',
  triggers: [{ type: 'webhook', key: 'orders' }, { type: 'webhook', key: 'signed-orders', secretEnv: 'TEST_HOOK_SECRET' }],
  steps: [
    { id: 'validate', type: 'action', action: 'core.validate', input: { data: '{{ input }}', required: ['amount'], numbers: ['amount'] } },
    { id: 'compute', type: 'action', action: 'core.set', input: { total: '{{ input.amount * 2 }}' } },
    { id: 'size', type: 'branch', cases: [{ when: 'steps.compute.total > 1000', next: 'large' }], default: 'small' },
    { id: 'large', type: 'end', output: { total: '{{ steps.compute.total }}', size: 'large' } },
    { id: 'small', type: 'end', output: { total: '{{ steps.compute.total }}', size: 'small' } },
  ],
};

for (const dialect of testDialects()) {
  describe(`HTTP API on ${dialect}`, () => {
    let t: TestApp;
    let app: ReturnType<typeof createHttpApp>;
    let auth: Record<string, string>;
    // Every request as the owner unless it says otherwise.
    const http = {
      request: (path: string, init: RequestInit = {}) => app.request(path, { ...init, headers: { ...auth, ...(init.headers as Record<string, string> | undefined) } }),
    };
    before(async () => {
      process.env.TEST_HOOK_SECRET = 's3cret';
      t = await openTestApp(dialect, { realClock: true, config: { maxBodyBytes: 4096 } });
      app = createHttpApp(t.app);
      auth = (await userWithToken(t.app, 'owner@example.com', 'owner')).headers;
      const res = await http.request('/api/workflows', { method: 'POST', body: JSON.stringify(orderCheck), headers: { 'content-type': 'application/json' } });
      assert.equal(res.status, 201);
    });
    after(async () => t.close());

    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      http.request(path, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

    test('every /api route needs a valid token; roles limit what a token may do', async () => {
      const none = await app.request('/api/runs');
      assert.equal(none.status, 401);
      assert.equal(((await none.json()) as { error: { code: string } }).error.code, 'AUTH_REQUIRED');
      const wrong = await app.request('/api/runs', { headers: { authorization: 'Bearer olp_not-a-token' } });
      assert.equal(((await wrong.json()) as { error: { code: string } }).error.code, 'AUTH_INVALID');
      const viewer = await userWithToken(t.app, `viewer-${dialect}@example.com`, 'viewer');
      assert.equal((await app.request('/api/runs', { headers: viewer.headers })).status, 200);
      const refused = await app.request('/api/workflows/order-check/runs', { method: 'POST', body: '{}', headers: { ...viewer.headers, 'content-type': 'application/json' } });
      assert.equal(refused.status, 403);
      assert.match(((await refused.json()) as { error: { message: string } }).error.message, /viewer; this needs the admin role/);
      const hook = await app.request('/hooks/orders?wait=1000', { method: 'POST', body: JSON.stringify({ amount: 1 }), headers: { 'content-type': 'application/json' } });
      assert.equal(hook.status, 200, 'webhooks use their own secret, not tokens');
    });

    test('GET /healthz answers with the database in use', async () => {
      const res = await http.request('/healthz');
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: 'ok', database: dialect, worker: 'test-worker' });
    });

    test('a webhook that waits gets the run output', async () => {
      const res = await post('/hooks/orders?wait=5000', { amount: 700 });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { status: string; output: unknown; runId: string };
      assert.equal(body.status, 'completed');
      assert.deepEqual(body.output, { total: 1400, size: 'large' });
    });

    test('a webhook that does not wait gets 202 and the run id; the worker runs it', async () => {
      const res = await post('/hooks/orders', { amount: 5 });
      assert.equal(res.status, 202);
      const { runId } = (await res.json()) as { runId: string };
      await t.app.worker.drain();
      const run = await http.request(`/api/runs/${runId}`);
      const body = (await run.json()) as { run: { status: string; output: unknown; steps: unknown[] } };
      assert.equal(body.run.status, 'completed');
      assert.deepEqual(body.run.output, { total: 10, size: 'small' });
      assert.equal(body.run.steps.length, 4);
    });

    test('a retried delivery with the same Idempotency-Key maps to the same run', async () => {
      const first = await post('/hooks/orders?wait=1000', { amount: 1 }, { 'idempotency-key': 'delivery-1' });
      const second = await post('/hooks/orders?wait=1000', { amount: 1 }, { 'idempotency-key': 'delivery-1' });
      const a = (await first.json()) as { runId: string };
      const b = (await second.json()) as { runId: string };
      assert.equal(b.runId, a.runId);
      assert.equal(second.headers.get('idempotent-replayed'), 'true');
    });

    test('a signed webhook needs the right HMAC-SHA256 signature', async () => {
      const body = JSON.stringify({ amount: 3 });
      const unsigned = await post('/hooks/signed-orders', body);
      assert.equal(unsigned.status, 401);
      assert.equal(((await unsigned.json()) as { error: { code: string } }).error.code, 'WEBHOOK_SIGNATURE_INVALID');
      const wrong = await post('/hooks/signed-orders', body, { 'x-opsloop-signature': signBody('other', body) });
      assert.equal(wrong.status, 401);
      const signed = await post('/hooks/signed-orders?wait=1000', body, { 'x-opsloop-signature': signBody('s3cret', body) });
      assert.equal(signed.status, 200);
    });

    test('bad requests get a clear error with a stable code, and nothing is written', async () => {
      const countRuns = async () => ((await (await http.request('/api/runs?limit=500')).json()) as { runs: unknown[] }).runs.length;
      const before = await countRuns();
      const cases: [Response | Promise<Response>, number, string][] = [
        [post('/hooks/nope', {}), 404, 'WEBHOOK_NOT_FOUND'],
        [post('/hooks/orders', '{"amount": 1'), 400, 'REQUEST_JSON_INVALID'],
        [post('/hooks/orders', '[1,2]'), 400, 'RUN_INPUT_INVALID'],
        [post('/hooks/orders', { pad: 'x'.repeat(5000) }), 413, 'REQUEST_TOO_LARGE'],
        [post('/api/workflows/nope/runs', {}), 404, 'WORKFLOW_NOT_FOUND'],
        [post('/api/workflows/order-check/runs', { input: 'text' }), 400, 'REQUEST_INVALID'],
        [post('/api/workflows', { id: 'bad', steps: [{ id: 'a', type: 'teleport' }] }), 400, 'WORKFLOW_INVALID'],
        [post('/api/workflows', { id: 'bad', steps: [{ id: 'a', type: 'branch', cases: [{ when: 'a >', next: 'a' }] }] }), 400, 'WORKFLOW_INVALID'],
        [post('/api/runs/00000000-0000-7000-8000-000000000000/signals', { name: 'x' }), 404, 'RUN_NOT_FOUND'],
        [post('/api/runs/00000000-0000-7000-8000-000000000000/retry', {}), 404, 'RUN_NOT_FOUND'],
        [http.request('/api/runs?status=bogus'), 400, 'REQUEST_INVALID'],
        [http.request('/api/nothing-here'), 404, 'ROUTE_NOT_FOUND'],
      ];
      for (const [response, status, code] of cases) {
        const res = await response;
        const body = (await res.json()) as { error: { code: string; message: string } };
        assert.equal(res.status, status, `${code}: ${body.error.message}`);
        assert.equal(body.error.code, code);
        assert.ok(body.error.message.length > 10, 'the message says what is wrong');
      }
      assert.equal(await countRuns(), before);
    });

    test('the workflow error names the path of the bad field', async () => {
      const res = await post('/api/workflows', { id: 'bad', steps: [{ id: 'a', type: 'action', action: 'core.set' }, { id: 'b', type: 'action', action: 'core.set', next: 'zz' }] });
      const body = (await res.json()) as { error: { message: string; details: { path: string } } };
      assert.equal(body.error.details.path, 'steps[1].next');
      assert.match(body.error.message, /there is no step "zz"/);
    });

    test('runs can be listed, filtered, signalled, retried and cancelled over the API', async () => {
      await post('/api/workflows', { id: 'hold', steps: [{ id: 'ok', type: 'approval' }, { id: 'done', type: 'end', output: 'yes' }] });
      const started = await post('/api/workflows/hold/runs', { input: {}, wait: 2000 });
      assert.equal(started.status, 201);
      const { run } = (await started.json()) as { run: { id: string; status: string } };
      assert.equal(run.status, 'waiting');
      const waiting = (await (await http.request('/api/runs?status=waiting&workflow=hold')).json()) as { runs: { id: string }[] };
      assert.deepEqual(waiting.runs.map((r) => r.id), [run.id]);
      const raw = await post(`/api/runs/${run.id}/signals`, { name: 'approval', payload: { decision: 'approve' } });
      assert.equal(((await raw.json()) as { error: { code: string } }).error.code, 'USE_APPROVALS_API');
      const inbox = (await (await http.request('/api/approvals')).json()) as { approvals: { id: string; runId: string }[] };
      const task = inbox.approvals.find((a) => a.runId === run.id);
      assert.ok(task, 'the waiting run has a task in the inbox');
      const approved = await post(`/api/approvals/${task.id}/approve`, {});
      assert.equal(approved.status, 200);
      await t.app.worker.drain();
      const done = (await (await http.request(`/api/runs/${run.id}`)).json()) as { run: { status: string; output: unknown } };
      assert.deepEqual([done.run.status, done.run.output], ['completed', 'yes']);
      const conflict = await post(`/api/runs/${run.id}/cancel`, {});
      assert.equal(conflict.status, 409);

      const other = (await (await post('/api/workflows/hold/runs', { input: {}, wait: 1000 })).json()) as { run: { id: string } };
      const cancelled = await post(`/api/runs/${other.run.id}/cancel`, { reason: 'duplicate' });
      assert.equal(((await cancelled.json()) as { run: { status: string } }).run.status, 'cancelled');
      const [entry] = await t.app.governance.searchAudit({ runId: other.run.id, action: 'run.cancelled' });
      assert.deepEqual([entry?.actor, (entry?.data as { reason: string }).reason], ['user:owner@example.com', 'duplicate'], 'the cancellation is audited with who and why');
    });

    test('events can be emitted over the API', async () => {
      const res = await post('/api/events', { name: 'thing.happened', key: 7, payload: { a: 1 } });
      assert.equal(res.status, 202);
      const body = (await res.json()) as { eventId: number; woken: string[] };
      assert.ok(body.eventId > 0);
      assert.deepEqual(body.woken, []);
    });
  });
}
