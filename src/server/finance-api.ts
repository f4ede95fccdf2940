/** The finance API: drafts from one sentence, documents. */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { OpsLoop } from '../app.ts';
import { localDate } from '../core/dates.ts';
import { businessProfiles, changeDocumentStatus, changeStatus, createCreditNote, createDraftFromSentence, creditNoteInput, getDocument, listDocuments, publicToken, paymentInput, recordPayment, renderPdf, type PaymentInput } from '../domains/finance/index.ts';
import { installSendDocument, sendDocumentWorkflow } from '../domains/finance/playbooks/index.ts';
import { appendAudit } from '../governance/index.ts';
import { ConflictError } from '../core/errors.ts';
import { userWith, type AppEnv } from './auth.ts';
import { readJson, validate } from './body.ts';
import { route } from './openapi.ts';

const draftBody = z
  .object({
    sentence: z.string().min(1).max(1000),
    today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD').optional(),
    dryRun: z.boolean().default(false),
  })
  .strict();
const voidBody = z.object({ reason: z.string().trim().min(1, 'say why the document is void').max(500) }).strict();
const sendBody = z.object({ to: z.email('must be an email address'), message: z.string().max(5000).optional() }).strict();
/** Documentation only: the status is read without validation. */
const documentsQuery = z.object({ status: z.string().optional() });

export function mountFinanceApi(app: Hono<AppEnv>, opsloop: OpsLoop): void {
  const deps = { committer: opsloop.engine.committer, dialect: opsloop.database.dialect, now: () => opsloop.engine.clock.now() };
  route(app, { method: 'post', path: '/api/documents/draft', tag: 'finance', summary: 'Draft a document from one sentence', role: 'admin', body: draftBody, status: 201 }, async (c) => {
    const user = userWith(c, 'admin');
    const body = validate(draftBody, await readJson(c));
    const result = await createDraftFromSentence(deps, body.sentence, { ...(body.today === undefined ? {} : { today: body.today }), dryRun: body.dryRun, actor: `user:${user.email}` });
    return c.json(result, result.document === null ? 200 : 201);
  });
  route(app, { method: 'get', path: '/api/documents', tag: 'finance', summary: 'List documents', role: 'viewer', query: documentsQuery }, async (c) => {
    userWith(c, 'viewer');
    const status = c.req.query('status');
    return c.json({ documents: await listDocuments(opsloop.database.db, status === undefined ? {} : { status }) });
  });
  /** Shares a document: a draft becomes sent, and its public link (quotes: accept/decline) is returned. */
  route(app, { method: 'post', path: '/api/documents/:id/link', tag: 'finance', summary: "Share a document: a draft becomes sent; returns its public link", role: 'admin' }, async (c) => {
    const user = userWith(c, 'admin');
    const current = await getDocument(opsloop.database.db, c.req.param('id'));
    const document = current.status === 'draft' ? await changeStatus({ ...deps, hooks: opsloop.engine.hooks }, current.id, 'sent', `user:${user.email}`) : current;
    const token = await opsloop.engine.committer.unit((tx) => publicToken(tx, document.id, deps.now()));
    return c.json({ document, link: `/q/${token}` });
  });
  /** Records a payment: partially paid or paid, audited, and `payment.received` wakes the runs waiting for it. */
  route(app, { method: 'post', path: '/api/documents/:id/payments', tag: 'finance', summary: 'Record a payment against an invoice', role: 'admin', body: paymentInput, status: 201 }, async (c) => {
    const user = userWith(c, 'admin');
    const body = (await readJson(c)) as Record<string, unknown>;
    const result = await opsloop.engine.committer.unit((tx) => recordPayment(tx, { dialect: opsloop.database.dialect, hooks: opsloop.engine.hooks }, c.req.param('id'), body as PaymentInput, `user:${user.email}`, deps.now()));
    opsloop.engine.wake();
    return c.json(result, 201);
  });
  /** Voids a document: the number stays used; a run waiting on it (the reminder loop) wakes and ends. */
  route(app, { method: 'post', path: '/api/documents/:id/void', tag: 'finance', summary: 'Void a document, saying why; reminders for it stop', role: 'admin', body: voidBody, errors: { 409: 'The document cannot be voided in its status (e.g. paid)' } }, async (c) => {
    const user = userWith(c, 'admin');
    const body = validate(voidBody, await readJson(c));
    const actor = `user:${user.email}`;
    const now = deps.now();
    const document = await opsloop.engine.committer.unit(async (tx) => {
      const changed = await changeDocumentStatus(tx, opsloop.database.dialect, c.req.param('id'), 'void', actor, now, opsloop.engine.hooks);
      await appendAudit(tx, opsloop.database.dialect, [{ actor, action: 'document.voided', subjectType: 'document', subjectId: changed.id, data: { number: changed.number, reason: body.reason } }], now);
      return changed;
    });
    opsloop.engine.wake();
    return c.json({ document });
  });
  /** A draft credit note for an invoice, for the amount given (default: what is left to credit). */
  route(app, { method: 'post', path: '/api/documents/:id/credit-note', tag: 'finance', summary: 'Draft a credit note for an invoice (default: its whole total)', role: 'admin', body: creditNoteInput, status: 201, errors: { 409: 'The invoice is a draft, void, or credited in full already' } }, async (c) => {
    const user = userWith(c, 'admin');
    const body = validate(creditNoteInput, await readJson(c));
    const now = deps.now();
    const document = await opsloop.engine.committer.unit((tx) => createCreditNote(tx, c.req.param('id'), body, { dialect: opsloop.database.dialect, actor: `user:${user.email}`, today: localDate(now, opsloop.config.timezone), now }));
    return c.json({ document }, 201);
  });
  /** Emails the document with its PDF through the outbox, by a run of the send-document playbook. */
  route(app, { method: 'post', path: '/api/documents/:id/send', tag: 'finance', summary: 'Email a document with its PDF (a draft becomes sent); returns the run that sends it', role: 'admin', body: sendBody, status: 201, errors: { 409: 'The document is void' } }, async (c) => {
    const user = userWith(c, 'admin');
    const body = validate(sendBody, await readJson(c));
    const document = await getDocument(opsloop.database.db, c.req.param('id'));
    if (document.status === 'void') throw new ConflictError('DOCUMENT_VOID', `${document.number} is void; a void document is not sent`);
    await installSendDocument(opsloop.engine);
    const input = { document: document.number, to: body.to, ...(body.message === undefined || body.message.trim() === '' ? {} : { message: body.message }) };
    const started = await opsloop.engine.startRun(sendDocumentWorkflow, input, { trigger: { type: 'api', by: user.email }, execute: true });
    return c.json({ run: await opsloop.engine.getRun(started.runId), document: await getDocument(opsloop.database.db, document.id) }, 201);
  });
  route(app, { method: 'get', path: '/api/documents/:id/pdf', tag: 'finance', summary: 'The document as PDF', role: 'viewer', produces: 'application/pdf' }, async (c) => {
    userWith(c, 'viewer');
    const business = await businessProfiles(opsloop.database, opsloop.config).current();
    const { document, pdf } = await renderPdf(opsloop.database.db, c.req.param('id'), business);
    return c.body(new Uint8Array(pdf), 200, { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${document.number}.pdf"` });
  });
  route(app, { method: 'get', path: '/api/documents/:id', tag: 'finance', summary: 'One document', role: 'viewer' }, async (c) => {
    userWith(c, 'viewer');
    return c.json({ document: await getDocument(opsloop.database.db, c.req.param('id')) });
  });
}
