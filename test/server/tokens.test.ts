/**
 * People and tokens through the API: your own token list (never the token itself), revoking a
 * token (yours; anyone's for an owner) after which it is refused, and disabling a person — no
 * sign-in, no tokens, their sessions end — with the last owner kept, even when two owners
 * disable each other at the same moment.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setUserDisabled } from '../../src/governance/index.ts';
import { createHttpApp } from '../../src/server/index.ts';
import { openTestApp, userWithToken, type TestApp } from '../helpers/app.ts';
import { testDialects } from '../helpers/dialects.ts';

type Json = Record<string, unknown>;
interface Token {
  id: string;
  name: string;
  prefix: string;
  user: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

const password = 'correct horse battery';

for (const dialect of testDialects()) {
  describe(`tokens and disabled users on ${dialect}`, () => {
    let t: TestApp;
    let app: ReturnType<typeof createHttpApp>;
    const as: Record<string, Record<string, string>> = {};
    const call = async (headers: Record<string, string> | null, method: string, path: string, body?: unknown) => {
      const res = await app.request(path, { method, headers: { ...headers, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const text = await res.text();
      return { status: res.status, json: (text === '' ? {} : JSON.parse(text)) as Json, headers: res.headers };
    };
    const codeOf = (json: Json) => (json.error as { code?: string } | undefined)?.code;
    const tokensOf = async (headers: Record<string, string>, query = '') => {
      const res = await call(headers, 'GET', `/api/tokens${query}`);
      assert.equal(res.status, 200, JSON.stringify(res.json));
      return res.json.tokens as Token[];
    };
    const signIn = async (email: string) => {
      const res = await call(null, 'POST', '/api/session', { email, password });
      const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      return { status: res.status, cookie: { cookie } };
    };

    before(async () => {
      t = await openTestApp(dialect);
      app = createHttpApp(t.app);
      as.owner = (await userWithToken(t.app, 'owner@example.com', 'owner')).headers;
      as.admin = (await userWithToken(t.app, 'admin@example.com', 'admin')).headers;
      await t.app.governance.addUser({ email: 'sam@example.com', role: 'reviewer', password });
      as.sam = { authorization: `Bearer ${(await t.app.governance.createToken('sam@example.com', 'laptop')).token}` };
    });
    after(async () => t.close());

    test('you see your own tokens, never the token itself; an owner may look at anyone\'s', async () => {
      assert.equal((await call(null, 'GET', '/api/tokens')).status, 401);
      const created = await call(as.sam ?? {}, 'POST', '/api/users/sam@example.com/tokens', { name: 'backup script' });
      assert.equal(created.status, 201);
      const mine = await tokensOf(as.sam ?? {});
      assert.deepEqual(mine.map((tk) => [tk.name, tk.user]), [['backup script', 'sam@example.com'], ['laptop', 'sam@example.com']]);
      assert.ok((created.json.token as string).startsWith(mine[0]?.prefix ?? '?'), 'the prefix is how a person recognises it');
      assert.ok(mine[1]?.lastUsedAt !== null, 'the laptop token was used for this very request');
      assert.deepEqual(Object.keys(mine[0] ?? {}).sort(), ['createdAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt', 'user']);
      assert.ok(!JSON.stringify(mine).includes(created.json.token as string));

      const peek = await call(as.admin ?? {}, 'GET', '/api/tokens?user=sam@example.com');
      assert.equal(peek.status, 403, 'an admin does not list other people\'s tokens');
      assert.deepEqual((await tokensOf(as.owner ?? {}, '?user=sam@example.com')).map((tk) => tk.name), ['backup script', 'laptop']);
      assert.equal((await call(as.owner ?? {}, 'GET', '/api/tokens?user=nobody@example.com')).status, 404);
      const badQuery = await call(as.owner ?? {}, 'GET', '/api/tokens?user=not-an-email');
      assert.equal(badQuery.status, 400);
      assert.equal((badQuery.json.error as { details: { path: string } }).details.path, 'query.user');
    });

    test('a revoked token is refused; only its owner (or an owner) can revoke it', async () => {
      const created = await call(as.sam ?? {}, 'POST', '/api/users/sam@example.com/tokens', { name: 'to revoke' });
      const token = created.json.token as string;
      const bearer = { authorization: `Bearer ${token}` };
      assert.equal((await call(bearer, 'GET', '/api/me')).status, 200);
      const id = (await tokensOf(as.sam ?? {})).find((tk) => tk.name === 'to revoke')?.id ?? '';

      const byAdmin = await call(as.admin ?? {}, 'DELETE', `/api/tokens/${id}`);
      assert.equal(byAdmin.status, 404, 'someone else\'s token is not found for an admin');
      assert.equal((await call(bearer, 'GET', '/api/me')).status, 200, 'still works');

      const revoked = await call(as.sam ?? {}, 'DELETE', `/api/tokens/${id}`);
      assert.equal(revoked.status, 200);
      assert.ok((revoked.json.token as Token).revokedAt !== null);
      const refused = await call(bearer, 'GET', '/api/me');
      assert.equal(refused.status, 401);
      assert.equal(codeOf(refused.json), 'AUTH_INVALID');
      assert.ok(!(await tokensOf(as.sam ?? {})).some((tk) => tk.id === id), 'a revoked token leaves the list');
      assert.equal((await call(as.sam ?? {}, 'DELETE', `/api/tokens/${id}`)).status, 200, 'revoking again changes nothing');
      assert.equal((await call(as.sam ?? {}, 'DELETE', '/api/tokens/no-such-token')).status, 404);

      // An owner revokes anyone's.
      const backup = (await tokensOf(as.sam ?? {})).find((tk) => tk.name === 'backup script')?.id ?? '';
      assert.equal((await call(as.owner ?? {}, 'DELETE', `/api/tokens/${backup}`)).status, 200);
      assert.deepEqual((await tokensOf(as.sam ?? {})).map((tk) => tk.name), ['laptop']);
      const audit = (await call(as.owner ?? {}, 'GET', '/api/audit?action=token.revoked')).json.entries as { actor: string; data: { name: string } }[];
      assert.deepEqual(audit.map((e) => [e.actor, e.data.name]).sort(), [['user:owner@example.com', 'backup script'], ['user:sam@example.com', 'to revoke']]);
    });

    test('a disabled person cannot sign in or use tokens, and their sessions end; enabling lets them back', async () => {
      const session = await signIn('sam@example.com');
      assert.equal(session.status, 200);
      assert.equal((await call(session.cookie, 'GET', '/api/me')).status, 200);

      assert.equal((await call(as.admin ?? {}, 'POST', '/api/users/sam@example.com/disable')).status, 403, 'owners only');
      const disabled = await call(as.owner ?? {}, 'POST', '/api/users/sam@example.com/disable');
      assert.equal(disabled.status, 200);
      assert.equal((disabled.json.user as { disabled: boolean }).disabled, true);

      assert.equal((await call(session.cookie, 'GET', '/api/me')).status, 401, 'the session ended');
      const rows = await t.app.database.db.selectFrom('sessions').innerJoin('users', 'users.id', 'sessions.user_id').select('sessions.id_hash').where('users.email', '=', 'sam@example.com').execute();
      assert.deepEqual(rows, [], 'no session of theirs is left');
      assert.equal((await signIn('sam@example.com')).status, 401, 'they cannot sign in');
      const token = await call(as.sam ?? {}, 'GET', '/api/me');
      assert.equal(token.status, 401);
      assert.equal(codeOf(token.json), 'AUTH_INVALID');
      const listed = ((await call(as.admin ?? {}, 'GET', '/api/users')).json.users as { email: string; disabled: boolean }[]).find((u) => u.email === 'sam@example.com');
      assert.equal(listed?.disabled, true);

      assert.equal((await call(as.owner ?? {}, 'POST', '/api/users/sam@example.com/enable')).status, 200);
      assert.equal((await call(as.sam ?? {}, 'GET', '/api/me')).status, 200, 'their token works again');
      assert.equal((await signIn('sam@example.com')).status, 200, 'they can sign in again');
      assert.equal((await call(as.owner ?? {}, 'POST', '/api/users/nobody@example.com/disable')).status, 404);
      const audit = (await call(as.owner ?? {}, 'GET', '/api/audit?subject=' + (await t.app.governance.findUser('sam@example.com')).id)).json.entries as { action: string }[];
      assert.ok(audit.some((e) => e.action === 'user.disabled') && audit.some((e) => e.action === 'user.enabled'));
    });

    test('the last owner cannot be disabled, even when two owners disable each other at once', async () => {
      const alone = await call(as.owner ?? {}, 'POST', '/api/users/owner@example.com/disable');
      assert.equal(alone.status, 409);
      assert.equal(codeOf(alone.json), 'LAST_OWNER');

      as.second = (await userWithToken(t.app, 'second@example.com', 'owner')).headers;
      const [a, b] = await Promise.all([call(as.owner ?? {}, 'POST', '/api/users/second@example.com/disable'), call(as.second, 'POST', '/api/users/owner@example.com/disable')]);
      assert.deepEqual([a.status, b.status].filter((s) => s === 200), [200], `exactly one wins: ${a.status} ${b.status}`);
      const owners = (await t.app.database.db.selectFrom('users').select('email').where('role', '=', 'owner').where('disabled', '=', 0).execute()).map((u) => u.email);
      assert.equal(owners.length, 1, 'one owner is left enabled');
    });

    test('on PostgreSQL the last-owner check waits for a change in flight, so both cannot pass', { skip: dialect !== 'postgres' && 'PostgreSQL only: SQLite has one writer' }, async () => {
      const db = t.app.database.db;
      const [remaining] = (await db.selectFrom('users').select('email').where('role', '=', 'owner').where('disabled', '=', 0).execute()).map((u) => u.email);
      await t.app.governance.addUser({ email: 'third@example.com', role: 'owner' });
      const first = await t.app.governance.findUser(remaining ?? '');
      const third = await t.app.governance.findUser('third@example.com');
      let release = (): void => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      // One transaction disables the third owner and stays open; meanwhile the third disables the first.
      const one = db.transaction().execute(async (tx) => {
        await setUserDisabled(tx, 'postgres', third.email, true, first, Date.now());
        await held;
      });
      await new Promise((r) => setTimeout(r, 100));
      // Its outcome is caught at once: it may fail while the first is still being awaited.
      const two = db
        .transaction()
        .execute((tx) => setUserDisabled(tx, 'postgres', first.email, true, third, Date.now()))
        .then(
          () => 'disabled',
          (error: Error & { code?: string }) => error.code ?? error.message,
        );
      await new Promise((r) => setTimeout(r, 200));
      release();
      await one;
      assert.equal(await two, 'LAST_OWNER');
      assert.equal((await t.app.governance.findUser(first.email)).disabled, false);
    });
  });
}
