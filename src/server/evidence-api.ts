/**
 * The pages behind a read proposal: the Inbox shows the document an approval task's `read` step
 * was given, page by page, with each field's evidence box drawn over it.
 *
 *   GET /api/approvals/:id/pages         the page sizes, in the units of the evidence boxes
 *   GET /api/approvals/:id/pages/:page   one page as PNG
 *
 * The file is the step's input in the run journal (`file.contentBase64`), which never changes, so
 * nothing is cached on the server: a page is drawn on each request (a few at a time, with a time
 * limit), and the browser revalidates its copy with an ETag, credentials checked every time.
 *
 * An email has no page of its own: when the evidence names the attachment the fields were read
 * from, that attachment's pages are shown; fields read from the body have no page (404).
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { OpsLoop } from '../app.ts';
import { detectDocumentType, documentPageSizes, emailAttachmentFile, renderDocumentPage, type DocumentPart } from '../ai/documents/index.ts';
import { ErrorCategory, NotFoundError, OpsLoopError } from '../core/errors.ts';
import { parseJsonColumn } from '../core/json.ts';
import { userWith, type AppEnv } from './auth.ts';
import { validate } from './body.ts';
import { route } from './openapi.ts';
import { businessProfiles, renderPdf } from '../domains/finance/index.ts';

/** Drawing one page may take this long, waiting for a turn included. */
const renderTimeoutMs = 15_000;
/** Pages drawn at the same time by this server (each keeps a core busy). */
const concurrentRenders = 2;
/** Most pixels of a drawn page: an A4 page at one pixel per unit is 2 million. */
const maxRenderPixels = 8_000_000;
/** Part of the ETag: change it when pages are drawn differently. */
const renderVersion = 1;

const pageParams = z.object({ page: z.coerce.number().int().min(1).max(10_000) });
const pagesView = z.object({
  source: z.enum(['pdf', 'image']).describe('what the read step was given'),
  filename: z.string().nullable(),
  attachment: z.array(z.number()).nullable().describe('when the step was given an email: the attachment shown (its position from 0, then within an attached email), the one the fields were read from'),
  pages: z.array(z.object({ page: z.number(), width: z.number(), height: z.number() })).describe('sizes in the units of the evidence boxes (PDF points × 2, or image pixels)'),
});

const fileInput = z.object({ file: z.object({ contentBase64: z.string().min(1), filename: z.string().optional(), contentType: z.string().optional() }) });

interface StepFile {
  bytes: Uint8Array;
  filename: string | undefined;
  contentType: string | undefined;
  kind: 'pdf' | 'image';
  attachment: number[] | null;
}

const evidenceSource = z.object({ email: z.literal('attachment'), attachment: z.array(z.number().int().min(0)).min(1).max(10), filename: z.string() });

/** The email attachment the task's fields were read from, if its evidence names one (a reading has one source). */
function attachmentOf(evidence: string | null): Extract<DocumentPart, { email: 'attachment' }> | null {
  const fields = (parseJsonColumn<{ evidence?: unknown }>(evidence) ?? {}).evidence;
  if (typeof fields !== 'object' || fields === null) return null;
  for (const spans of Object.values(fields)) {
    for (const span of Array.isArray(spans) ? (spans as unknown[]) : []) {
      const source = evidenceSource.safeParse((span as { source?: unknown } | null)?.source);
      if (source.success) return source.data;
    }
  }
  return null;
}

const noDocument = (taskId: string, why: string) =>
  new NotFoundError('EVIDENCE_NO_DOCUMENT', `Approval task ${taskId} has no page to show: ${why}. Its fields and the words they were read from are in the task's evidence.`, { details: { approval: taskId } });

