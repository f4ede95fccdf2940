/** The governance API: the inbox, exceptions, audit, policies, graduation, users and tokens. */
import type { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import type { OpsLoop } from '../app.ts';
import { findUser, listTokens, policySchema, revokeTokenBy, roles, setUserDisabled } from '../governance/index.ts';
import { endSessionsOf } from './session.ts';
import { userWith, type AppEnv } from './auth.ts';
import { readJson, validate } from './body.ts';
import { route } from './openapi.ts';

const approveBody = z.object({ data: z.unknown().optional(), reason: z.string().max(2000).optional() }).strict();
const rejectBody = z.object({ reason: z.string().min(1, 'say why').max(2000) }).strict();
const handledBody = z.object({ note: z.string().min(1, 'say what was done').max(2000) }).strict();
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
const tokensQuery = z.object({ user: z.email().optional().describe("an owner may list another person's tokens") });
const tokenView = z.object({ id: z.string(), name: z.string(), prefix: z.string(), user: z.string(), createdAt: z.number(), lastUsedAt: z.number().nullable(), revokedAt: z.number().nullable() });
/** Documentation only: these are read without validation (anything else means the default). */
const inboxQuery = z.object({ mine: z.enum(['1', 'true']).optional() });
const exportQuery = z.object({ format: z.enum(['csv', 'jsonl']).default('csv') });

export function mountGovernanceApi(app: Hono<AppEnv>, opsloop: OpsLoop): void {
  const gov = opsloop.governance;

  route(app, { method: 'get', path: '/api/me', tag: 'users', summary: 'The signed-in user', role: 'viewer' }, (c) => c.json({ user: c.get('user') }));

  route(app, { method: 'get', path: '/api/inbox', tag: 'inbox', summary: 'Open approvals and exceptions', role: 'viewer', query: inboxQuery }, async (c) => {
    const user = userWith(c, 'viewer');
    const mine = c.req.query('mine') === '1' || c.req.query('mine') === 'true';
    const [approvals, exceptions] = await Promise.all([gov.listApprovals({ status: 'open', ...(mine ? { mine: user } : {}) }), opsloop.engine.listExceptions('open')]);
    return c.json({ approvals, exceptions, count: approvals.length + exceptions.length });
  });

  route(app, { method: 'get', path: '/api/approvals', tag: 'inbox', summary: 'List approval tasks', role: 'viewer', query: approvalsQuery }, async (c) => {
    const user = userWith(c, 'viewer');
    const q = validate(approvalsQuery, c.req.query(), 'query');
    const mine = q.mine === '1' || q.mine === 'true';
    return c.json({ approvals: await gov.listApprovals({ status: q.status, ...(mine ? { mine: user } : {}) }) });
  });
  route(app, { method: 'get', path: '/api/approvals/:id', tag: 'inbox', summary: 'One approval task', role: 'viewer' }, async (c) => {
    userWith(c, 'viewer');
    return c.json({ approval: await gov.getApproval(c.req.param('id')) });
  });
  route(app, { method: 'post', path: '/api/approvals/bulk-approve', tag: 'inbox', summary: 'Approve several tasks; each is reported on its own', role: 'reviewer', body: bulkBody }, async (c) => {
    const user = userWith(c, 'reviewer');
    const body = validate(bulkBody, await readJson(c));
    return c.json({ results: await gov.approveMany(body.ids, user) });
  });
  route(app, { method: 'post', path: '/api/approvals/:id/approve', tag: 'inbox', summary: 'Approve a task, optionally with edited data', role: 'reviewer', body: approveBody }, async (c) => {
    const user = userWith(c, 'reviewer');
    const body = validate(approveBody, await readJson(c));
    return c.json({ approval: await gov.decide(c.req.param('id'), user, { decision: 'approve', ...(body.data === undefined ? {} : { data: body.data }), ...(body.reason === undefined ? {} : { reason: body.reason }) }) });
  });
  route(app, { method: 'post', path: '/api/approvals/:id/reject', tag: 'inbox', summary: 'Reject a task, saying why', role: 'reviewer', body: rejectBody }, async (c) => {
    const user = userWith(c, 'reviewer');
    const body = validate(rejectBody, await readJson(c));
    return c.json({ approval: await gov.decide(c.req.param('id'), user, { decision: 'reject', reason: body.reason }) });
  });

  for (const action of ['retry', 'skip', 'cancel'] as const) {
    route(app, { method: 'post', path: `/api/exceptions/:runId/${action}`, tag: 'inbox', summary: `${action.charAt(0).toUpperCase()}${action.slice(1)} the run of an exception`, role: 'admin' }, async (c) => c.json({ run: await gov.resolveException(c.req.param('runId'), action, userWith(c, 'admin')) }));
  }

  route(
    app,
    { method: 'post', path: '/api/exceptions/:id/handled', tag: 'inbox', summary: 'Mark an exception that belongs to no run as handled (e.g. a payment to refund)', role: 'admin', body: handledBody },
    async (c) => {
      const user = userWith(c, 'admin');
      const body = validate(handledBody, await readJson(c));
      return c.json({ exception: await gov.markExceptionHandled(c.req.param('id'), user, body.note) });
    },
  );

  route(app, { method: 'post', path: '/api/runs/:id/corrections', tag: 'runs', summary: 'Record that an automatic result was wrong (feeds graduation and learning)', role: 'reviewer', body: correctionBody, status: 201 }, async (c) => {
    const user = userWith(c, 'reviewer');
    const body = validate(correctionBody, await readJson(c));
    return c.json(await gov.recordCorrection(c.req.param('id'), body.stepId, body.reason, `user:${user.email}`, body.corrected), 201);
  });

  route(app, { method: 'get', path: '/api/audit', tag: 'audit', summary: 'Search the audit trail', role: 'viewer', query: auditQuery }, async (c) => {
    userWith(c, 'viewer');
    const q = validate(auditQuery, c.req.query(), 'query');
    const entries = await gov.searchAudit({ limit: q.limit, ...(q.action === undefined ? {} : { action: q.action }), ...(q.run === undefined ? {} : { runId: q.run }), ...(q.subject === undefined ? {} : { subjectId: q.subject }), ...(q.actor === undefined ? {} : { actor: q.actor }), ...(q.before === undefined ? {} : { beforeSeq: q.before }) });
    return c.json({ entries });
  });
  route(app, { method: 'get', path: '/api/audit/verify', tag: 'audit', summary: "Verify the audit trail's hash chain", role: 'viewer' }, async (c) => {
    userWith(c, 'viewer');
    return c.json(await gov.verifyAudit());
  });
  route(app, { method: 'get', path: '/api/audit/export', tag: 'audit', summary: 'Export the audit trail as CSV or JSON lines', role: 'admin', query: exportQuery, produces: 'text/csv' }, (c) => {
    userWith(c, 'admin');
    const format = c.req.query('format') === 'jsonl' ? 'jsonl' : 'csv';
    c.header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson');
    c.header('content-disposition', `attachment; filename="opsloop-audit.${format}"`);
    return stream(c, async (out) => {
      for await (const chunk of gov.exportAudit(format)) await out.write(chunk);
    });
  });

  route(app, { method: 'get', path: '/api/policies', tag: 'policies', summary: 'List the policies', role: 'viewer' }, async (c) => {
    userWith(c, 'viewer');
    return c.json({ policies: await gov.listPolicies() });
  });
  route(app, { method: 'post', path: '/api/policies', tag: 'policies', summary: 'Add a policy, or a new version of one (JSON, or YAML with Content-Type: application/yaml)', role: 'admin', body: policySchema, bodyAlso: ['application/yaml'], status: 201 }, async (c) => {
    const user = userWith(c, 'admin');
    const type = c.req.header('content-type') ?? '';
    const source = /yaml|text\/plain/.test(type) ? await c.req.text() : await readJson(c, null);
    const saved = await gov.savePolicy(source, `user:${user.email}`);
    return c.json(saved, saved.created ? 201 : 200);
  });

  route(app, { method: 'get', path: '/api/graduation', tag: 'policies', summary: 'Per step: the autonomy tier, the evidence and any promotion suggested', role: 'viewer' }, async (c) => {
    userWith(c, 'viewer');
    return c.json({ steps: await gov.graduation() });
  });
  route(app, { method: 'post', path: '/api/graduation/:workflowId/:stepId/accept', tag: 'policies', summary: 'Accept the suggested promotion of a step', role: 'admin' }, async (c) => {
    const user = userWith(c, 'admin');
    return c.json(await gov.acceptPromotion(c.req.param('workflowId'), c.req.param('stepId'), user));
  });
  route(app, { method: 'post', path: '/api/graduation/:workflowId/:stepId/decline', tag: 'policies', summary: 'Decline the suggested promotion of a step', role: 'admin' }, async (c) => {
    const user = userWith(c, 'admin');
    await gov.declinePromotion(c.req.param('workflowId'), c.req.param('stepId'), user);
    return c.json({ declined: true });
  });

  route(app, { method: 'get', path: '/api/users', tag: 'users', summary: 'List the users', role: 'admin' }, async (c) => {
    userWith(c, 'admin');
    return c.json({ users: await gov.listUsers() });
  });
  route(app, { method: 'post', path: '/api/users', tag: 'users', summary: 'Add a user', role: 'owner', body: userBody, status: 201 }, async (c) => {
    const user = userWith(c, 'owner');
    const body = validate(userBody, await readJson(c));
    return c.json({ user: await gov.addUser(body, `user:${user.email}`) }, 201);
  });
  route(app, { method: 'post', path: '/api/users/:email/tokens', tag: 'users', summary: 'Create an API token (shown once)', description: 'Anyone may create tokens for themselves; for another user it needs the admin role.', role: 'viewer', body: tokenBody, status: 201 }, async (c) => {
    const me = c.get('user');
    const email = c.req.param('email').toLowerCase();
    if (email !== me.email) userWith(c, 'admin');
    const body = validate(tokenBody, await readJson(c));
    const created = await gov.createToken(email, body.name, `user:${me.email}`);
    return c.json({ token: created.token, prefix: created.prefix }, 201);
  });

  route(app, { method: 'get', path: '/api/tokens', tag: 'users', summary: 'Your API tokens that still work (never the token itself)', description: 'An owner may pass ?user=<email> to see another person\'s.', role: 'viewer', query: tokensQuery, response: z.object({ tokens: z.array(tokenView) }) }, async (c) => {
    const me = userWith(c, 'viewer');
    const q = validate(tokensQuery, c.req.query(), 'query');
    const email = q.user?.toLowerCase() ?? me.email;
    if (email !== me.email) userWith(c, 'owner');
    const user = email === me.email ? me : await findUser(opsloop.database.db, email);
    return c.json({ tokens: await listTokens(opsloop.database.db, user.id) });
  });
  route(
    app,
    { method: 'get', path: '/api/tokens/all', tag: 'users', summary: "Everyone's API tokens that still work, with whose each is (never the token itself)", description: 'For an owner, to see and revoke any of them (DELETE /api/tokens/{id}). Tokens of disabled people are listed too: they are refused while the person is disabled.', role: 'owner', response: z.object({ tokens: z.array(tokenView) }) },
    async (c) => {
      userWith(c, 'owner');
      // A small business has a handful of people: one query each keeps this on the governance functions.
      const users = (await gov.listUsers()).sort((a, b) => a.email.localeCompare(b.email));
      const tokens = await Promise.all(users.map((u) => listTokens(opsloop.database.db, u.id)));
      return c.json({ tokens: tokens.flat() });
    },
  );
  route(app, { method: 'delete', path: '/api/tokens/:id', tag: 'users', summary: 'Revoke an API token: your own, or anyone\'s for an owner', role: 'viewer', response: z.object({ token: tokenView }) }, async (c) => {
    const me = userWith(c, 'viewer');
    const token = await opsloop.engine.committer.unit((tx) => revokeTokenBy(tx, opsloop.database.dialect, c.req.param('id'), me, opsloop.engine.clock.now()));
    return c.json({ token });
  });
  for (const action of ['disable', 'enable'] as const) {
    route(
      app,
      {
        method: 'post',
        path: `/api/users/:email/${action}`,
        tag: 'users',
        summary: action === 'disable' ? 'Disable a user: no sign-in, no tokens, their sessions end' : 'Enable a disabled user again',
        role: 'owner',
        errors: action === 'disable' ? { 409: 'The user is the last enabled owner' } : {},
      },
      async (c) => {
        const me = userWith(c, 'owner');
        const now = opsloop.engine.clock.now();
        const user = await opsloop.engine.committer.unit(async (tx) => {
          const changed = await setUserDisabled(tx, opsloop.database.dialect, c.req.param('email'), action === 'disable', me, now);
          if (changed.disabled) await endSessionsOf(tx, changed.id);
          return changed;
        });
        return c.json({ user });
      },
    );
  }
}
