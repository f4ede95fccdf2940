/** The recurring invoices API, and the flag check of a stored document. */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { OpsLoop } from '../app.ts';
import { flagFinanceDocument, RecurringInvoices, templateInput } from '../domains/finance/index.ts';
import { userWith, type AppEnv } from './auth.ts';
import { readJson, validate } from './body.ts';
import { route } from './openapi.ts';

const flagQuery = z
  .object({
    today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD').optional(),
    windowDays: z.coerce.number().int('must be a whole number of days').min(0, 'must be 0 or more days').max(3650, 'must be at most 3650 days').optional(),
  })
  .strict();
const statusQuery = z.object({ status: z.enum(['active', 'paused', 'ended']).optional() }).strict();

export function mountRecurringApi(app: Hono<AppEnv>, opsloop: OpsLoop): void {
  const recurring = new RecurringInvoices({ engine: opsloop.engine, governance: opsloop.governance, timezone: opsloop.config.timezone });

  // The body is validated by the domain (RECURRING_INVALID, details.path names the field).
  route(app, { method: 'post', path: '/api/recurring', tag: 'recurring', summary: 'Add a recurring invoice', role: 'admin', body: templateInput, status: 201 }, async (c) => {
    const user = userWith(c, 'admin');
    const template = await recurring.create(await readJson(c), `user:${user.email}`);
    return c.json({ template }, 201);
  });
  route(app, { method: 'get', path: '/api/recurring', tag: 'recurring', summary: 'List recurring invoices', role: 'viewer', query: statusQuery }, async (c) => {
    userWith(c, 'viewer');
    const query = validate(statusQuery, c.req.query(), 'query');
    return c.json({ templates: await recurring.list(query.status === undefined ? {} : { status: query.status }) });
  });
  route(app, { method: 'get', path: '/api/recurring/:id', tag: 'recurring', summary: 'A recurring invoice with its periods and their invoice numbers', role: 'viewer' }, async (c) => {
    userWith(c, 'viewer');
    return c.json(await recurring.get(c.req.param('id')));
  });
  route(app, { method: 'post', path: '/api/recurring/:id/pause', tag: 'recurring', summary: 'Pause a recurring invoice', role: 'admin' }, async (c) => {
    const user = userWith(c, 'admin');
    return c.json({ template: await recurring.pause(c.req.param('id'), `user:${user.email}`) });
  });
  route(app, { method: 'post', path: '/api/recurring/:id/resume', tag: 'recurring', summary: 'Resume a recurring invoice from the next period on or after today', role: 'admin' }, async (c) => {
    const user = userWith(c, 'admin');
    return c.json({ template: await recurring.resume(c.req.param('id'), `user:${user.email}`) });
  });

  route(app, { method: 'get', path: '/api/documents/:id/flags', tag: 'finance', summary: 'What looks wrong with a document: duplicates (naming the earlier one), totals, dates, amounts', role: 'viewer', query: flagQuery }, async (c) => {
    userWith(c, 'viewer');
    const query = validate(flagQuery, c.req.query(), 'query');
    const result = await flagFinanceDocument(opsloop.database.db, c.req.param('id'), {
      today: query.today ?? recurring.today(),
      ...(query.windowDays === undefined ? {} : { duplicateWindowDays: query.windowDays }),
    });
    return c.json(result);
  });
}
