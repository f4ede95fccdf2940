/**
 * Every /api route Hono knows, checked against the OpenAPI document: it is documented, it needs
 * credentials unless it is public, a role below the documented one is refused, and a bad body is
 * a 400 that names the field. A route added without `route(app, spec, handler)` fails here.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHttpApp } from '../../src/server/index.ts';
import { openApiPath } from '../../src/server/openapi.ts';
import { openTestApp, userWithToken, type TestApp } from '../helpers/app.ts';
import { testDialects } from '../helpers/dialects.ts';

type Json = Record<string, unknown>;
interface Operation {
  'x-required-role': string;
  requestBody?: { content: Record<string, { schema: Json }> };
}

const below: Record<string, string> = { owner: 'admin', admin: 'viewer', reviewer: 'viewer' };

/** A path with every parameter filled in. */
const concrete = (path: string) => path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, (_, name: string) => (name === 'email' ? 'someone-else@example.com' : `no-such-${name}`));

/** A body that breaks the schema at one named field (or, with none typed, an unknown field). */
function invalidBody(schema: Json): { body: Json; field: string } | null {
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  const wrong: Record<string, unknown> = { string: 12345, number: 'not a number', integer: 'not a number', boolean: 'yes', array: 'not a list', object: 'not an object' };
  for (const [field, property] of Object.entries(properties)) {
    const type = property.type;
    if (typeof type === 'string' && type in wrong) return { body: { [field]: wrong[type] }, field };
  }
  if (schema.additionalProperties === false) return { body: { unexpectedField: 1 }, field: 'unexpectedField' };
  return null;
}

for (const dialect of testDialects()) {
  describe(`every /api route on ${dialect}`, () => {
    let t: TestApp;
    let app: ReturnType<typeof createHttpApp>;
    let paths: Record<string, Record<string, Operation>>;
    let routes: { method: string; path: string; op: Operation | undefined }[];
    /** the documented ones (an undocumented route fails the first test) */
    let documented: { method: string; path: string; op: Operation }[];
    const as: Record<string, Record<string, string>> = {};

    before(async () => {
      t = await openTestApp(dialect);
      app = createHttpApp(t.app);
      for (const role of ['owner', 'admin', 'reviewer', 'viewer'] as const) as[role] = (await userWithToken(t.app, `${role}@example.com`, role)).headers;
      paths = ((await (await app.request('/api/openapi.json')).json()) as { paths: typeof paths }).paths;
      const seen = new Set<string>();
      routes = [];
      for (const r of app.routes) {
        if (!r.path.startsWith('/api/') || r.method === 'ALL' || seen.has(`${r.method} ${r.path}`)) continue;
        seen.add(`${r.method} ${r.path}`);
        const op: Operation | undefined = paths[openApiPath(r.path)]?.[r.method.toLowerCase()];
        routes.push({ method: r.method, path: r.path, op });
      }
      documented = routes.filter((r): r is { method: string; path: string; op: Operation } => r.op !== undefined);
    });
    after(async () => t.close());

    const request = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
      app.request(concrete(path), { method, headers: { ...headers, 'content-type': 'application/json' }, ...(body === undefined || method === 'GET' ? {} : { body: JSON.stringify(body) }) });

    test('each is in openapi.json, and each documented operation exists', () => {
      assert.ok(routes.length >= 40, `found ${routes.length} routes`);
      const undocumented = routes.filter((r) => r.op === undefined).map((r) => `${r.method} ${r.path}`);
      assert.deepEqual(undocumented, [], 'add these with route(app, spec, handler) from src/server/openapi.ts');
      const known = new Set(routes.map((r) => `${r.method.toLowerCase()} ${openApiPath(r.path)}`));
      for (const [path, methods] of Object.entries(paths)) for (const method of Object.keys(methods)) assert.ok(known.has(`${method} ${path}`), `${method} ${path} is a real route`);
    });

    test('each needs credentials unless it is public', async () => {
      const open: string[] = [];
      for (const r of documented) {
        const res = await request(r.method, r.path, {}, {});
        await res.body?.cancel();
        if (r.op['x-required-role'] === 'public') {
          open.push(`${r.method} ${r.path}`);
          continue;
        }
        assert.equal(res.status, 401, `${r.method} ${r.path} without credentials`);
      }
      assert.deepEqual(open.sort(), ['DELETE /api/session', 'GET /api/openapi.json', 'GET /api/session', 'GET /api/setup', 'POST /api/session', 'POST /api/setup']);
      assert.equal((await app.request('/api/setup')).status, 200);
    });

    test('a role below the documented one is refused', async () => {
      let checked = 0;
      for (const r of documented) {
        const lower = below[r.op['x-required-role']];
        if (lower === undefined) continue;
        const res = await request(r.method, r.path, as[lower] ?? {}, {});
        const json = (await res.json()) as { error?: { code: string } };
        assert.equal(res.status, 403, `${r.method} ${r.path} as a ${lower}`);
        assert.equal(json.error?.code, 'FORBIDDEN_ROLE');
        checked += 1;
      }
      assert.ok(checked >= 20, `checked ${checked}`);
    });

    test('a bad body is a 400 that names the field', async () => {
      let checked = 0;
      for (const r of documented) {
        const schema = r.op.requestBody?.content['application/json']?.schema;
        if (schema === undefined) continue;
        const bad = invalidBody(schema);
        assert.ok(bad !== null, `${r.method} ${r.path}: the test cannot make a bad body for it`);
        const res = await request(r.method, r.path, as.owner ?? {}, bad.body);
        const json = (await res.json()) as { error?: { code: string; message: string; details?: { path?: string } } };
        assert.equal(res.status, 400, `${r.method} ${r.path} with ${JSON.stringify(bad.body)}: ${JSON.stringify(json)}`);
        const named = json.error?.details?.path ?? '';
        assert.ok(named.endsWith(bad.field) || (named.endsWith('body') && (json.error?.message ?? '').includes(bad.field)), `${r.method} ${r.path} names ${bad.field}: ${JSON.stringify(json)}`);
        checked += 1;
      }
      assert.ok(checked >= 15, `checked ${checked}`);
    });
  });
}
