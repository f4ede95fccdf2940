/**
 * Documents and their counterparties in the database. Totals are computed from the lines
 * (integer minor units), never typed; every change goes through a function that also writes
 * the audit entry, in the same transaction.
 */
import { ValidationError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { Dialect } from '../../data/dialect.ts';
import { appendAudit } from '../../governance/index.ts';
import { computeTotals, parseDecimalToMinor } from '../../ai/draft/money/index.ts';
import type { DraftDocument } from '../../ai/draft/index.ts';
import { normalizeCounterpartyName } from '../../ai/flag/index.ts';
import type { Queryable } from '../../workflow/store/runs.ts';
import type { EngineHooks } from '../../workflow/hooks.ts';
import { takeNumber } from './numbering.ts';
import { assertTransition, DocumentStatus } from './status.ts';
import { announceStatus, getDocument, lockDocument, type DocumentView } from './document-records.ts';
import { applyCreditNote, assertNoCreditApplied, removeCreditNote } from './credit-allocations.ts';

export { announceStatus, getDocument, type DocumentView };

/** Finds a client by name (case, punctuation and legal suffixes ignored) or creates it. */
export async function findOrCreateClient(tx: Queryable, name: string, now: number): Promise<{ id: string; name: string; created: boolean }> {
  const normalized = normalizeCounterpartyName(name);
  if (normalized === '') throw new ValidationError('CLIENT_INVALID', 'A client needs a name', { details: { path: 'client.name' } });
  const existing = await tx.selectFrom('counterparties').select(['id', 'name']).where('role', '=', 'client').where('normalized_name', '=', normalized).executeTakeFirst();
  if (existing !== undefined) return { ...existing, created: false };
  const id = newId();
  await tx
    .insertInto('counterparties')
    .values({ id, role: 'client', name, normalized_name: normalized, contact: null, email: null, address: null, tax_id: null, currency: null, payment_terms_days: null, notes: null, reminder_cadence: null, created_at: now, updated_at: now })
    .execute();
  return { id, name, created: true };
}

export interface CreateOptions {
  dialect: Dialect;
  pattern: string;
  actor: string;
  source: string;
  now: number;
}

/** Stores a draft (e.g. from one sentence) as a numbered document in the draft status. */
export async function createDraftDocument(tx: Queryable, draft: DraftDocument, options: CreateOptions): Promise<DocumentView> {
  const client = await findOrCreateClient(tx, draft.client.name, options.now);
  const priced = draft.lines.map((l) => ({ quantity: l.quantity, unitPriceMinor: parseDecimalToMinor(l.unitPrice, draft.currency), taxRate: l.taxRate }));
  const totals = computeTotals(priced);
  const id = newId();
  const number = await takeNumber(tx, draft.kind, options.pattern, draft.issueDate);
  await tx
    .insertInto('documents')
    .values({
      id,
      kind: draft.kind,
      number,
      status: DocumentStatus.draft,
      counterparty_id: client.id,
      currency: draft.currency,
      issue_date: draft.issueDate,
      due_date: draft.dueDate,
      valid_until: draft.validUntil,
      reference: draft.reference,
      subtotal_minor: Number(totals.subtotalMinor),
      tax_minor: Number(totals.taxTotalMinor),
      total_minor: Number(totals.totalMinor),
      paid_minor: 0,
      terms: null,
      notes: null,
      source: options.source,
      public_token: null,
      converted_to: null,
      created_at: options.now,
      updated_at: options.now,
    })
    .execute();
  await tx
    .insertInto('document_lines')
    .values(
      draft.lines.map((l, idx) => ({
        document_id: id,
        idx,
        description: l.description,
        quantity: l.quantity,
        unit: null,
        unit_price_minor: Number(priced[idx]?.unitPriceMinor ?? 0n),
        discount: null,
        tax_rate: l.taxRate,
        amount_minor: Number(totals.lines[idx]?.netMinor ?? 0n),
        tax_minor: Number(totals.lines[idx]?.taxMinor ?? 0n),
      })),
    )
    .execute();
  const view = await getDocument(tx, id);
  const entries = [{ actor: options.actor, action: 'record.created', subjectType: 'document', subjectId: id, data: { after: view } }];
  if (client.created) entries.unshift({ actor: options.actor, action: 'record.created', subjectType: 'client', subjectId: client.id, data: { after: { name: client.name } } as never });
  await appendAudit(tx, options.dialect, entries, options.now);
  return view;
}

export async function listDocuments(db: Queryable, filter: { status?: string; kind?: string; limit?: number } = {}): Promise<DocumentView[]> {
  let query = db.selectFrom('documents').select('id').orderBy('created_at', 'desc').limit(Math.min(filter.limit ?? 100, 500));
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  const ids = await query.execute();
  return Promise.all(ids.map((r) => getDocument(db, r.id)));
}

/**
 * The one way a document's status changes: checked against the rules, audited, and announced as
 * `document.status_changed` (key: the number) in the same transaction, so a run waiting on the
 * document (the reminder loop) wakes the moment it is paid or voided. A credit note that is issued
 * settles the invoice it credits, and one that is voided takes that back (credit-allocations.ts);
 * an invoice with credit applied cannot be voided.
 */
export async function changeStatus(tx: Queryable, dialect: Dialect, idOrNumber: string, to: DocumentStatus, actor: string, now: number, hooks: EngineHooks): Promise<DocumentView> {
  await lockDocument(tx, dialect, idOrNumber);
  const before = await getDocument(tx, idOrNumber);
  assertTransition(before.kind, before.status, to, before.number);
  if (before.kind === 'invoice' && to === 'void') await assertNoCreditApplied(tx, dialect, before);
  await tx
    .updateTable('documents')
    .set({ status: to, updated_at: now, ...(to === 'sent' ? { sent_at: now } : {}) })
    .where('id', '=', before.id)
    .execute();
  await appendAudit(tx, dialect, [{ actor, action: 'record.changed', subjectType: 'document', subjectId: before.id, data: { before: { status: before.status }, after: { status: to } } }], now);
  let after = await getDocument(tx, before.id);
  await announceStatus(tx, dialect, before.status, after, actor, now, hooks);
  if (before.kind === 'credit_note') {
    const issued = to === 'sent' && (before.status === 'draft' || before.status === 'awaiting_approval');
    if (issued) await applyCreditNote(tx, { dialect, hooks }, after, actor, now);
    if (to === 'void') await removeCreditNote(tx, { dialect, hooks }, after, actor, now);
    if (issued || to === 'void') after = await getDocument(tx, before.id);
  }
  return after;
}
