/** Browser sessions: first-start setup, sign-in and sign-out, the cookie, CSRF, expiry and the sign-in rate limit. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createHttpApp } from '../../src/server/index.ts';
import { day, hour, openTestApp, userWithToken, type TestApp } from '../helpers/app.ts';
import { testDialects } from '../helpers/dialects.ts';

interface Answer {
  status: number;
  json: Record<string, unknown>;
  headers: Headers;
}

const code = (r: Answer) => (r.json.error as { code?: string } | undefined)?.code;

/** The opsloop_session value a response set, and its attributes. */
function sessionCookieOf(res: Answer): { value: string; attributes: string[] } {
  const header = res.headers.get('set-cookie') ?? '';
  const [pair, ...attributes] = header.split(';').map((p) => p.trim());
  assert.match(pair ?? '', /^opsloop_session=/, `no session cookie in "${header}"`);
  return { value: (pair ?? '').slice('opsloop_session='.length), attributes };
}

for (const dialect of testDialects()) {
  describe(`browser sessions on ${dialect}`, () => {
    let t: TestApp;
    let app: ReturnType<typeof createHttpApp>;
    const password = 'correct horse battery';
    let ownerEmail = '';

    const call = async (method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; ip?: string } = {}): Promise<Answer> => {
      const env = options.ip === undefined ? undefined : { incoming: { socket: { remoteAddress: options.ip } } };
      const res = await app.request(path, { method, headers: { 'content-type': 'application/json', ...options.headers }, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) }, env);
      const text = await res.text();
      return { status: res.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), headers: res.headers };
    };
    const signIn = async (email: string, pass = password, ip?: string) => call('POST', '/api/session', { body: { email, password: pass }, ...(ip === undefined ? {} : { ip }) });

    before(async () => {
      t = await openTestApp(dialect);
      app = createHttpApp(t.app);
    });
    after(async () => t.close());

    test('first start: the owner is created once, atomically, and signed in', async () => {
      assert.deepEqual((await call('GET', '/api/setup')).json, { needsOwner: true });
      const short = await call('POST', '/api/setup', { body: { email: 'owner@example.com', password: 'short' } });
      assert.equal(short.status, 400);
      assert.equal((short.json.error as { details: { path: string } }).details.path, 'body.password');
      assert.deepEqual((await call('GET', '/api/setup')).json, { needsOwner: true }, 'nothing was written');
      // Two at once: exactly one becomes the owner.
      const [a, b] = await Promise.all([
        call('POST', '/api/setup', { body: { email: 'Owner@Example.com', password, name: 'Olga Owner' } }),
        call('POST', '/api/setup', { body: { email: 'Other@example.com', password, name: 'Olga Owner' } }),
      ]);
      assert.deepEqual([a.status, b.status].sort(), [200, 409]);
      const won = a.status === 200 ? a : b;
      const lost = a.status === 200 ? b : a;
      assert.equal(code(lost), 'SETUP_DONE');
      ownerEmail = (won.json.user as { email: string }).email;
      assert.ok(['owner@example.com', 'other@example.com'].includes(ownerEmail), 'the email is stored lower-cased');
      assert.deepEqual(won.json.user, { email: ownerEmail, role: 'owner', name: 'Olga Owner' });
      assert.equal(typeof won.json.csrfToken, 'string');
      const cookie = sessionCookieOf(won);
      assert.equal((await call('GET', '/api/session', { headers: { cookie: `opsloop_session=${cookie.value}` } })).status, 200, 'setup signs the owner in');
      assert.deepEqual((await call('GET', '/api/setup')).json, { needsOwner: false });
      assert.equal(code(await call('POST', '/api/setup', { body: { email: 'late@example.com', password } })), 'SETUP_DONE');
      const users = await t.app.governance.listUsers();
      assert.deepEqual(users.map((u) => [u.email, u.role]), [[ownerEmail, 'owner']], 'one owner, not two');
    });

    test('sign-in sets a safe cookie; the database keeps only its hash; sign-out ends it', async () => {
      const wrongPassword = await signIn(ownerEmail, 'not the password');
      const unknownEmail = await signIn('nobody@example.com', password);
      assert.deepEqual([wrongPassword.status, unknownEmail.status], [401, 401]);
      assert.equal((wrongPassword.json.error as { message: string }).message, (unknownEmail.json.error as { message: string }).message, 'the answer does not tell which part was wrong');
      assert.equal(wrongPassword.headers.get('set-cookie'), null);

      const ok = await signIn(ownerEmail.toUpperCase());
      assert.equal(ok.status, 200);
      assert.deepEqual(ok.json.user, { email: ownerEmail, role: 'owner', name: 'Olga Owner' });
      const cookie = sessionCookieOf(ok);
      assert.ok(cookie.attributes.includes('HttpOnly'));
      assert.ok(cookie.attributes.includes('SameSite=Strict'));
      assert.ok(cookie.attributes.includes('Path=/'));
      assert.ok(!cookie.attributes.includes('Secure'), 'plain http: not Secure');
      assert.ok(cookie.attributes.includes(`Max-Age=${7 * 24 * 3600}`));
      const stored = await t.app.database.db.selectFrom('sessions').select('id_hash').execute();
      assert.ok(!stored.some((s) => s.id_hash === cookie.value), 'the session id itself is not stored');
      assert.ok(stored.some((s) => s.id_hash === createHash('sha256').update(cookie.value).digest('hex')));

      const headers = { cookie: `opsloop_session=${cookie.value}` };
      const me = await call('GET', '/api/session', { headers });
      assert.deepEqual(me.json, ok.json, 'GET /api/session answers like sign-in');
      assert.equal((await call('GET', '/api/runs', { headers })).status, 200, 'the cookie opens the API');
      assert.equal((await call('GET', '/api/me', { headers })).json.user !== undefined, true);

      const out = await call('DELETE', '/api/session', { headers });
      assert.equal(out.status, 204);
      assert.match(out.headers.get('set-cookie') ?? '', /opsloop_session=;.*Max-Age=0/);
      assert.equal((await call('GET', '/api/session', { headers })).status, 401);
      assert.equal(code(await call('GET', '/api/runs', { headers })), 'SESSION_ENDED');
      assert.equal(code(await call('GET', '/api/session')), 'AUTH_REQUIRED');
    });

    test('the cookie is Secure over https, behind a TLS proxy, or when the setting says so', async () => {
      const viaProxy = await call('POST', '/api/session', { body: { email: ownerEmail, password }, headers: { 'x-forwarded-proto': 'https' } });
      assert.ok(sessionCookieOf(viaProxy).attributes.includes('Secure'));
      const res = await app.request('https://opsloop.example.com/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ownerEmail, password }) });
      assert.match(res.headers.get('set-cookie') ?? '', /; Secure/);
      const strict = await openTestApp(dialect, { config: { secureCookies: 'true' } });
      try {
        const strictApp = createHttpApp(strict.app);
        const r = await strictApp.request('/api/setup', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'o@example.com', password }) });
        assert.equal(r.status, 200);
        assert.match(r.headers.get('set-cookie') ?? '', /; Secure/);
      } finally {
        await strict.close();
      }
    });

    test('with the cookie, changes need the CSRF token and a same-site Origin; tokens need neither', async () => {
      const ok = await signIn(ownerEmail);
      const cookie = `opsloop_session=${sessionCookieOf(ok).value}`;
      const csrf = ok.json.csrfToken as string;
      const workflow = { id: 'hello', steps: [{ id: 'done', type: 'end', output: { hi: true } }] };
      const none = await call('POST', '/api/workflows', { body: workflow, headers: { cookie } });
      assert.equal(none.status, 403);
      assert.equal(code(none), 'CSRF_TOKEN_INVALID');
      assert.equal(code(await call('POST', '/api/workflows', { body: workflow, headers: { cookie, 'x-csrf-token': `${csrf}x` } })), 'CSRF_TOKEN_INVALID');
      const foreign = await call('POST', '/api/workflows', { body: workflow, headers: { cookie, 'x-csrf-token': csrf, origin: 'https://evil.example', host: 'opsloop.local' } });
      assert.equal(foreign.status, 403);
      assert.equal(code(foreign), 'ORIGIN_MISMATCH');
      assert.equal((await t.app.engine.workflows.list()).length, 0, 'nothing was saved');
      const same = await call('POST', '/api/workflows', { body: workflow, headers: { cookie, 'x-csrf-token': csrf, origin: 'http://opsloop.local', host: 'opsloop.local' } });
      assert.equal(same.status, 201);
      assert.equal((await call('POST', '/api/workflows', { body: workflow, headers: { cookie, 'x-csrf-token': csrf } })).status, 200, 'no Origin header (same-origin GET-like clients): the token is enough');
      const proxied = await call('POST', '/api/workflows', { body: workflow, headers: { cookie, 'x-csrf-token': csrf, origin: 'https://ops.example.com', host: '127.0.0.1:3000', 'x-forwarded-host': 'ops.example.com' } });
      assert.equal(proxied.status, 200, 'behind a proxy that rewrites Host, X-Forwarded-Host counts');

      const script = await userWithToken(t.app, 'script@example.com', 'admin');
      const byToken = await call('POST', '/api/workflows/hello/runs', { body: { wait: 1000 }, headers: script.headers });
      assert.equal(byToken.status, 201, 'a bearer token needs no CSRF token');
      assert.equal(code(await call('GET', '/api/runs', { headers: { authorization: 'Bearer olp_wrong' } })), 'AUTH_INVALID');
      assert.equal(code(await call('GET', '/api/runs')), 'AUTH_REQUIRED');
      assert.equal((await call('POST', '/api/session', { body: { email: ownerEmail, password }, headers: { origin: 'https://evil.example', host: 'opsloop.local' } })).status, 403, 'no sign-in from another site');
    });

    test('a session ends after 12 hours idle, and 7 days after sign-in whatever the activity', async () => {
      const ok = await signIn(ownerEmail);
      const headers = { cookie: `opsloop_session=${sessionCookieOf(ok).value}` };
      t.clock.advance(11 * hour);
      assert.equal((await call('GET', '/api/runs', { headers })).status, 200, 'used within 12 hours');
      t.clock.advance(11 * hour);
      assert.equal((await call('GET', '/api/runs', { headers })).status, 200, 'the last use counts, not the sign-in');
      t.clock.advance(12 * hour + 1000);
      assert.equal(code(await call('GET', '/api/runs', { headers })), 'SESSION_ENDED');

      const active = await signIn(ownerEmail);
      const activeHeaders = { cookie: `opsloop_session=${sessionCookieOf(active).value}` };
      for (let i = 0; i < 15; i += 1) {
        t.clock.advance(11 * hour);
        assert.equal((await call('GET', '/api/session', { headers: activeHeaders })).status, 200);
      }
      t.clock.advance(7 * day - 15 * 11 * hour);
      assert.equal((await call('GET', '/api/session', { headers: activeHeaders })).status, 401, 'seven days after sign-in');
    });

    test('after 5 failures for one email or one address in 15 minutes, sign-in answers 429 with Retry-After', async () => {
      await userWithToken(t.app, 'victim@example.com', 'viewer');
      await t.app.database.db.updateTable('users').set({ password_hash: (await t.app.database.db.selectFrom('users').select('password_hash').where('email', '=', ownerEmail).executeTakeFirstOrThrow()).password_hash }).where('email', '=', 'victim@example.com').execute();
      for (let i = 0; i < 5; i += 1) assert.equal((await signIn('victim@example.com', `guess ${i}`, `198.51.100.${i}`)).status, 401);
      const limited = await signIn('victim@example.com', password, '198.51.100.77');
      assert.equal(limited.status, 429, 'even the right password waits');
      assert.equal(code(limited), 'LOGIN_RATE_LIMITED');
      assert.equal(limited.headers.get('retry-after'), String(15 * 60));
      assert.equal((await signIn(ownerEmail, password, '198.51.100.77')).status, 200, 'other emails are not locked');
      t.clock.advance(10 * 60_000);
      assert.equal(Number((await signIn('victim@example.com', password)).headers.get('retry-after')), 5 * 60);
      t.clock.advance(5 * 60_000 + 1000);
      assert.equal((await signIn('victim@example.com', password)).status, 200, 'the window has passed');

      // One address trying many emails.
      for (let i = 0; i < 5; i += 1) assert.equal((await signIn(`guess${i}@example.com`, 'x', '203.0.113.9')).status, 401);
      assert.equal((await signIn(ownerEmail, password, '203.0.113.9')).status, 429);
      assert.equal((await signIn(ownerEmail, password, '203.0.113.10')).status, 200);
      const failures = await t.app.database.db.selectFrom('login_failures').select((eb) => eb.fn.countAll().as('n')).where('ip', '=', '203.0.113.9').executeTakeFirstOrThrow();
      assert.equal(Number(failures.n), 5, 'refused attempts are not counted again: the lock does not grow');
    });

    test('X-Forwarded-For is ignored unless OPSLOOP_TRUST_PROXY says how many proxies stand in front', async () => {
      // Without a trusted proxy, a client cannot dodge the limit by making up addresses.
      for (let i = 0; i < 5; i += 1) assert.equal((await call('POST', '/api/session', { body: { email: `spoof${i}@example.com`, password: 'x' }, ip: '192.0.2.50', headers: { 'x-forwarded-for': `10.9.9.${i}` } })).status, 401);
      assert.equal((await call('POST', '/api/session', { body: { email: ownerEmail, password }, ip: '192.0.2.50', headers: { 'x-forwarded-for': '10.9.9.99' } })).status, 429);

      // Behind one proxy (every request arrives from its address), the client is the last entry it appended.
      const proxied = await openTestApp(dialect, { config: { trustProxy: 1 } });
      try {
        const behind = createHttpApp(proxied.app);
        await behind.request('/api/setup', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'owner@proxied.example', password }) });
        const via = (forwardedFor: string, email: string, pass: string) =>
          behind.request('/api/session', { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor }, body: JSON.stringify({ email, password: pass }) }, { incoming: { socket: { remoteAddress: '127.0.0.1' } } });
        // The client puts a made-up address first; the proxy appends the real one.
        for (let i = 0; i < 5; i += 1) assert.equal((await via(`10.0.0.${i}, 198.51.100.20`, `guess${i}@example.com`, 'x')).status, 401);
        assert.equal((await via('10.0.0.77, 198.51.100.20', 'owner@proxied.example', password)).status, 429, 'the real client address is limited');
        assert.equal((await via('198.51.100.21', 'owner@proxied.example', password)).status, 200, 'another client behind the same proxy is not');
        const recorded = await proxied.app.database.db.selectFrom('login_failures').select('ip').distinct().execute();
        assert.deepEqual(recorded.map((r) => r.ip), ['198.51.100.20']);
      } finally {
        await proxied.close();
      }
    });
  });
}
