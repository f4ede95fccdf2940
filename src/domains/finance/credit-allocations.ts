/**
 * A credit note settles the invoice it credits (as Xero and QuickBooks allocate one). When a credit
 * note whose reference is an invoice's number is issued (draft or awaiting approval -> sent), the
 * allocation — the credit note's total, but never more than the invoice still owes at that moment —
 * is a `payments` row with method `credit_note` and the credit note's number as its reference,
 * written in the transaction of the status change. Every "total − paid" (pay page, checkout,
 * reconciliation, reminders, receivables, the client's balance, the PDF) counts it as it is.
 *
 * The invoice moves to partially paid or paid with the same audit entry and
 * `document.status_changed` event as a payment, but without `payment.received`: no money came in,
 * so no receipt thanks anyone for it. What the invoice did not need (it was paid, in part or in
 * full, before) stays on the credit note as the client's credit (`unapplied`): an invoice never
 * owes less than nothing. Two credit notes issued at once take turns on the invoice's row.
 *
 * Voiding an issued credit note removes its allocation and moves the invoice back to what its
 * amounts and dates say; an invoice with a credit applied cannot be voided before the credit note.
 */
import { ConflictError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { Dialect } from '../../data/dialect.ts';
import { formatMinor, parseDecimalToMinor } from '../../ai/draft/money/index.ts';
import { appendAudit } from '../../governance/index.ts';
import type { EngineHooks } from '../../workflow/hooks.ts';
import { raiseException } from '../../workflow/exceptions.ts';
import type { Queryable } from '../../workflow/store/runs.ts';
import { announceStatus, creditNoteMethod, getDocument, lockDocument, type DocumentView } from './document-records.ts';
import { assertReopen, assertTransition, reopenedStatus, settledStatus, type DocumentStatus } from './status.ts';

export interface CreditDeps {
  dialect: Dialect;
  hooks: EngineHooks;
}

const notOpen: Partial<Record<DocumentStatus, string>> = {
  draft: 'has not been sent',
  awaiting_approval: 'has not been sent',
  void: 'is void, so nothing is owed on it',
};

/** The invoice a credit note credits (its reference), locked; null when the reference names no invoice. */
async function creditedInvoice(tx: Queryable, dialect: Dialect, note: DocumentView): Promise<DocumentView | null> {
  if (note.reference === null) return null;
  const row = await tx.selectFrom('documents').select('id').where('kind', '=', 'invoice').where('number', '=', note.reference).executeTakeFirst();
  if (row === undefined) return null;
  await lockDocument(tx, dialect, row.id);
  const invoice = await getDocument(tx, row.id);
  if (invoice.client.id !== note.client.id) {
    throw new ConflictError('CREDIT_NOTE_OTHER_CLIENT', `${note.number} cannot be issued: it credits ${invoice.number}, which is billed to ${invoice.client.name}, not ${note.client.name}`);
  }
  if (invoice.currency !== note.currency) {
    throw new ConflictError('CREDIT_NOTE_CURRENCY', `${note.number} cannot be issued: it is in ${note.currency} and ${invoice.number} in ${invoice.currency}`);
  }
  return invoice;
}

/**
 * Applies an issued credit note to the invoice it credits: up to what the invoice still owes now.
 * A credit note that names no invoice, or one already settled, is left whole as the client's credit.
 * A draft or void invoice is a ConflictError (nothing is written: the issue is rolled back).
 */
export async function applyCreditNote(tx: Queryable, deps: CreditDeps, note: DocumentView, actor: string, now: number): Promise<void> {
  const invoice = await creditedInvoice(tx, deps.dialect, note);
  if (invoice === null) return;
  const why = notOpen[invoice.status];
  if (why !== undefined) throw new ConflictError('CREDIT_NOTE_INVOICE_NOT_OPEN', `${note.number} cannot be issued: ${invoice.number} ${why}; void the credit note instead`, { details: { status: invoice.status } });
  const currency = invoice.currency;
  const total = parseDecimalToMinor(invoice.total, currency);
  const settled = parseDecimalToMinor(invoice.paid, currency);
  const credit = parseDecimalToMinor(note.total, currency);
  const due = total - settled;
  const applied = due <= 0n ? 0n : credit < due ? credit : due;
  const data = { creditNote: note.number, invoice: invoice.number, applied: formatMinor(applied, currency), unapplied: formatMinor(credit - applied, currency), currency };
  await appendAudit(tx, deps.dialect, [{ actor, action: 'credit.applied', subjectType: 'document', subjectId: note.id, data }], now);
  if (applied === 0n) return;

  const status = settledStatus(total, settled + applied);
  if (status !== invoice.status) assertTransition(invoice.kind, invoice.status, status, invoice.number);
  await tx.insertInto('payments').values({ id: newId(), document_id: invoice.id, amount_minor: Number(applied), currency, paid_on: note.issueDate, method: creditNoteMethod, reference: note.number, created_at: now }).execute();
  await settle(tx, deps, invoice, settled + applied, status, { creditNote: note.number, amount: formatMinor(applied, currency) }, actor, now);
}

/** Takes a voided credit note's allocation off its invoice, which goes back to what its amounts and dates say. */
export async function removeCreditNote(tx: Queryable, deps: CreditDeps, note: DocumentView, actor: string, now: number): Promise<void> {
  const allocations = await tx.selectFrom('payments').select(['id', 'document_id', 'amount_minor']).where('method', '=', creditNoteMethod).where('reference', '=', note.number).orderBy('id').execute();
  // The business's time zone is not known here: "today" is the UTC date, at most a day off for overdue.
  const today = new Date(now).toISOString().slice(0, 10);
  for (const allocation of allocations) {
    await lockDocument(tx, deps.dialect, allocation.document_id);
    const invoice = await getDocument(tx, allocation.document_id);
    const amount = BigInt(allocation.amount_minor);
    const total = parseDecimalToMinor(invoice.total, invoice.currency);
    const settled = parseDecimalToMinor(invoice.paid, invoice.currency) - amount;
    const status = reopenedStatus({ totalMinor: total, settledMinor: settled, dueDate: invoice.dueDate, today });
    if (status !== invoice.status) assertReopen(invoice.kind, invoice.status, status, invoice.number);
    await tx.deleteFrom('payments').where('id', '=', allocation.id).execute();
    await settle(tx, deps, invoice, settled, status, { creditNote: note.number, removed: formatMinor(amount, invoice.currency) }, actor, now);
    if (invoice.status === 'paid') {
      // Its run ended when it was settled: nobody chases it now, so a person is told.
      const due = `${formatMinor(total - settled, invoice.currency)} ${invoice.currency}`;
      await raiseException(tx, deps.hooks, {
        runId: null,
        workflowId: null,
        stepId: null,
        kind: 'invoice_reopened',
        code: 'INVOICE_REOPENED',
        message: `${invoice.number} (${invoice.client.name}) is owed again: ${due}, since credit note ${note.number} was voided. It had been settled, so no reminders are running for it; send one from the document, or mark this handled.`,
        owner: 'role:admin',
        now,
      });
    }
  }
}

/** Refuses to void an invoice that has credit applied: the credit note would be left pointing at nothing. */
export async function assertNoCreditApplied(tx: Queryable, dialect: Dialect, invoice: DocumentView): Promise<void> {
  await lockDocument(tx, dialect, invoice.id);
  const notes = await tx.selectFrom('payments').select(['reference', 'amount_minor']).where('document_id', '=', invoice.id).where('method', '=', creditNoteMethod).orderBy('reference').execute();
  if (notes.length === 0) return;
  const named = notes.map((n) => `${n.reference ?? '?'} (${formatMinor(BigInt(n.amount_minor), invoice.currency)} ${invoice.currency})`).join(', ');
  throw new ConflictError('INVOICE_HAS_CREDIT', `${invoice.number} cannot be voided: credit note ${named} is applied to it; void the credit note first`, {
    details: { creditNotes: notes.map((n) => n.reference) },
  });
}

/** Writes the invoice's new settled amount and status, audited, announced when the status changed. */
async function settle(tx: Queryable, deps: CreditDeps, before: DocumentView, settledMinor: bigint, status: DocumentStatus, credit: Record<string, string>, actor: string, now: number): Promise<void> {
  const paid = formatMinor(settledMinor, before.currency);
  await tx.updateTable('documents').set({ paid_minor: Number(settledMinor), status, updated_at: now }).where('id', '=', before.id).execute();
  await appendAudit(tx, deps.dialect, [{ actor, action: 'record.changed', subjectType: 'document', subjectId: before.id, data: { before: { status: before.status, paid: before.paid }, after: { status, paid }, credit } }], now);
  if (status !== before.status) await announceStatus(tx, deps.dialect, before.status, await getDocument(tx, before.id), actor, now, deps.hooks);
}
