/** The JSON API of the engine under /api. Thin: every route calls the engine and validates with zod. */
import type { Hono } from 'hono';
import { z } from 'zod';
import { ValidationError } from '../core/errors.ts';
import type { OpsLoop } from '../app.ts';
import { runStatuses, workflowSchema } from '../workflow/index.ts';
import { userWith, type AppEnv } from './auth.ts';
import { readJson, validate } from './body.ts';
import { route } from './openapi.ts';

const startRunBody = z
  .object({
    input: z.record(z.string(), z.unknown()).default({}),
    idempotencyKey: z.string().min(1).max(200).optional(),
    /** milliseconds to wait for the run to end or reach a wait */
    wait: z.number().int().min(0).max(300_000).default(0),
  })
  .strict();

const signalBody = z.object({ name: z.string().min(1).max(200), payload: z.unknown().optional() }).strict();
const eventBody = z.object({ name: z.string().min(1).max(200), key: z.union([z.string(), z.number()]).nullable().optional(), payload: z.unknown().optional() }).strict();
const skipBody = z.object({ output: z.unknown().optional() }).strict();
const cancelBody = z.object({ reason: z.string().max(2000).optional() }).strict();
const runsQuery = z.object({
  status: z.enum(runStatuses as [string, ...string[]]).optional(),
  workflow: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.string().optional(),
});
/** Documentation only: an unknown status lists the open ones. */
const exceptionsQuery = z.object({ status: z.enum(['open', 'resolved', 'all']).default('open') });

export function mountApi(app: Hono<AppEnv>, opsloop: OpsLoop): void {
  const { engine } = opsloop;

  route(app, { method: 'get', path: '/api/workflows', tag: 'workflows', summary: 'List the workflows', role: 'viewer' }, async (c) => {
    userWith(c, 'viewer');
    return c.json({ workflows: await engine.workflows.list() });
  });

  route(app, { method: 'post', path: '/api/workflows', tag: 'workflows', summary: 'Add a workflow, or a new version of one (JSON, or YAML with Content-Type: application/yaml)', role: 'admin', body: workflowSchema, bodyAlso: ['application/yaml'], status: 201 }, async (c) => {
    userWith(c, 'admin');
    const type = c.req.header('content-type') ?? '';
    const source = /yaml|text\/plain/.test(type) ? await c.req.text() : await readJson(c, null);
    if (source === null || source === '') throw new ValidationError('WORKFLOW_INVALID', 'Send a workflow definition as JSON, or as YAML with Content-Type: application/yaml');
    const saved = await engine.addWorkflow(source);
    return c.json({ workflowId: saved.workflowId, version: saved.version, created: saved.created }, saved.created ? 201 : 200);
  });

  route(app, { method: 'get', path: '/api/workflows/:id', tag: 'workflows', summary: 'A workflow: its current definition and versions', role: 'viewer' }, async (c) => {
    userWith(c, 'viewer');
    const { summary, definition } = await engine.workflows.current(c.req.param('id'));
    return c.json({ ...summary, definition, versions: await engine.workflows.versions(summary.id) });
  });

  route(app, { method: 'post', path: '/api/workflows/:id/runs', tag: 'runs', summary: 'Start a run (optionally wait for it to end or reach a wait)', role: 'admin', body: startRunBody, status: 201 }, async (c) => {
    const user = userWith(c, 'admin');
    const body = validate(startRunBody, await readJson(c));
    const started = await engine.startRun(c.req.param('id'), body.input, {
      trigger: { type: 'api', by: user.email },
      ...(body.idempotencyKey === undefined ? {} : { idempotencyKey: `api:${body.idempotencyKey}` }),
      execute: body.wait > 0,
    });
    const view = body.wait > 0 ? await engine.waitForRun(started.runId, body.wait) : await engine.getRun(started.runId);
    return c.json({ run: view, created: started.created }, started.created ? 201 : 200);
  });

  route(app, { method: 'get', path: '/api/runs', tag: 'runs', summary: 'List runs, newest first', role: 'viewer', query: runsQuery }, async (c) => {
    userWith(c, 'viewer');
    const q = validate(runsQuery, c.req.query(), 'query');
    const runs = await engine.listRuns({ limit: q.limit, ...(q.status === undefined ? {} : { status: q.status }), ...(q.workflow === undefined ? {} : { workflowId: q.workflow }), ...(q.before === undefined ? {} : { before: q.before }) });
    return c.json({ runs, next: runs.length === q.limit ? (runs[runs.length - 1]?.id ?? null) : null });
  });

  route(app, { method: 'get', path: '/api/runs/:id', tag: 'runs', summary: 'A run with its steps', role: 'viewer' }, async (c) => {
    userWith(c, 'viewer');
    return c.json({ run: await engine.getRun(c.req.param('id'), { steps: true }) });
  });

  route(app, { method: 'post', path: '/api/runs/:id/signals', tag: 'runs', summary: 'Send a named signal to a run', role: 'admin', body: signalBody, status: 202 }, async (c) => {
    userWith(c, 'admin');
    const body = validate(signalBody, await readJson(c));
    if (body.name === 'approval') {
      throw new ValidationError('USE_APPROVALS_API', 'Approval decisions go through the inbox (POST /api/approvals/:id/approve or /reject), where who may decide is checked', { details: { path: 'name' } });
    }
    const result = await engine.signal(c.req.param('id'), body.name, body.payload ?? null);
    return c.json({ accepted: true, woken: result.woken }, 202);
  });

  route(app, { method: 'post', path: '/api/runs/:id/retry', tag: 'runs', summary: 'Retry a run stopped in an exception', role: 'admin' }, async (c) => c.json({ run: await opsloop.governance.resolveException(c.req.param('id'), 'retry', userWith(c, 'admin')) }));
  route(app, { method: 'post', path: '/api/runs/:id/skip', tag: 'runs', summary: 'Skip the failed step of a run, with the output to use instead', role: 'admin', body: skipBody }, async (c) => {
    const user = userWith(c, 'admin');
    const body = validate(skipBody, await readJson(c));
    return c.json({ run: await engine.skip(c.req.param('id'), body.output ?? null, user.email) });
  });
  route(app, { method: 'post', path: '/api/runs/:id/cancel', tag: 'runs', summary: 'Cancel a run', role: 'admin', body: cancelBody }, async (c) => {
    const user = userWith(c, 'admin');
    const body = validate(cancelBody, await readJson(c));
    return c.json({ run: await engine.cancel(c.req.param('id'), body.reason ?? `cancelled by ${user.email}`, user.email) });
  });

  route(app, { method: 'post', path: '/api/events', tag: 'runs', summary: 'Emit a domain event (starts and wakes the runs waiting for it)', role: 'admin', body: eventBody, status: 202 }, async (c) => {
    userWith(c, 'admin');
    const body = validate(eventBody, await readJson(c));
    const result = await engine.emit(body.name, body.key === undefined || body.key === null ? null : String(body.key), body.payload ?? null, 'api');
    return c.json(result, 202);
  });

  route(app, { method: 'get', path: '/api/exceptions', tag: 'inbox', summary: 'List exceptions', role: 'viewer', query: exceptionsQuery }, async (c) => {
    userWith(c, 'viewer');
    const status = c.req.query('status');
    const which = status === 'resolved' || status === 'all' ? status : 'open';
    return c.json({ exceptions: await engine.listExceptions(which) });
  });
}
