/**
 * A document as the API shows it, read from its rows, and the event that announces a status
 * change. Shared by documents.ts (status rules) and credit-allocations.ts (credit notes settling
 * invoices), which documents.ts calls: keeping them here keeps the two free of an import cycle.
 */
import { NotFoundError } from '../../core/errors.ts';
import { Dialect } from '../../data/dialect.ts';
import { formatMinor } from '../../ai/draft/money/index.ts';
import type { Queryable } from '../../workflow/store/runs.ts';
import { emitEvent } from '../../workflow/events.ts';
import type { EngineHooks } from '../../workflow/hooks.ts';
import type { DocumentKind, DocumentStatus } from './status.ts';

/** The `payments.method` of a credit note's allocation to an invoice (its reference: the credit note's number). */
export const creditNoteMethod = 'credit_note';

/** Credit notes whose credit counts: issued and not void. */
const unissued = new Set<string>(['draft', 'awaiting_approval', 'void']);

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
  /** settled so far: money received plus credit notes applied (`total − paid` is what is still due) */
  paid: string;
  /** an invoice: the part of `paid` settled by credit notes; a credit note: how much of it settled its invoice */
  credited: string;
  /** an issued credit note: what is left of it once its invoice is settled — the client's credit (refund due); otherwise null */
  unapplied: string | null;
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
  const credited = await creditedMinor(db, row);
  const money = (minor: number | bigint): string => formatMinor(BigInt(minor), row.currency);
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
    credited: money(credited),
    unapplied: row.kind === 'credit_note' && !unissued.has(row.status) ? money(BigInt(row.total_minor) - credited) : null,
  };
}

/** An invoice: credit applied to it; a credit note: how much of it was applied. */
async function creditedMinor(db: Queryable, row: { id: string; kind: string; number: string }): Promise<bigint> {
  if (row.kind !== 'invoice' && row.kind !== 'credit_note') return 0n;
  let query = db
    .selectFrom('payments')
    .select(({ fn }) => fn.sum<number>('amount_minor').as('credited'))
    .where('method', '=', creditNoteMethod);
  query = row.kind === 'invoice' ? query.where('document_id', '=', row.id) : query.where('reference', '=', row.number);
  const sum = await query.executeTakeFirst();
  return BigInt(sum?.credited ?? 0);
}

/**
 * Locks a document's row until the transaction ends (PostgreSQL; SQLite has one writer), so two
 * transactions settling the same invoice take turns. Unknown documents are left to getDocument.
 */
export async function lockDocument(tx: Queryable, dialect: Dialect, idOrNumber: string): Promise<void> {
  if (dialect !== Dialect.postgres) return;
  await tx
    .selectFrom('documents')
    .select('id')
    .where((eb) => eb.or([eb('id', '=', idOrNumber), eb('number', '=', idOrNumber)]))
    .forUpdate()
    .execute();
}

/** Emits `document.status_changed` for a document that moved from `from` to its current status. */
export async function announceStatus(tx: Queryable, dialect: Dialect, from: DocumentStatus, document: DocumentView, actor: string, now: number, hooks: EngineHooks): Promise<void> {
  const payload = { number: document.number, kind: document.kind, from, to: document.status, total: document.total, paid: document.paid, credited: document.credited, currency: document.currency };
  await emitEvent(tx, dialect, { name: 'document.status_changed', key: document.number, payload, source: actor }, now, hooks);
}
