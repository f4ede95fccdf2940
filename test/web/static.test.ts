/** `opsloop serve` serves the built UI: right types, hashed assets cached for good, the app for its own paths, a clear page when not built. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { createHttpApp } from '../../src/server/index.ts';
import { mountWebApp } from '../../src/server/web-static.ts';
import type { AppEnv } from '../../src/server/auth.ts';

describe('the web app is served by the HTTP server', () => {
  let t: TestApp;
  let dir: string;
  let app: Hono<AppEnv>;
  before(async () => {
    t = await openTestApp('sqlite');
    // A build of its own (what vite writes), so this test does not depend on web/dist.
    dir = await mkdtemp(path.join(os.tmpdir(), 'opsloop-web-'));
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><html><body><div id="root"></div><script type="module" src="/assets/index-Ab12Cd34.js"></script></body></html>');
    await writeFile(path.join(dir, 'assets', 'index-Ab12Cd34.js'), 'console.log("app")');
    await writeFile(path.join(dir, 'assets', 'index-Ef56Gh78.css'), 'body{}');
    await writeFile(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    app = new Hono<AppEnv>();
    mountWebApp(app, t.app, { dir });
  });
  after(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('index.html is revalidated every time and carries a content security policy', async () => {
    const res = await app.request('/');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.match(await res.text(), /<div id="root"><\/div>/);
  });

  test('hashed assets have their type and are cached for good; a missing one is a 404', async () => {
    const js = 'index-Ab12Cd34.js';
    const css = 'index-Ef56Gh78.css';
    const script = await app.request(`/assets/${js}`);
    assert.equal(script.status, 200);
    assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(script.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const style = await app.request(`/assets/${css}`);
    assert.equal(style.headers.get('content-type'), 'text/css; charset=utf-8');
    const icon = await app.request('/favicon.svg');
    assert.equal(icon.headers.get('content-type'), 'image/svg+xml');
    assert.equal(icon.headers.get('cache-control'), 'no-cache', 'unhashed files are revalidated');
    const missing = await app.request('/assets/index-gone.js');
    assert.equal(missing.status, 404);
  });

  test("the app's own paths get index.html; API, webhook and health paths keep their answers", async () => {
    for (const p of ['/inbox', '/runs/01abc', '/documents/new', '/settings?x=1']) {
      const res = await app.request(p);
      assert.equal(res.status, 200, p);
      assert.match(await res.text(), /<div id="root">/, p);
    }
    // The real server: the UI is mounted after the API, webhooks and health check, and never answers for them.
    const server = createHttpApp(t.app);
    const api = await server.request('/api/nothing-here');
    assert.equal(api.status, 401, 'an unknown API path is still behind the API (no HTML)');
    assert.match(api.headers.get('content-type') ?? '', /json/);
    const health = await server.request('/healthz');
    assert.deepEqual(((await health.json()) as { status: string }).status, 'ok');
    const hook = await server.request('/hooks/nothing');
    assert.doesNotMatch(hook.headers.get('content-type') ?? '', /html/);
    const post = await server.request('/inbox', { method: 'POST' });
    assert.equal(post.status, 404, 'only GET serves the app');
    const page = await server.request('/inbox');
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff', 'the security headers are on the pages too');
  });

  test('no file outside the build is served', async () => {
    for (const p of ['/%2e%2e/package.json', '/..%2fpackage.json', '/assets/..%2f..%2f..%2fpackage.json']) {
      const res = await app.request(p);
      const text = await res.text();
      assert.doesNotMatch(text, /"devDependencies"/, p);
    }
  });

  test('without a build, a page says how to make one', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'opsloop-web-'));
    try {
      const bare = new Hono<AppEnv>();
      mountWebApp(bare, t.app, { dir: empty });
      const res = await bare.request('/inbox');
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const text = await res.text();
      assert.match(text, /The web app is not built yet/);
      assert.match(text, /npm run build:web/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
