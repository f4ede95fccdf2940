/** Webhooks over a real socket: listen() serves them straight from node:http with the same rules. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { listen, signBody, type RunningServer } from '../../src/server/index.ts';
import { openTestApp, userWithToken, type TestApp } from '../helpers/app.ts';
import { testDialects } from '../helpers/dialects.ts';

for (const dialect of testDialects()) {
  describe(`webhooks over HTTP on ${dialect}`, () => {
    let t: TestApp;
    let server: RunningServer;
    before(async () => {
      process.env.TEST_LISTEN_SECRET = 'topsecret';
      t = await openTestApp(dialect, { realClock: true, config: { port: 0, maxBodyBytes: 2048 } });
      await t.app.engine.addWorkflow({
        id: 'echo',
        triggers: [{ type: 'webhook', key: 'echo' }, { type: 'webhook', key: 'signed', secretEnv: 'TEST_LISTEN_SECRET' }],
        steps: [{ id: 'done', type: 'end', output: { got: '{{ input.n }}' } }],
      });
      server = await listen(t.app);
    });
    after(async () => {
      await server.close();
      await t.close();
    });
    const post = (path: string, body: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    const code = async (res: Response) => ((await res.json()) as { error?: { code: string } }).error?.code;

    test('a waiting caller gets the output; security headers are set', async () => {
      const res = await post('/hooks/echo?wait=2000', '{"n": 7}');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      const body = (await res.json()) as { status: string; output: unknown };
      assert.deepEqual([body.status, body.output], ['completed', { got: 7 }]);
    });
    test('without waiting: 202 and the run id; a repeated Idempotency-Key gets the same run', async () => {
      const a = await post('/hooks/echo', '{"n": 1}', { 'idempotency-key': 'k-1' });
      const b = await post('/hooks/echo', '{"n": 1}', { 'idempotency-key': 'k-1' });
      assert.equal(a.status, 202);
      assert.equal(((await a.json()) as { runId: string }).runId, ((await b.json()) as { runId: string }).runId);
      assert.equal(b.headers.get('idempotent-replayed'), 'true');
    });
    test('the same clear errors as the API', async () => {
      assert.equal(await code(await post('/hooks/nope', '{}')), 'WEBHOOK_NOT_FOUND');
      assert.equal(await code(await post('/hooks/echo', '{oops')), 'REQUEST_JSON_INVALID');
      const big = await post('/hooks/echo', JSON.stringify({ pad: 'x'.repeat(5000) }));
      assert.equal(big.status, 413);
      assert.equal(await code(big), 'REQUEST_TOO_LARGE');
      const unsigned = await post('/hooks/signed', '{"n":2}');
      assert.equal(unsigned.status, 401);
      const signed = await post('/hooks/signed?wait=1000', '{"n":2}', { 'x-opsloop-signature': signBody('topsecret', '{"n":2}') });
      assert.equal(signed.status, 200);
    });
    test('everything else goes through the API with its token', async () => {
      const health = await fetch(`${server.url}/healthz`);
      assert.equal(health.status, 200);
      assert.equal((await fetch(`${server.url}/api/runs`)).status, 401);
      const owner = await userWithToken(t.app, `o-${dialect}@example.com`, 'owner');
      assert.equal((await fetch(`${server.url}/api/runs`, { headers: owner.headers })).status, 200);
    });
  });
}
