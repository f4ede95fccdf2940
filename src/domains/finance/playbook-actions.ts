/**
 * The actions the invoice-to-cash playbook is made of, beyond finance.draft and finance.send:
 *
 *   finance.propose-send   the invoice as a proposal for governance (new client? flagged? how much?)
 *   finance.status         a status change (e.g. back to draft when a person rejects)
 *   finance.reminder-plan  when the next payment reminder is due (or why there is none)
 *   finance.remind         sends the reminder that is due (at most one; see reminders.ts)
 *   finance.settlement     how a paid invoice was settled in the end: by a payment or by a credit note
 *   finance.receipt        thanks the client for a paid invoice, with the invoice attached (never
 *                          for one a credit note settled: no money came in to thank anyone for)
 * Emails are outbox effects: rendered and sent after the step commits, once.
 */
import { z } from 'zod';
import { NonRetriableError, ValidationError } from '../../core/errors.ts';
import type { Database } from '../../data/database.ts';
import type { Mailer } from '../../actions/index.ts';
import type { Registry } from '../../workflow/registry.ts';
import type { Queryable } from '../../workflow/store/runs.ts';
import type { EngineHooks } from '../../workflow/hooks.ts';
import { changeStatus, getDocument } from './documents.ts';
import { creditNoteMethod } from './document-records.ts';
import { formatMinor, parseDecimalToMinor } from '../../ai/draft/money/index.ts';
import { planReminder, reminderText, sendDueReminder, type ReminderEmail, type ReminderPlan, type ReminderSettings, type SentReminder } from './reminders.ts';
import { renderPdf } from './service.ts';
import type { BusinessSource } from './settings.ts';
import { DocumentStatus } from './status.ts';
import { isPayable, payUrlFor } from './paylinks/index.ts';

export interface PlaybookSettings {
  /** read when an email is rendered: the profile stored in Settings, over the environment's */
  business: BusinessSource;
  /** SMTP, shared with the built-in email effect */
  mailer: Mailer;
  reminders: ReminderSettings;
  /** the engine's hooks: status changes emit events through them */
  hooks: EngineHooks;
}

const anomaly = z.object({ code: z.string(), severity: z.string(), message: z.string() }).loose();
const proposeInput = z.object({ document: z.string().min(1), to: z.email().nullish(), anomalies: z.array(anomaly).nullish() }).strict();
export const proposalOutput = z
  .object({
    document: z.string(),
    client: z.object({ name: z.string(), email: z.email().nullable() }),
    to: z.email(),
    total: z.string(),
    amount: z.number(),
    currency: z.string(),
    dueDate: z.string().nullable(),
    newClient: z.boolean(),
    flagged: z.boolean(),
    anomalies: z.array(anomaly),
  })
  .strict();
const statusInput = z.object({ document: z.string().min(1), status: z.enum(Object.values(DocumentStatus) as [DocumentStatus, ...DocumentStatus[]]) }).strict();
const documentInput = z.object({ document: z.string().min(1) }).strict();
const mailInput = z.object({ document: z.string().min(1), to: z.email() }).strict();
const reminderEmail = z.object({ documentId: z.string(), to: z.email(), offsetDays: z.number().int(), amountDue: z.string() }).strict();
const receiptEmail = z.object({ documentId: z.string(), to: z.email() }).strict();

export interface Settlement {
  number: string;
  status: string;
  /** what settled the invoice last: money (`payment`) or a credit note; null when nothing has */
  settledBy: 'payment' | 'credit_note' | null;
  /** the credit note, when one settled it last */
  creditNote: string | null;
  /** money received and credit applied, decimal strings */
  received: string;
  credited: string;
}

/** How an invoice was settled last (payment or credit note) and how much of each it had. */
async function settlementOf(tx: Queryable, idOrNumber: string): Promise<Settlement> {
  const document = await getDocument(tx, idOrNumber);
  const last = await tx.selectFrom('payments').select(['method', 'reference']).where('document_id', '=', document.id).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const credited = parseDecimalToMinor(document.credited, document.currency);
  const received = parseDecimalToMinor(document.paid, document.currency) - credited;
  const byCredit = last?.method === creditNoteMethod;
  return {
    number: document.number,
    status: document.status,
    settledBy: last === undefined ? null : byCredit ? 'credit_note' : 'payment',
    creditNote: byCredit ? (last.reference ?? null) : null,
    received: formatMinor(received, document.currency),
    credited: document.credited,
  };
}

/** Has this client had an invoice before (sent, paid or on its way to it), other than this one? */
async function isNewClient(tx: Queryable, clientId: string, documentId: string): Promise<boolean> {
  const earlier = await tx
    .selectFrom('documents')
    .select('id')
    .where('counterparty_id', '=', clientId)
    .where('kind', '=', 'invoice')
    .where('id', '!=', documentId)
    .where('status', 'in', ['sent', 'partially_paid', 'paid', 'overdue'])
    .limit(1)
    .executeTakeFirst();
  return earlier === undefined;
}

