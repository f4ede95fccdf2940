/**
 * The route registry and the OpenAPI 3.1 document built from it. Every /api route is added with
 * one call, `route(app, spec, handler)`: it registers the Hono handler and records what the route
 * is (method, path, summary, the role it needs, the zod schemas of its body and query). GET
 * /api/openapi.json is generated from those same zod schemas (zod's toJSONSchema), so the
 * document cannot drift from what the handlers validate; test/server/routes.test.ts fails for
 * any /api route Hono knows that is not in it.
 *
 * The spec only describes: the handler still checks the role (userWith) and validates its input
 * (validate), as before.
 *
 * @example
 * const importBody = z.object({ account: z.string().min(1), csv: z.string().min(1) }).strict();
 * route(app, { method: 'post', path: '/api/bank/import', tag: 'banking', summary: 'Import a bank statement', role: 'admin', body: importBody, status: 201 }, async (c) => {
 *   const user = userWith(c, 'admin');
 *   const body = validate(importBody, await readJson(c));
 *   return c.json(await importStatement(body, user), 201);
 * });
 */
import type { Handler, Hono } from 'hono';
import { z } from 'zod';
import type { Role } from '../governance/index.ts';
import type { AppEnv } from './auth.ts';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteSpec<P extends string = string> {
  method: HttpMethod;
  /** the Hono path, e.g. /api/runs/:id */
  path: P;
  /** groups routes in the document: runs, workflows, inbox, finance, banking, session, … */
  tag: string;
  summary: string;
  description?: string;
  /** the least role that may call it; `public` needs no credentials at all */
  role: Role | 'public';
  /** the JSON body, as validated by the handler */
  body?: z.ZodType;
  /** content types accepted besides JSON, e.g. application/yaml (described as text) */
  bodyAlso?: string[];
  query?: z.ZodObject;
  /** the JSON answer on success (documentation only) */
  response?: z.ZodType;
  /** the status on success; default 200 */
  status?: number;
  /** a non-JSON answer on success, e.g. application/pdf or text/event-stream */
  produces?: string;
  /** other error answers worth knowing, by status: { 409: 'The owner exists already' } */
  errors?: Record<number, string>;
}

const registries = new WeakMap<object, RouteSpec[]>();

/** The routes described on this app so far, in the order they were added. */
export function documentedRoutes(app: Hono<AppEnv>): readonly RouteSpec[] {
  return registries.get(app) ?? [];
}

/** Adds a route to the app and describes it in the app's OpenAPI document. */
export function route<P extends string>(app: Hono<AppEnv>, spec: RouteSpec<P>, handler: Handler<AppEnv, P>): void {
  let list = registries.get(app);
  if (list === undefined) {
    list = [];
    registries.set(app, list);
  }
  if (list.some((r) => r.method === spec.method && r.path === spec.path)) throw new Error(`route ${spec.method.toUpperCase()} ${spec.path} is added twice`);
  list.push(spec);
  app.on(spec.method.toUpperCase(), spec.path, handler);
}

/** /api/runs/:id → /api/runs/{id} (a Hono pattern such as :id{[0-9]+} loses its pattern). */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}');
}

function pathParams(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] ?? '');
}

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  delete out.$schema;
  return out;
}

function operationId(spec: RouteSpec): string {
  const segments = spec.path.replace(/^\/api\//, '').split('/').filter((s) => s !== '');
  const words = segments.map((s) => (s.startsWith(':') ? `by-${s.slice(1).replace(/\{.*$/, '')}` : s)).join('-').split(/[-_.]/);
  return spec.method + words.filter((w) => w !== '').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

const errorRef = { $ref: '#/components/schemas/Error' };
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: errorRef } } });

function operation(spec: RouteSpec): JsonSchema {
  const parameters: JsonSchema[] = pathParams(spec.path).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  if (spec.query !== undefined) {
    const query = jsonSchema(spec.query, 'input');
    const required = new Set((query.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((query.properties as Record<string, JsonSchema> | undefined) ?? {})) {
      parameters.push({ name, in: 'query', required: required.has(name), schema });
    }
  }
  const status = spec.status ?? 200;
  const success: JsonSchema =
    status === 204
      ? { description: 'Done; no content' }
      : spec.produces !== undefined
        ? { description: 'OK', content: { [spec.produces]: { schema: spec.produces.startsWith('text/') ? { type: 'string' } : { type: 'string', format: 'binary' } } } }
        : { description: 'OK', content: { 'application/json': { schema: spec.response === undefined ? { type: 'object' } : jsonSchema(spec.response, 'output') } } };
  const responses: Record<string, unknown> = { [String(status)]: success };
  if (spec.body !== undefined || spec.query !== undefined || spec.bodyAlso !== undefined) responses['400'] = errorResponse('The request is invalid; error.details.path names the field');
  if (spec.role !== 'public') {
    responses['401'] = errorResponse('No credentials, or they are unknown or expired');
    responses['403'] = errorResponse(spec.method === 'get' ? `The user's role is below ${spec.role}` : `The user's role is below ${spec.role}, or (session cookie) the X-CSRF-Token header or the Origin is wrong`);
  }
  if (parameters.some((p) => p.in === 'path')) responses['404'] = errorResponse('Not found');
  for (const [status, description] of Object.entries(spec.errors ?? {})) responses[status] = errorResponse(description);
  const roleNote = spec.role === 'public' ? 'Public: no credentials needed.' : `Needs the ${spec.role} role or above.`;
  const op: JsonSchema = {
    operationId: operationId(spec),
    summary: spec.summary,
    description: spec.description === undefined ? roleNote : `${spec.description}\n\n${roleNote}`,
    tags: [spec.tag],
    'x-required-role': spec.role,
    security: spec.role === 'public' ? [] : [{ bearerToken: [] }, { sessionCookie: [] }],
    responses,
  };
  if (parameters.length > 0) op.parameters = parameters;
  if (spec.body !== undefined || spec.bodyAlso !== undefined) {
    const content: Record<string, unknown> = { 'application/json': { schema: spec.body === undefined ? { type: 'object' } : jsonSchema(spec.body, 'input') } };
    for (const type of spec.bodyAlso ?? []) content[type] = { schema: { type: 'string' } };
    op.requestBody = { required: false, content };
  }
  return op;
}

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

/** The OpenAPI 3.1 document of every route described on the app. */
export function openApiDocument(app: Hono<AppEnv>, info: OpenApiInfo): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of documentedRoutes(app)) {
    const key = openApiPath(spec.path);
    paths[key] = { ...paths[key], [spec.method]: operation(spec) };
  }
  const tags = [...new Set(documentedRoutes(app).map((r) => r.tag))].map((name) => ({ name }));
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    tags,
    paths,
    components: {
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', description: 'An API token (`opsloop token create <email>`), for scripts' },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'opsloop_session',
          description: 'The browser session from POST /api/session. POST, PUT, PATCH and DELETE also need the X-CSRF-Token header (the csrfToken of the session), and an Origin header, if sent, must match the Host',
        },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string', description: 'stable, e.g. REQUEST_INVALID' }, message: { type: 'string' }, details: { type: 'object' } },
            },
          },
        },
      },
    },
  };
}

/** GET /api/openapi.json (public; mount before the auth middleware). */
export function mountOpenApi(app: Hono<AppEnv>, info: OpenApiInfo): void {
  let cached: JsonSchema | null = null;
  route(app, { method: 'get', path: '/api/openapi.json', tag: 'meta', summary: 'This OpenAPI document', role: 'public' }, (c) => {
    // Built on first use, when every route has been added.
    cached ??= openApiDocument(app, info);
    return c.json(cached);
  });
}
