/** The governance API: the inbox, exceptions, audit, policies, graduation, users and tokens. */
import type { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import type { OpsLoop } from '../app.ts';
import { roles } from '../governance/index.ts';
import { userWith, type AppEnv } from './auth.ts';
import { readJson, validate } from './body.ts';

const approveBody = z.object({ data: z.unknown().optional(), reason: z.string().max(2000).optional() }).strict();
const rejectBody = z.object({ reason: z.string().min(1, 'say why').max(2000) }).strict();
const bulkBody = z.object({ ids: z.array(z.string().min(1)).min(1).max(500) }).strict();
const approvalsQuery = z.object({ status: z.enum(['open', 'approved', 'rejected', 'timed_out', 'all']).default('open'), mine: z.enum(['1', 'true', '0', 'false']).optional() });
const auditQuery = z.object({
  action: z.string().optional(),
  run: z.string().optional(),
  subject: z.string().optional(),
  actor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.coerce.number().int().positive().optional(),
});
const correctionBody = z.object({ stepId: z.string().min(1), reason: z.string().min(1, 'say what was wrong').max(2000), corrected: z.unknown().optional() }).strict();
const userBody = z
  .object({
    email: z.email(),
    name: z.string().min(1).max(200).optional(),
    role: z.enum(roles),
    password: z.string().min(10).max(200).optional(),
    approvalLimit: z.number().nonnegative().optional(),
    approvalLimitCurrency: z.string().regex(/^[A-Z]{3}$/).optional(),
  })
  .strict();
const tokenBody = z.object({ name: z.string().min(1).max(100).default('api') }).strict();

export function mountGovernanceApi(app: Hono<AppEnv>, opsloop: OpsLoop): void {
  const gov = opsloop.governance;

  app.get('/api/me', (c) => c.json({ user: c.get('user') }));

  app.get('/api/inbox', async (c) => {
    const user = userWith(c, 'viewer');
    const mine = c.req.query('mine') === '1' || c.req.query('mine') === 'true';
    const [approvals, exceptions] = await Promise.all([gov.listApprovals({ status: 'open', ...(mine ? { mine: user } : {}) }), opsloop.engine.listExceptions('open')]);
    return c.json({ approvals, exceptions, count: approvals.length + exceptions.length });
  });

  app.get('/api/approvals', async (c) => {
    const user = userWith(c, 'viewer');
    const q = validate(approvalsQuery, c.req.query(), 'query');
    const mine = q.mine === '1' || q.mine === 'true';
    return c.json({ approvals: await gov.listApprovals({ status: q.status, ...(mine ? { mine: user } : {}) }) });
  });
  app.get('/api/approvals/:id', async (c) => {
    userWith(c, 'viewer');
    return c.json({ approval: await gov.getApproval(c.req.param('id')) });
  });
  app.post('/api/approvals/bulk-approve', async (c) => {
    const user = userWith(c, 'reviewer');
    const body = validate(bulkBody, await readJson(c));
    return c.json({ results: await gov.approveMany(body.ids, user) });
  });
  app.post('/api/approvals/:id/approve', async (c) => {
    const user = userWith(c, 'reviewer');
    const body = validate(approveBody, await readJson(c));
    return c.json({ approval: await gov.decide(c.req.param('id'), user, { decision: 'approve', ...(body.data === undefined ? {} : { data: body.data }), ...(body.reason === undefined ? {} : { reason: body.reason }) }) });
  });
  app.post('/api/approvals/:id/reject', async (c) => {
    const user = userWith(c, 'reviewer');
    const body = validate(rejectBody, await readJson(c));
    return c.json({ approval: await gov.decide(c.req.param('id'), user, { decision: 'reject', reason: body.reason }) });
  });

  for (const action of ['retry', 'skip', 'cancel'] as const) {
    app.post(`/api/exceptions/:runId/${action}`, async (c) => c.json({ run: await gov.resolveException(c.req.param('runId'), action, userWith(c, 'admin')) }));
  }

  app.post('/api/runs/:id/corrections', async (c) => {
    const user = userWith(c, 'reviewer');
    const body = validate(correctionBody, await readJson(c));
    return c.json(await gov.recordCorrection(c.req.param('id'), body.stepId, body.reason, `user:${user.email}`, body.corrected), 201);
  });

  app.get('/api/audit', async (c) => {
    userWith(c, 'viewer');
    const q = validate(auditQuery, c.req.query(), 'query');
    const entries = await gov.searchAudit({ limit: q.limit, ...(q.action === undefined ? {} : { action: q.action }), ...(q.run === undefined ? {} : { runId: q.run }), ...(q.subject === undefined ? {} : { subjectId: q.subject }), ...(q.actor === undefined ? {} : { actor: q.actor }), ...(q.before === undefined ? {} : { beforeSeq: q.before }) });
    return c.json({ entries });
  });
  app.get('/api/audit/verify', async (c) => {
    userWith(c, 'viewer');
    return c.json(await gov.verifyAudit());
  });
  app.get('/api/audit/export', (c) => {
    userWith(c, 'admin');
    const format = c.req.query('format') === 'jsonl' ? 'jsonl' : 'csv';
    c.header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson');
    c.header('content-disposition', `attachment; filename="opsloop-audit.${format}"`);
    return stream(c, async (out) => {
      for await (const chunk of gov.exportAudit(format)) await out.write(chunk);
    });
  });

  app.get('/api/policies', async (c) => {
    userWith(c, 'viewer');
    return c.json({ policies: await gov.listPolicies() });
  });
  app.post('/api/policies', async (c) => {
    const user = userWith(c, 'admin');
    const type = c.req.header('content-type') ?? '';
    const source = /yaml|text\/plain/.test(type) ? await c.req.text() : await readJson(c, null);
    const saved = await gov.savePolicy(source, `user:${user.email}`);
    return c.json(saved, saved.created ? 201 : 200);
  });

  app.get('/api/graduation', async (c) => {
    userWith(c, 'viewer');
    return c.json({ steps: await gov.graduation() });
  });
  app.post('/api/graduation/:workflowId/:stepId/accept', async (c) => {
    const user = userWith(c, 'admin');
    return c.json(await gov.acceptPromotion(c.req.param('workflowId'), c.req.param('stepId'), user));
  });
  app.post('/api/graduation/:workflowId/:stepId/decline', async (c) => {
    const user = userWith(c, 'admin');
    await gov.declinePromotion(c.req.param('workflowId'), c.req.param('stepId'), user);
    return c.json({ declined: true });
  });

  app.get('/api/users', async (c) => {
    userWith(c, 'admin');
    return c.json({ users: await gov.listUsers() });
  });
  app.post('/api/users', async (c) => {
    const user = userWith(c, 'owner');
    const body = validate(userBody, await readJson(c));
    return c.json({ user: await gov.addUser(body, `user:${user.email}`) }, 201);
  });
  app.post('/api/users/:email/tokens', async (c) => {
    const me = c.get('user');
    const email = c.req.param('email').toLowerCase();
    if (email !== me.email) userWith(c, 'admin');
    const body = validate(tokenBody, await readJson(c));
    const created = await gov.createToken(email, body.name, `user:${me.email}`);
    return c.json({ token: created.token, prefix: created.prefix }, 201);
  });
}
