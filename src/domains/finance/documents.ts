/**
 * Documents and their counterparties in the database. Totals are computed from the lines
 * (integer minor units), never typed; every change goes through a function that also writes
 * the audit entry, in the same transaction.
 */
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { Dialect } from '../../data/dialect.ts';
import { appendAudit } from '../../governance/index.ts';
import { computeTotals, formatMinor, parseDecimalToMinor } from '../../ai/draft/money/index.ts';
import type { DraftDocument } from '../../ai/draft/index.ts';
import { normalizeCounterpartyName } from '../../ai/flag/index.ts';
import type { Queryable } from '../../workflow/store/runs.ts';
import { emitEvent } from '../../workflow/events.ts';
import type { EngineHooks } from '../../workflow/hooks.ts';
import { takeNumber } from './numbering.ts';
import { assertTransition, DocumentStatus, type DocumentKind } from './status.ts';

export interface DocumentView {
  id: string;
  kind: DocumentKind;
  number: string;
  status: DocumentStatus;
  client: { id: string; name: string };
  currency: string;
  issueDate: string;
  dueDate: string | null;
  validUntil: string | null;
  reference: string | null;
  lines: { description: string; quantity: string; unit: string | null; unitPrice: string; taxRate: string | null; amount: string }[];
  subtotal: string;
  taxTotal: string;
  total: string;
  paid: string;
}

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

export async function getDocument(db: Queryable, idOrNumber: string): Promise<DocumentView> {
  const row = await db
    .selectFrom('documents')
    .innerJoin('counterparties', 'counterparties.id', 'documents.counterparty_id')
    .selectAll('documents')
    .select(['counterparties.name as client_name'])
    .where((eb) => eb.or([eb('documents.id', '=', idOrNumber), eb('documents.number', '=', idOrNumber)]))
    .executeTakeFirst();
  if (row === undefined) throw new NotFoundError('DOCUMENT_NOT_FOUND', `There is no document ${idOrNumber}`);
  const lines = await db.selectFrom('document_lines').selectAll().where('document_id', '=', row.id).orderBy('idx').execute();
  const money = (minor: number): string => formatMinor(BigInt(minor), row.currency);
  return {
    id: row.id,
    kind: row.kind as DocumentKind,
    number: row.number,
    status: row.status as DocumentStatus,
    client: { id: row.counterparty_id, name: row.client_name },
    currency: row.currency,
    issueDate: row.issue_date,
    dueDate: row.due_date,
    validUntil: row.valid_until,
    reference: row.reference,
    lines: lines.map((l) => ({ description: l.description, quantity: l.quantity, unit: l.unit, unitPrice: money(l.unit_price_minor), taxRate: l.tax_rate, amount: money(l.amount_minor) })),
    subtotal: money(row.subtotal_minor),
    taxTotal: money(row.tax_minor),
    total: money(row.total_minor),
    paid: money(row.paid_minor),
  };
}

export async function listDocuments(db: Queryable, filter: { status?: string; kind?: string; limit?: number } = {}): Promise<DocumentView[]> {
  let query = db.selectFrom('documents').select('id').orderBy('created_at', 'desc').limit(Math.min(filter.limit ?? 100, 500));
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  const ids = await query.execute();
  return Promise.all(ids.map((r) => getDocument(db, r.id)));
}

/** Moves a document to another status, checked against the status rules, audited with before/after. */
/**
 * The one way a document's status changes: checked against the rules, audited, and announced as
 * `document.status_changed` (key: the number) in the same transaction, so a run waiting on the
 * document (the reminder loop) wakes the moment it is paid or voided.
 */
export async function changeStatus(tx: Queryable, dialect: Dialect, idOrNumber: string, to: DocumentStatus, actor: string, now: number, hooks: EngineHooks): Promise<DocumentView> {
  const before = await getDocument(tx, idOrNumber);
  assertTransition(before.kind, before.status, to, before.number);
  await tx
    .updateTable('documents')
    .set({ status: to, updated_at: now, ...(to === 'sent' ? { sent_at: now } : {}) })
    .where('id', '=', before.id)
    .execute();
  await appendAudit(tx, dialect, [{ actor, action: 'record.changed', subjectType: 'document', subjectId: before.id, data: { before: { status: before.status }, after: { status: to } } }], now);
  const after = { ...before, status: to };
  await announceStatus(tx, dialect, before.status, after, actor, now, hooks);
  return after;
}

/** Emits `document.status_changed` for a document that moved from `from` to its current status. */
export async function announceStatus(tx: Queryable, dialect: Dialect, from: DocumentStatus, document: DocumentView, actor: string, now: number, hooks: EngineHooks): Promise<void> {
  const payload = { number: document.number, kind: document.kind, from, to: document.status, total: document.total, paid: document.paid, currency: document.currency };
  await emitEvent(tx, dialect, { name: 'document.status_changed', key: document.number, payload, source: actor }, now, hooks);
}
