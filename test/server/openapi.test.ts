/** The OpenAPI document: public, OpenAPI 3.1, built from the zod schemas the routes validate with. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { z } from 'zod';
import { createHttpApp } from '../../src/server/index.ts';
import type { AppEnv } from '../../src/server/auth.ts';
import { documentedRoutes, openApiDocument, openApiPath, route } from '../../src/server/openapi.ts';
import { runStatuses } from '../../src/workflow/index.ts';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { testDialects } from '../helpers/dialects.ts';

type Json = Record<string, unknown>;
type Operation = { operationId: string; summary: string; tags: string[]; security: unknown[]; 'x-required-role': string; parameters?: Json[]; requestBody?: { content: Record<string, { schema: Json }> }; responses: Record<string, Json> };

describe('the route registry', () => {
  test('one call adds the route and describes it; a route added twice is a mistake', async () => {
    const app = new Hono<AppEnv>();
    const body = z.object({ account: z.string().min(1), amount: z.number().int() }).strict();
    route(app, { method: 'post', path: '/api/bank/:account/import', tag: 'banking', summary: 'Import', role: 'admin', body, status: 201 }, (c) => c.json({ account: c.req.param('account') }, 201));
    const res = await app.request('/api/bank/acc-1/import', { method: 'POST' });
    assert.deepEqual([res.status, await res.json()], [201, { account: 'acc-1' }]);
    assert.deepEqual(documentedRoutes(app).map((r) => `${r.method} ${r.path}`), ['post /api/bank/:account/import']);
    assert.throws(() => route(app, { method: 'post', path: '/api/bank/:account/import', tag: 'banking', summary: 'Again', role: 'admin' }, (c) => c.json({})), /added twice/);
    const doc = openApiDocument(app, { title: 't', version: '1' }) as { paths: Record<string, Record<string, Operation>> };
    const op = doc.paths['/api/bank/{account}/import']?.post;
    assert.ok(op);
    assert.deepEqual(op.parameters, [{ name: 'account', in: 'path', required: true, schema: { type: 'string' } }]);
    assert.deepEqual(op.requestBody?.content['application/json']?.schema, {
      type: 'object',
      properties: { account: { type: 'string', minLength: 1 }, amount: { type: 'integer', minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER } },
      required: ['account', 'amount'],
      additionalProperties: false,
    });
    assert.deepEqual(Object.keys(op.responses).sort(), ['201', '400', '401', '403', '404']);
    assert.equal(op['x-required-role'], 'admin');
    assert.equal(op.operationId, 'postBankByAccountImport');
  });

  test('Hono paths become OpenAPI paths', () => {
    assert.equal(openApiPath('/api/runs/:id/signals'), '/api/runs/{id}/signals');
    assert.equal(openApiPath('/api/graduation/:workflowId/:stepId/accept'), '/api/graduation/{workflowId}/{stepId}/accept');
    assert.equal(openApiPath('/api/things/:n{[0-9]+}'), '/api/things/{n}');
  });
});

for (const dialect of testDialects()) {
  describe(`GET /api/openapi.json on ${dialect}`, () => {
    let t: TestApp;
    let doc: { openapi: string; info: Json; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Json } };
    before(async () => {
      t = await openTestApp(dialect);
      const res = await createHttpApp(t.app).request('/api/openapi.json');
      assert.equal(res.status, 200, 'public: no credentials');
      doc = (await res.json()) as typeof doc;
    });
    after(async () => t.close());

    test('is an OpenAPI 3.1 document with both ways to sign in', () => {
      assert.equal(doc.openapi, '3.1.0');
      assert.equal(doc.info.title, 'OpsLoop API');
      assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['bearerToken', 'sessionCookie']);
      assert.equal((doc.components.securitySchemes.sessionCookie as Json).name, 'opsloop_session');
    });

    test('bodies and queries are the schemas the routes validate with', () => {
      const start = doc.paths['/api/workflows/{id}/runs']?.post;
      const schema = start?.requestBody?.content['application/json']?.schema as { properties: Record<string, Json>; additionalProperties: boolean };
      assert.deepEqual(Object.keys(schema.properties).sort(), ['idempotencyKey', 'input', 'wait']);
      assert.equal(schema.properties.wait?.maximum, 300_000);
      assert.equal(schema.additionalProperties, false, 'unknown fields are refused, and the document says so');
      const runs = doc.paths['/api/runs']?.get;
      const status = runs?.parameters?.find((p) => p.name === 'status');
      assert.deepEqual((status?.schema as { enum: string[] }).enum, runStatuses);
      assert.equal(runs?.parameters?.find((p) => p.name === 'limit')?.required, false);
      const login = doc.paths['/api/session']?.post;
      assert.deepEqual(login?.security, [], 'sign-in is public');
      const answer = (login?.responses['200']?.content as Record<string, { schema: { properties: Json } }>)['application/json']?.schema;
      assert.deepEqual(Object.keys(answer?.properties ?? {}).sort(), ['csrfToken', 'user']);
      const workflow = doc.paths['/api/workflows']?.post;
      assert.ok(workflow?.requestBody?.content['application/yaml'], 'YAML is accepted too');
      assert.ok((workflow?.requestBody?.content['application/json']?.schema.properties as Json).steps, 'the workflow definition schema');
      assert.equal(doc.paths['/api/documents/{id}/pdf']?.get?.responses['200']?.content !== undefined, true);
      assert.ok((doc.paths['/api/documents/{id}/pdf']?.get?.responses['200']?.content as Json)['application/pdf']);
    });

    test('every operation has a summary, a tag, a unique id and its required role', () => {
      const ids = new Set<string>();
      for (const [path, methods] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(methods)) {
          assert.ok(op.summary.length > 3, `${method} ${path} has a summary`);
          assert.equal(op.tags.length, 1);
          assert.ok(['public', 'viewer', 'reviewer', 'admin', 'owner'].includes(op['x-required-role']), `${method} ${path} says who may call it`);
          assert.equal(op.security.length === 0, op['x-required-role'] === 'public');
          assert.ok(!ids.has(op.operationId), `operationId ${op.operationId} is unique`);
          ids.add(op.operationId);
        }
      }
      assert.ok(ids.size >= 40);
    });
  });
}
