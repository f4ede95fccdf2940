/**
 * Everyone's API tokens for an owner (GET /api/tokens/all): each with whose it is, revocable by
 * the owner, after which it is refused. Admins and reviewers see only their own.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHttpApp } from '../../src/server/index.ts';
import { openTestApp, userWithToken, type TestApp } from '../helpers/app.ts';
import { testDialects } from '../helpers/dialects.ts';

type Json = Record<string, unknown>;
interface Token {
  id: string;
  name: string;
  prefix: string;
  user: string;
}

for (const dialect of testDialects()) {
  describe(`everyone's tokens on ${dialect}`, () => {
    let t: TestApp;
    let app: ReturnType<typeof createHttpApp>;
    const as: Record<string, Record<string, string>> = {};
    const call = async (headers: Record<string, string> | undefined, method: string, path: string) => {
      const res = await app.request(path, { method, headers: { ...headers } });
      return { status: res.status, json: (await res.json()) as Json };
    };

    before(async () => {
      t = await openTestApp(dialect);
      app = createHttpApp(t.app);
      for (const role of ['owner', 'admin', 'reviewer'] as const) as[role] = (await userWithToken(t.app, `${role}@example.com`, role)).headers;
      await t.app.governance.createToken('reviewer@example.com', 'nightly export');
    });
    after(async () => t.close());

    test("an owner lists everyone's tokens with whose each is, and revokes another person's", async () => {
      const listed = await call(as.owner, 'GET', '/api/tokens/all');
      assert.equal(listed.status, 200, JSON.stringify(listed.json));
      const tokens = listed.json.tokens as Token[];
      assert.deepEqual(tokens.map((tk) => `${tk.user} ${tk.name}`).sort(), ['admin@example.com test', 'owner@example.com test', 'reviewer@example.com nightly export', 'reviewer@example.com test']);
      assert.ok(tokens.every((tk) => !('token' in tk) && tk.prefix.length > 0), 'never the token itself');

      const nightly = tokens.find((tk) => tk.name === 'nightly export');
      assert.ok(nightly);
      const revoked = await call(as.owner, 'DELETE', `/api/tokens/${nightly.id}`);
      assert.equal(revoked.status, 200);
      const after = (await call(as.owner, 'GET', '/api/tokens/all')).json.tokens as Token[];
      assert.deepEqual(after.filter((tk) => tk.user === 'reviewer@example.com').map((tk) => tk.name), ['test'], 'the revoked one is gone, the other stays');
    });

    test("an admin or a reviewer cannot list other people's tokens", async () => {
      for (const who of ['admin', 'reviewer'] as const) {
        const denied = await call(as[who], 'GET', '/api/tokens/all');
        assert.equal(denied.status, 403, who);
        assert.match((denied.json.error as { message: string }).message, /this needs the owner role/);
        const other = await call(as[who], 'GET', '/api/tokens?user=owner@example.com');
        assert.equal(other.status, 403, who);
        const own = (await call(as[who], 'GET', '/api/tokens')).json.tokens as Token[];
        assert.ok(own.length > 0 && own.every((tk) => tk.user === `${who}@example.com`), who);
      }
      assert.equal((await call(undefined, 'GET', '/api/tokens/all')).status, 401);
    });
  });
}
