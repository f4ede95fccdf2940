/**
 * The finance domain's workflow actions and effects.
 *
 *   finance.draft   one sentence → a numbered draft document (in the step's transaction)
 *   finance.send    a document → status sent (audited; one already out stays as it is) + an email with
 *                   its PDF, through the outbox
 * The email is an outbox effect (`finance.document-email`): the PDF is rendered when the email is
 * delivered, outside any transaction, and the Message-ID comes from the idempotency key, so a
 * retried delivery is recognisably the same message.
 */
import { z } from 'zod';
import { asNonRetriable, NonRetriableError } from '../../core/errors.ts';
import type { Database } from '../../data/database.ts';
import { parseDocumentSentence } from '../../ai/draft/index.ts';
import type { Registry } from '../../workflow/registry.ts';
import { changeStatus, createDraftDocument, getDocument, type DocumentView } from './documents.ts';
import { defaultPatterns } from './numbering.ts';
import { renderPdf } from './service.ts';
import { documentTitle } from './pdf/index.ts';
import { ensurePublicToken } from './paylinks/index.ts';
import { registerPlaybookActions, type PlaybookSettings } from './playbook-actions.ts';
import { registerRecurring } from './recurring/index.ts';
import { registerFlags } from './flags.ts';

const draftInput = z.object({ sentence: z.string().min(1).max(1000), today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD').nullish() }).strict();
const sendInput = z.object({ document: z.string().min(1), to: z.email(), message: z.string().max(5000).nullish() }).strict();
const emailEffect = z.object({ documentId: z.string().min(1), to: z.email(), message: z.string().optional() }).strict();

/** What the finance actions need: the same as the playbook's. */
export type FinanceSettings = PlaybookSettings;

export function registerFinance(registry: Registry, database: Database, settings: FinanceSettings): void {
  registerPlaybookActions(registry, database, settings);
  registerRecurring(registry, database);
  registerFlags(registry);
  registry.registerAction<z.infer<typeof draftInput>, DocumentView>({
    name: 'finance.draft',
    description: 'Creates a numbered draft document from one sentence.',
    input: draftInput,
    run: async (input, ctx) => {
      let draft;
      try {
        draft = parseDocumentSentence(input.sentence, { today: input.today ?? new Date(ctx.now()).toISOString().slice(0, 10) });
      } catch (error) {
        throw asNonRetriable(error, 'DRAFT_FAILED');
      }
      return createDraftDocument(ctx.tx, draft, { dialect: database.dialect, pattern: defaultPatterns[draft.kind], actor: `run:${ctx.runId}`, source: `run:${ctx.runId}`, now: ctx.now() });
    },
  });

  registry.registerAction<z.infer<typeof sendInput>, { number: string; status: string; emailOutboxId: string }>({
    name: 'finance.send',
    description: 'Marks a document sent and emails it with its PDF (through the outbox: once, after commit).',
    input: sendInput,
    run: async (input, ctx) => {
      // A draft (or an approved one) becomes sent; a document already out is sent again as it is.
      const current = await getDocument(ctx.tx, input.document);
      if (current.status === 'void') throw new NonRetriableError(`${current.number} is void; a void document is not sent`, { code: 'DOCUMENT_VOID' });
      const document = current.status === 'draft' || current.status === 'awaiting_approval' ? await changeStatus(ctx.tx, database.dialect, current.id, 'sent', `run:${ctx.runId}`, ctx.now(), settings.hooks) : current;
      // The pay link the email will carry is created with the step, so it is on disk before the email leaves.
      if (document.kind === 'invoice') await ensurePublicToken(ctx.tx, document.id);
      const emailOutboxId = ctx.effect('finance.document-email', { documentId: document.id, to: input.to, ...(input.message === undefined || input.message === null || input.message.trim() === '' ? {} : { message: input.message }) });
      return { number: document.number, status: document.status, emailOutboxId };
    },
  });

  registry.registerEffect({
    kind: 'finance.document-email',
    async deliver(raw, delivery) {
      const payload = emailEffect.parse(raw);
      const business = await settings.business.current();
      const { document, pdf, payUrl } = await renderPdf(database.db, payload.documentId, business);
      const title = `${documentTitle(document.kind)} ${document.number}`;
      const text = [
        `Hello ${document.client.name},`,
        '',
        payload.message ?? `Please find attached ${title} for ${document.total} ${document.currency}${document.dueDate === null ? '' : `, due ${document.dueDate}`}.`,
        '',
        ...(payUrl === null ? [] : [`Pay online: ${payUrl}`, `(or by bank transfer, quoting ${document.number} as the reference; the details are on the invoice)`, '']),
        'Kind regards,',
        business.name,
      ].join('\n');
      return settings.mailer.send({ to: payload.to, subject: `${title} from ${business.name}`, text, attachments: [{ filename: `${document.number}.pdf`, content: pdf, contentType: 'application/pdf' }] }, delivery.idempotencyKey);
    },
  });
}

