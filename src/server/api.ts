/** The JSON API of the engine under /api. Thin: every route calls the engine and validates with zod. */
import type { Hono } from 'hono';
import { z } from 'zod';
import { ValidationError } from '../core/errors.ts';
import type { OpsLoop } from '../app.ts';
import { runStatuses } from '../workflow/index.ts';
import { userWith, type AppEnv } from './auth.ts';
import { readJson, validate } from './body.ts';

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

export function mountApi(app: Hono<AppEnv>, opsloop: OpsLoop): void {
  const { engine } = opsloop;

  app.get('/api/workflows', async (c) => {
    userWith(c, 'viewer');
    return c.json({ workflows: await engine.workflows.list() });
  });

  app.post('/api/workflows', async (c) => {
    userWith(c, 'admin');
    const type = c.req.header('content-type') ?? '';
    const source = /yaml|text\/plain/.test(type) ? await c.req.text() : await readJson(c, null);
    if (source === null || source === '') throw new ValidationError('WORKFLOW_INVALID', 'Send a workflow definition as JSON, or as YAML with Content-Type: application/yaml');
    const saved = await engine.addWorkflow(source);
    return c.json({ workflowId: saved.workflowId, version: saved.version, created: saved.created }, saved.created ? 201 : 200);
  });

  app.get('/api/workflows/:id', async (c) => {
    userWith(c, 'viewer');
    const { summary, definition } = await engine.workflows.current(c.req.param('id'));
    return c.json({ ...summary, definition, versions: await engine.workflows.versions(summary.id) });
  });

  app.post('/api/workflows/:id/runs', async (c) => {
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

  app.get('/api/runs', async (c) => {
    userWith(c, 'viewer');
    const q = validate(runsQuery, c.req.query(), 'query');
    const runs = await engine.listRuns({ limit: q.limit, ...(q.status === undefined ? {} : { status: q.status }), ...(q.workflow === undefined ? {} : { workflowId: q.workflow }), ...(q.before === undefined ? {} : { before: q.before }) });
    return c.json({ runs, next: runs.length === q.limit ? (runs[runs.length - 1]?.id ?? null) : null });
  });

  app.get('/api/runs/:id', async (c) => {
    userWith(c, 'viewer');
    return c.json({ run: await engine.getRun(c.req.param('id'), { steps: true }) });
  });

  app.post('/api/runs/:id/signals', async (c) => {
    userWith(c, 'admin');
    const body = validate(signalBody, await readJson(c));
    if (body.name === 'approval') {
      throw new ValidationError('USE_APPROVALS_API', 'Approval decisions go through the inbox (POST /api/approvals/:id/approve or /reject), where who may decide is checked', { details: { path: 'name' } });
    }
    const result = await engine.signal(c.req.param('id'), body.name, body.payload ?? null);
    return c.json({ accepted: true, woken: result.woken }, 202);
  });

  app.post('/api/runs/:id/retry', async (c) => c.json({ run: await opsloop.governance.resolveException(c.req.param('id'), 'retry', userWith(c, 'admin')) }));
  app.post('/api/runs/:id/skip', async (c) => {
    const user = userWith(c, 'admin');
    const body = validate(skipBody, await readJson(c));
    return c.json({ run: await engine.skip(c.req.param('id'), body.output ?? null, user.email) });
  });
  app.post('/api/runs/:id/cancel', async (c) => {
    const user = userWith(c, 'admin');
    const body = validate(cancelBody, await readJson(c));
    return c.json({ run: await engine.cancel(c.req.param('id'), body.reason ?? `cancelled by ${user.email}`, user.email) });
  });

  app.post('/api/events', async (c) => {
    userWith(c, 'admin');
    const body = validate(eventBody, await readJson(c));
    const result = await engine.emit(body.name, body.key === undefined || body.key === null ? null : String(body.key), body.payload ?? null, 'api');
    return c.json(result, 202);
  });

  app.get('/api/exceptions', async (c) => {
    userWith(c, 'viewer');
    const status = c.req.query('status');
    const which = status === 'resolved' || status === 'all' ? status : 'open';
    return c.json({ exceptions: await engine.listExceptions(which) });
  });
}
