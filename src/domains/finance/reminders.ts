/**
 * Payment reminders. A cadence is a list of days relative to an invoice's due date (the business's
 * default "-3,0,7,14,30", or the client's own); each entry is a stage that goes out at the
 * reminder hour, local time, on its day.
 *
 * The timers are the engine's: the invoice-to-cash playbook asks `planReminder` when the next
 * stage is due and waits for it — or for the invoice's status to change — durably. When the
 * wait ends, `sendDueReminder` sends the latest stage that is due and marks any earlier unsent
 * ones skipped, so a run that wakes late after an outage sends ONE catch-up reminder, never a
 * burst. A stage is a row keyed by (invoice, stage), written in the step's transaction: a
 * replayed step cannot send it twice. Stages dated before the invoice was sent never go out.
 */
import { z } from 'zod';
import { ConflictError, ValidationError } from '../../core/errors.ts';
import { addDays, localInstant } from '../../core/dates.ts';
import type { Dialect } from '../../data/dialect.ts';
import { formatMinor, parseDecimalToMinor } from '../../ai/draft/money/index.ts';
import { appendAudit } from '../../governance/index.ts';
import type { Queryable } from '../../workflow/store/runs.ts';
import type { EngineHooks } from '../../workflow/hooks.ts';
import { changeStatus, getDocument, type DocumentView } from './documents.ts';

export interface ReminderSettings {
  /** days relative to the due date, e.g. "-3,0,7,14,30" */
  cadence: string;
  /** local hour the reminders go out */
  hour: number;
  timezone: string;
}

export interface ReminderStage {
  stage: number;
  offsetDays: number;
  date: string;
  at: number;
}

/** What the reminder loop does next for one invoice. */
export interface ReminderPlan {
  number: string;
  status: string;
  /**
   * waiting: the next stage is `next` · paid / closed (void): stop · finished: every stage went
   * out, a person takes over · unsent: the invoice was not sent yet (no reminders before that)
   */
  state: 'waiting' | 'paid' | 'closed' | 'finished' | 'unsent';
  next: string | null;
  stage: number | null;
  offsetDays: number | null;
}

const cadenceText = z.string().regex(/^\s*-?\d{1,3}(\s*,\s*-?\d{1,3})*\s*$/, 'must be days relative to the due date, e.g. "-3,0,7,14,30"');

/** Parses a cadence ("-3,0,7,14,30") into sorted, distinct day offsets. */
export function parseCadence(text: string): number[] {
  const parsed = cadenceText.safeParse(text);
  if (!parsed.success) throw new ValidationError('CADENCE_INVALID', `Reminder cadence "${text}" ${parsed.error.issues[0]?.message ?? 'is invalid'}`, { details: { path: 'cadence' } });
  const days = [...new Set(text.split(',').map((d) => Number(d.trim())))].sort((a, b) => a - b);
  if (days.some((d) => d < -90 || d > 365)) throw new ValidationError('CADENCE_INVALID', `Reminder cadence "${text}": each day must be between -90 and 365`, { details: { path: 'cadence' } });
  return days;
}

/** Sets (or, with null, clears) a client's own cadence. */
export async function setClientCadence(tx: Queryable, clientId: string, cadence: string | null, now: number): Promise<void> {
  if (cadence !== null) parseCadence(cadence);
  await tx.updateTable('counterparties').set({ reminder_cadence: cadence, updated_at: now }).where('id', '=', clientId).execute();
}

interface InvoiceState {
  document: DocumentView;
  sentAt: number | null;
  stages: ReminderStage[];
  recorded: Set<number>;
}

async function invoiceState(tx: Queryable, idOrNumber: string, settings: ReminderSettings): Promise<InvoiceState> {
  const document = await getDocument(tx, idOrNumber);
  if (document.kind !== 'invoice') throw new ConflictError('REMINDER_NOT_AN_INVOICE', `${document.number} is a ${document.kind.replace('_', ' ')}; reminders are for invoices`);
  const row = await tx
    .selectFrom('documents')
    .innerJoin('counterparties', 'counterparties.id', 'documents.counterparty_id')
    .select(['documents.sent_at', 'counterparties.reminder_cadence'])
    .where('documents.id', '=', document.id)
    .executeTakeFirstOrThrow();
  const due = document.dueDate ?? document.issueDate;
  const stages = parseCadence(row.reminder_cadence ?? settings.cadence).map((offsetDays, stage) => {
    const date = addDays(due, offsetDays);
    return { stage, offsetDays, date, at: localInstant(date, settings.hour, settings.timezone) };
  });
  const rows = await tx.selectFrom('reminders').select('stage').where('document_id', '=', document.id).execute();
  return { document, sentAt: row.sent_at === null ? null : Number(row.sent_at), stages, recorded: new Set(rows.map((r) => r.stage)) };
}

function stateOf(status: string): ReminderPlan['state'] | null {
  if (status === 'paid') return 'paid';
  if (status === 'void') return 'closed';
  if (status === 'draft' || status === 'awaiting_approval') return 'unsent';
  return null;
}