export function mountEvidenceApi(app: Hono<AppEnv>, opsloop: OpsLoop): void {
  const db = opsloop.database.db;
  const turn = limiter(concurrentRenders);

  /** The journal attempt holding the read step's input, after checking the task is a read step. */
  const readStep = async (taskId: string): Promise<{ runId: string; seq: number; attempt: number; attachment: ReturnType<typeof attachmentOf> }> => {
    const task = await db.selectFrom('approval_tasks').select(['run_id', 'seq', 'step_id', 'step_type', 'workflow_id', 'workflow_version', 'evidence']).where('id', '=', taskId).executeTakeFirst();
    if (task === undefined) throw new NotFoundError('APPROVAL_NOT_FOUND', `There is no approval task ${taskId} (see \`opsloop approvals\`)`);
    const definition = task.step_type === 'ai' ? await opsloop.engine.workflows.version(task.workflow_id, task.workflow_version) : null;
    const step = definition?.steps.find((s) => s.id === task.step_id);
    if (step?.type !== 'ai' || step.skill !== 'read') throw noDocument(taskId, `step "${task.step_id}" does not read a document`);
    const entry = await db.selectFrom('run_steps').select('attempt').where('run_id', '=', task.run_id).where('seq', '=', task.seq).where('input', 'is not', null).orderBy('attempt', 'desc').executeTakeFirst();
    if (entry === undefined) throw noDocument(taskId, 'the run journal has no input for its read step');
    return { runId: task.run_id, seq: task.seq, attempt: entry.attempt, attachment: attachmentOf(task.evidence) };
  };

  const stepFile = async (taskId: string, at: Awaited<ReturnType<typeof readStep>>): Promise<StepFile> => {
    const row = await db.selectFrom('run_steps').select('input').where('run_id', '=', at.runId).where('seq', '=', at.seq).where('attempt', '=', at.attempt).executeTakeFirst();
    const parsed = fileInput.safeParse(parseJsonColumn(row?.input));
    if (!parsed.success) throw noDocument(taskId, 'its read step was given text, not a file');
    const { contentBase64, filename, contentType } = parsed.data.file;
    const bytes = Buffer.from(contentBase64, 'base64');
    const { kind } = detectDocumentType(bytes, { filename, contentType });
    if (kind === 'email') return emailFile(taskId, bytes, { filename, contentType }, at.attachment);
    if (kind !== 'pdf' && kind !== 'image') throw noDocument(taskId, `its read step was given ${filename === undefined ? 'a file' : `"${filename}"`}, which is not a PDF or an image`);
    return { bytes, filename, contentType, kind, attachment: null };
  };

  /** The attachment of an email the fields were read from (errors name the attachment, never crash). */
  const emailFile = async (taskId: string, bytes: Buffer, declared: { filename: string | undefined; contentType: string | undefined }, source: ReturnType<typeof attachmentOf>): Promise<StepFile> => {
    const email = declared.filename === undefined ? 'the email' : `the email "${declared.filename}"`;
    if (source === null) throw noDocument(taskId, `its fields were read from the text of ${email}, not from an attachment`);
    const file = await emailAttachmentFile(bytes, declared, source.attachment);
    const name = `"${file.filename ?? source.filename}"`;
    let kind;
    try {
      kind = detectDocumentType(file.bytes, file).kind;
    } catch {
      kind = null;
    }
    if (kind !== 'pdf' && kind !== 'image') throw noDocument(taskId, `its fields were read from the attachment ${name} of ${email}, which is not a PDF or an image`);
    return { bytes: file.bytes, filename: file.filename, contentType: file.contentType, kind, attachment: source.attachment };
  };

  route(
    app,
    { method: 'get', path: '/api/approvals/:id/pages', tag: 'inbox', summary: "The pages of the document a read step was given, with their sizes in the evidence boxes' units", role: 'viewer', response: pagesView, errors: { 404: 'No such task, or its step was not given a PDF or an image (EVIDENCE_NO_DOCUMENT)' } },
    async (c) => {
      userWith(c, 'viewer');
      const id = c.req.param('id');
      const file = await stepFile(id, await readStep(id));
      const pages = await documentPageSizes(file.bytes, file);
      return c.json({ source: file.kind, filename: file.filename ?? null, attachment: file.attachment, pages });
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/api/approvals/:id/pages/:page',
      tag: 'inbox',
      summary: 'One page of the document a read step was given, as PNG',
      description: 'Boxes of the evidence are in the units GET /api/approvals/{id}/pages gives the page size in; scale them by the displayed size.',
      role: 'viewer',
      produces: 'image/png',
      errors: { 400: 'The page is not a number from 1', 404: 'No such task or page, or its step was not given a PDF or an image (EVIDENCE_NO_DOCUMENT)', 503: 'The page took too long to draw (EVIDENCE_RENDER_TIMEOUT)' },
    },
    async (c) => {
      userWith(c, 'viewer');
      const id = c.req.param('id');
      const { page } = validate(pageParams, { page: c.req.param('page') }, 'path');
      const at = await readStep(id);
      const etag = `"${id}.${at.attempt}.${page}.v${renderVersion}"`;
      const headers = { 'cache-control': 'private, no-cache', etag };
      if ((c.req.header('if-none-match') ?? '').split(/\s*,\s*/).includes(etag)) return c.body(null, 304, headers);
      const file = await stepFile(id, at);
      const signal = AbortSignal.timeout(renderTimeoutMs);
      let image;
      try {
        image = await turn(signal, () => renderDocumentPage(file.bytes, file, page, { maxRenderPixels, signal }));
      } catch (error) {
        if (signal.aborted && !(error instanceof OpsLoopError)) {
          throw new OpsLoopError('EVIDENCE_RENDER_TIMEOUT', ErrorCategory.unavailable, `Page ${page} took longer than ${renderTimeoutMs / 1000} s to draw; try again in a moment.`, { cause: error });
        }
        throw error;
      }
      return c.body(new Uint8Array(image.png), 200, { ...headers, 'content-type': 'image/png' });
    },
  );
}

