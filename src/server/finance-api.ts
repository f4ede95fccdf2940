/** The finance API: drafts from one sentence, documents. */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { OpsLoop } from '../app.ts';
import { changeStatus, createDraftFromSentence, getDocument, listDocuments, publicToken, recordPayment, renderPdf, type PaymentInput } from '../domains/finance/index.ts';
import { userWith, type AppEnv } from './auth.ts';
import { readJson, validate } from './body.ts';

const draftBody = z
  .object({
    sentence: z.string().min(1).max(1000),
    today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD').optional(),
    dryRun: z.boolean().default(false),
  })
  .strict();

export function mountFinanceApi(app: Hono<AppEnv>, opsloop: OpsLoop): void {
  const deps = { committer: opsloop.engine.committer, dialect: opsloop.database.dialect, now: () => opsloop.engine.clock.now() };
  app.post('/api/documents/draft', async (c) => {
    const user = userWith(c, 'admin');
    const body = validate(draftBody, await readJson(c));
    const result = await createDraftFromSentence(deps, body.sentence, { ...(body.today === undefined ? {} : { today: body.today }), dryRun: body.dryRun, actor: `user:${user.email}` });
    return c.json(result, result.document === null ? 200 : 201);
  });
  app.get('/api/documents', async (c) => {
    userWith(c, 'viewer');
    const status = c.req.query('status');
    return c.json({ documents: await listDocuments(opsloop.database.db, status === undefined ? {} : { status }) });
  });
  /** Shares a document: a draft becomes sent, and its public link (quotes: accept/decline) is returned. */
  app.post('/api/documents/:id/link', async (c) => {
    const user = userWith(c, 'admin');
    const current = await getDocument(opsloop.database.db, c.req.param('id'));
    const document = current.status === 'draft' ? await changeStatus(deps, current.id, 'sent', `user:${user.email}`) : current;
    const token = await opsloop.engine.committer.unit((tx) => publicToken(tx, document.id, deps.now()));
    return c.json({ document, link: `/q/${token}` });
  });
  /** Records a payment: partially paid or paid, audited, and `payment.received` wakes the runs waiting for it. */
  app.post('/api/documents/:id/payments', async (c) => {
    const user = userWith(c, 'admin');
    const body = (await readJson(c)) as Record<string, unknown>;
    const result = await opsloop.engine.committer.unit((tx) => recordPayment(tx, { dialect: opsloop.database.dialect, hooks: opsloop.engine.hooks }, c.req.param('id'), body as PaymentInput, `user:${user.email}`, deps.now()));
    opsloop.engine.wake();
    return c.json(result, 201);
  });
  app.get('/api/documents/:id/pdf', async (c) => {
    userWith(c, 'viewer');
    const { config } = opsloop;
    const { document, pdf } = await renderPdf(opsloop.database.db, c.req.param('id'), { name: config.businessName, address: config.businessAddress ?? null, email: config.businessEmail ?? null });
    return c.body(new Uint8Array(pdf), 200, { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${document.number}.pdf"` });
  });
  app.get('/api/documents/:id', async (c) => {
    userWith(c, 'viewer');
    return c.json({ document: await getDocument(opsloop.database.db, c.req.param('id')) });
  });
}