/** The stages still to come: after the last one recorded, and not dated before the invoice was sent. */
function pending(state: InvoiceState): ReminderStage[] {
  const last = Math.max(-1, ...state.recorded);
  return state.stages.filter((s) => s.stage > last && (state.sentAt === null || s.at >= state.sentAt));
}

export async function planReminder(tx: Queryable, idOrNumber: string, settings: ReminderSettings): Promise<ReminderPlan> {
  const state = await invoiceState(tx, idOrNumber, settings);
  const base = { number: state.document.number, status: state.document.status };
  const stop = stateOf(state.document.status);
  if (stop !== null) return { ...base, state: stop, next: null, stage: null, offsetDays: null };
  const next = pending(state)[0];
  if (next === undefined) return { ...base, state: 'finished', next: null, stage: null, offsetDays: null };
  return { ...base, state: 'waiting', next: new Date(next.at).toISOString(), stage: next.stage, offsetDays: next.offsetDays };
}

export interface SentReminder {
  number: string;
  sent: { stage: number; offsetDays: number; date: string; amountDue: string; currency: string } | null;
  /** stages that came due during an outage and were folded into this one */
  skipped: number[];
  reason: string;
}

/**
 * Sends the latest stage that is due (one email through `effect`), records it and any earlier
 * skipped stages, audits it, and marks the invoice overdue once its due date has passed.
 */
export async function sendDueReminder(
  tx: Queryable,
  deps: { dialect: Dialect; hooks: EngineHooks; effect: (payload: ReminderEmail) => string },
  idOrNumber: string,
  to: string,
  settings: ReminderSettings,
  actor: string,
  now: number,
): Promise<SentReminder> {
  const state = await invoiceState(tx, idOrNumber, settings);
  const { document } = state;
  const stop = stateOf(document.status);
  if (stop !== null) return { number: document.number, sent: null, skipped: [], reason: `the invoice is ${document.status}` };
  const due = pending(state).filter((s) => s.at <= now);
  const latest = due.at(-1);
  if (latest === undefined) return { number: document.number, sent: null, skipped: [], reason: 'no reminder is due yet' };
  const skipped = due.slice(0, -1);
  const amountDue = formatMinor(parseDecimalToMinor(document.total, document.currency) - parseDecimalToMinor(document.paid, document.currency), document.currency);
  const email: ReminderEmail = { documentId: document.id, to, offsetDays: latest.offsetDays, amountDue };
  const outboxId = deps.effect(email);
  await tx
    .insertInto('reminders')
    .values([
      ...skipped.map((s) => ({ document_id: document.id, stage: s.stage, offset_days: s.offsetDays, status: 'skipped' as const, due_at: s.at, outbox_id: null, created_at: now })),
      { document_id: document.id, stage: latest.stage, offset_days: latest.offsetDays, status: 'sent' as const, due_at: latest.at, outbox_id: outboxId, created_at: now },
    ])
    .execute();
  const pastDue = document.dueDate !== null && latest.offsetDays > 0;
  if (pastDue && (document.status === 'sent' || document.status === 'partially_paid')) {
    await changeStatus(tx, deps.dialect, document.id, 'overdue', actor, now, deps.hooks);
  }
  await appendAudit(
    tx,
    deps.dialect,
    [{ actor, action: 'reminder.sent', subjectType: 'document', subjectId: document.id, data: { number: document.number, stage: latest.stage, offsetDays: latest.offsetDays, to, amountDue, skippedStages: skipped.map((s) => s.stage) } }],
    now,
  );
  return {
    number: document.number,
    sent: { stage: latest.stage, offsetDays: latest.offsetDays, date: latest.date, amountDue, currency: document.currency },
    skipped: skipped.map((s) => s.stage),
    reason: skipped.length > 0 ? `stages ${skipped.map((s) => s.stage).join(', ')} came due while nobody was running; one catch-up reminder went instead` : 'due',
  };
}

export interface ReminderEmail {
  documentId: string;
  to: string;
  offsetDays: number;
  amountDue: string;
}

/** The words of a reminder: friendly before the due date, firmer after. */
export function reminderText(document: DocumentView, email: ReminderEmail, business: string, payLink: string | null): { subject: string; text: string } {
  const amount = `${email.amountDue} ${document.currency}`;
  const when =
    email.offsetDays < 0
      ? `is due on ${document.dueDate ?? document.issueDate}`
      : email.offsetDays === 0
        ? 'is due today'
        : `was due on ${document.dueDate ?? document.issueDate} and is now ${email.offsetDays} days overdue`;
  const subject = email.offsetDays <= 0 ? `Reminder: invoice ${document.number} ${email.offsetDays === 0 ? 'is due today' : 'is due soon'}` : `Overdue: invoice ${document.number}`;
  const text = [
    `Hello ${document.client.name},`,
    '',
    `A reminder that invoice ${document.number} for ${amount} ${when}.`,
    payLink === null ? '' : `You can pay it here: ${payLink}`,
    'If you have already paid, thank you, and please ignore this message.',
    '',
    'Kind regards,',
    business,
  ]
    .filter((line, i, all) => line !== '' || all[i - 1] !== '')
    .join('\n');
  return { subject, text };
}