/**
 * A business document's pages as images, for previews that work in every browser (phones and
 * headless browsers show no PDF in a frame): the same PDF the client gets, drawn page by page.
 *
 *   GET /api/documents/:id/pages         how many pages, and their sizes
 *   GET /api/documents/:id/pages/:page   one page as PNG
 */
export function mountDocumentPagesApi(app: Hono<AppEnv>, opsloop: OpsLoop): void {
  const turn = limiter(concurrentRenders);
  const documentPdf = async (id: string): Promise<Buffer> => {
    const business = await businessProfiles(opsloop.database, opsloop.config).current();
    return (await renderPdf(opsloop.database.db, id, business)).pdf;
  };
  const declared = { contentType: 'application/pdf' };
  route(
    app,
    { method: 'get', path: '/api/documents/:id/pages', tag: 'finance', summary: "The document's pages and their sizes (for a preview)", role: 'viewer', response: z.object({ pages: pagesView.shape.pages }) },
    async (c) => {
      userWith(c, 'viewer');
      return c.json({ pages: await documentPageSizes(await documentPdf(c.req.param('id')), declared) });
    },
  );
  route(
    app,
    { method: 'get', path: '/api/documents/:id/pages/:page', tag: 'finance', summary: 'One page of the document, drawn as PNG (a preview of its PDF)', role: 'viewer', produces: 'image/png', errors: { 400: 'The page is not a number from 1', 404: 'No such document or page', 503: 'The page took too long to draw' } },
    async (c) => {
      userWith(c, 'viewer');
      const { page } = validate(pageParams, { page: c.req.param('page') }, 'path');
      const pdf = await documentPdf(c.req.param('id'));
      const signal = AbortSignal.timeout(renderTimeoutMs);
      let image;
      try {
        image = await turn(signal, () => renderDocumentPage(pdf, declared, page, { maxRenderPixels, signal }));
      } catch (error) {
        if (signal.aborted && !(error instanceof OpsLoopError)) throw new OpsLoopError('PAGE_RENDER_TIMEOUT', ErrorCategory.unavailable, `Page ${page} took longer than ${renderTimeoutMs / 1000} s to draw; try again in a moment.`, { cause: error });
        throw error;
      }
      // The document may change (payments, settings): no caching.
      return c.body(new Uint8Array(image.png), 200, { 'content-type': 'image/png', 'cache-control': 'no-store' });
    },
  );
}

/** Runs at most `max` jobs at a time; a job still waiting for its turn when `signal` aborts is dropped. */
function limiter(max: number): <T>(signal: AbortSignal, job: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (signal, job) => {
    if (active >= max) {
      await new Promise<void>((resolve, reject) => {
        const go = () => {
          signal.removeEventListener('abort', drop);
          resolve();
        };
        const drop = () => {
          waiting.splice(waiting.indexOf(go), 1);
          reject(signal.reason as Error);
        };
        waiting.push(go);
        signal.addEventListener('abort', drop, { once: true });
      });
    } else {
      active += 1;
    }
    try {
      return await job();
    } finally {
      // Hand the slot to the next job, or free it.
      const next = waiting.shift();
      if (next === undefined) active -= 1;
      else next();
    }
  };
}