export function registerPlaybookActions(registry: Registry, database: Database, settings: PlaybookSettings): void {
  registry.registerAction<z.infer<typeof proposeInput>, z.infer<typeof proposalOutput>>({
    name: 'finance.propose-send',
    description: 'Puts a drafted invoice up for sending: who it goes to, how much, whether the client is new, what the flag check found.',
    input: proposeInput,
    output: proposalOutput,
    proposing: true,
    run: async (input, ctx) => {
      const document = await getDocument(ctx.tx, input.document);
      const client = await ctx.tx.selectFrom('counterparties').select(['email']).where('id', '=', document.client.id).executeTakeFirstOrThrow();
      const to = input.to ?? client.email;
      if (to === null || to === undefined) {
        throw new NonRetriableError(`${document.client.name} has no email address: add one to the client, or start the run with "to"`, { code: 'CLIENT_EMAIL_MISSING' });
      }
      if (client.email === null) await ctx.tx.updateTable('counterparties').set({ email: to, updated_at: ctx.now() }).where('id', '=', document.client.id).execute();
      if (document.status === 'draft') await changeStatus(ctx.tx, database.dialect, document.id, 'awaiting_approval', `run:${ctx.runId}`, ctx.now(), settings.hooks);
      const anomalies = (input.anomalies ?? []).filter((a) => a.severity !== 'info' || a.code !== 'NEW_COUNTERPARTY');
      return {
        document: document.number,
        client: { name: document.client.name, email: client.email ?? to },
        to,
        total: document.total,
        amount: Number(document.total),
        currency: document.currency,
        dueDate: document.dueDate,
        newClient: await isNewClient(ctx.tx, document.client.id, document.id),
        flagged: anomalies.some((a) => a.severity === 'warning' || a.severity === 'critical'),
        anomalies,
      };
    },
  });

  registry.registerAction<z.infer<typeof statusInput>, { number: string; status: string }>({
    name: 'finance.status',
    description: "Changes a document's status (checked against the rules and audited).",
    input: statusInput,
    run: async (input, ctx) => {
      const document = await changeStatus(ctx.tx, database.dialect, input.document, input.status, `run:${ctx.runId}`, ctx.now(), settings.hooks);
      return { number: document.number, status: document.status };
    },
  });

  registry.registerAction<z.infer<typeof documentInput>, ReminderPlan>({
    name: 'finance.reminder-plan',
    description: 'When the next payment reminder of an invoice is due, or why there is none.',
    input: documentInput,
    run: (input, ctx) => planReminder(ctx.tx, input.document, settings.reminders),
  });

  registry.registerAction<z.infer<typeof mailInput>, SentReminder>({
    name: 'finance.remind',
    description: 'Sends the payment reminder that is due (one, even after an outage), audited.',
    input: mailInput,
    run: (input, ctx) =>
      sendDueReminder(ctx.tx, { dialect: database.dialect, hooks: settings.hooks, effect: (payload) => ctx.effect('finance.reminder-email', payload) }, input.document, input.to, settings.reminders, `run:${ctx.runId}`, ctx.now()),
  });

  registry.registerAction<z.infer<typeof documentInput>, Settlement>({
    name: 'finance.settlement',
    description: 'How an invoice was settled in the end: by a payment or by a credit note.',
    input: documentInput,
    run: (input, ctx) => settlementOf(ctx.tx, input.document),
  });

  registry.registerAction<z.infer<typeof mailInput>, { number: string; sent: boolean; emailOutboxId: string | null; reason: string }>({
    name: 'finance.receipt',
    description: 'Emails the client a receipt for a paid invoice (not for one a credit note settled).',
    input: mailInput,
    run: async (input, ctx) => {
      const settlement = await settlementOf(ctx.tx, input.document);
      if (settlement.status !== 'paid') throw new ValidationError('RECEIPT_NOT_PAID', `${settlement.number} is ${settlement.status}; a receipt goes out once it is paid`);
      // A playbook installed before credit notes settled invoices still comes here: send nothing.
      if (settlement.settledBy === 'credit_note') return { number: settlement.number, sent: false, emailOutboxId: null, reason: `settled by credit note ${settlement.creditNote ?? ''}: no payment to thank for`.trim() };
      const { id } = await getDocument(ctx.tx, settlement.number);
      const emailOutboxId = ctx.effect('finance.receipt-email', { documentId: id, to: input.to });
      return { number: settlement.number, sent: true, emailOutboxId, reason: 'paid' };
    },
  });

  registry.registerEffect({
    kind: 'finance.reminder-email',
    async deliver(raw, delivery) {
      const payload: ReminderEmail = reminderEmail.parse(raw);
      const document = await getDocument(database.db, payload.documentId);
      const business = await settings.business.current();
      // Read only: the link was made when the invoice was sent (finance.send); a delivery writes nothing.
      const publicUrl = business.publicUrl;
      const token = (await database.db.selectFrom('documents').select('public_token').where('id', '=', document.id).executeTakeFirst())?.public_token ?? null;
      const link = publicUrl === undefined || publicUrl === null || token === null || !isPayable(document) ? null : payUrlFor(publicUrl, token);
      const { subject, text } = reminderText(document, payload, business.name, link);
      return settings.mailer.send({ to: payload.to, subject, text }, delivery.idempotencyKey);
    },
  });
  registry.registerEffect({
    kind: 'finance.receipt-email',
    async deliver(raw, delivery) {
      const payload = receiptEmail.parse(raw);
      const business = await settings.business.current();
      const { document, pdf } = await renderPdf(database.db, payload.documentId, business);
      const credited = parseDecimalToMinor(document.credited, document.currency);
      const received = formatMinor(parseDecimalToMinor(document.paid, document.currency) - credited, document.currency);
      const settled = credited > 0n ? `With the credit of ${document.credited} ${document.currency}, it is now paid in full.` : 'It is now paid in full.';
      const text = [`Hello ${document.client.name},`, '', `Thank you: we received your payment of ${received} ${document.currency} for invoice ${document.number}. ${settled}`, '', 'Kind regards,', business.name].join('\n');
      return settings.mailer.send({ to: payload.to, subject: `Receipt for invoice ${document.number} from ${business.name}`, text, attachments: [{ filename: `${document.number}.pdf`, content: pdf, contentType: 'application/pdf' }] }, delivery.idempotencyKey);
    },
  });
}
