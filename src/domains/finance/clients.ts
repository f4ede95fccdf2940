/**
 * Clients as the owner manages them: who they are, how they are billed (currency, payment terms,
 * their own reminder cadence) and what they owe. The list is computed from the documents in one
 * grouped query, not from each client's documents one by one. Every change is audited with the
 * fields before and after, in the transaction of the change.
 */
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import type { Dialect } from '../../data/dialect.ts';
import type { Updateable } from 'kysely';
import type { CounterpartiesTable } from '../../data/schema.ts';
import { appendAudit } from '../../governance/index.ts';
import { formatMinor, isCurrency } from '../../ai/draft/money/index.ts';
import type { Queryable } from '../../workflow/store/runs.ts';
import { creditNoteMethod, getDocument, type DocumentView } from './document-records.ts';
import { parseCadence } from './reminders.ts';

/** Invoices that still wait for money. */
const openStatuses = ['sent', 'partially_paid', 'overdue'];
/** Credit notes that are not issued (or no longer count). */
const issuedNot = ['draft', 'awaiting_approval', 'void'];

export interface ClientView {
  id: string;
  name: string;
  email: string | null;
  contact: string | null;
  address: string | null;
  taxId: string | null;
  /** ISO 4217; null: whatever a document says */
  currency: string | null;
  /** null: the due date the document was given */
  paymentTermsDays: number | null;
  /** days relative to the due date, e.g. "-3,0,7,14,30"; null: the business's cadence */
  reminderCadence: string | null;
  notes: string | null;
  /** what open invoices (sent, partially paid, overdue) still owe, per currency, after payments and credit notes applied */
  openBalance: { currency: string; amount: string }[];
  /** the client's credit, per currency: what issued credit notes left over after settling their invoices (refund due) */
  credit: { currency: string; amount: string }[];
  /** invoices that are not void */
  invoiceCount: number;
  lastInvoiceDate: string | null;
  createdAt: number;
  updatedAt: number;
}

type ClientRow = Pick<CounterpartiesTable, 'id' | 'name' | 'email' | 'contact' | 'address' | 'tax_id' | 'currency' | 'payment_terms_days' | 'reminder_cadence' | 'notes' | 'created_at' | 'updated_at'>;
const clientColumns = ['id', 'name', 'email', 'contact', 'address', 'tax_id', 'currency', 'payment_terms_days', 'reminder_cadence', 'notes', 'created_at', 'updated_at'] as const;

interface Activity {
  invoiceCount: number;
  lastInvoiceDate: string | null;
  open: Map<string, bigint>;
  credit: Map<string, bigint>;
}

/** Per currency, the non-zero amounts, sorted by currency. */
function amounts(byCurrency: Map<string, bigint> | undefined): { currency: string; amount: string }[] {
  return [...(byCurrency ?? new Map<string, bigint>()).entries()]
    .filter(([, minor]) => minor !== 0n)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, minor]) => ({ currency, amount: formatMinor(minor, currency) }));
}

function toView(row: ClientRow, activity: Activity | undefined): ClientView {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    contact: row.contact,
    address: row.address,
    taxId: row.tax_id,
    currency: row.currency,
    paymentTermsDays: row.payment_terms_days === null ? null : Number(row.payment_terms_days),
    reminderCadence: row.reminder_cadence,
    notes: row.notes,
    openBalance: amounts(activity?.open),
    credit: amounts(activity?.credit),
    invoiceCount: activity?.invoiceCount ?? 0,
    lastInvoiceDate: activity?.lastInvoiceDate ?? null,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** Invoice counts, last dates and open balances per client (optionally one client). */
async function activityOf(db: Queryable, clientId?: string): Promise<Map<string, Activity>> {
  let invoices = db
    .selectFrom('documents')
    .select(({ fn }) => ['counterparty_id', fn.countAll<number>().as('n'), fn.max('issue_date').as('last')])
    .where('kind', '=', 'invoice')
    .where('status', '!=', 'void')
    .groupBy('counterparty_id');
  let open = db
    .selectFrom('documents')
    .select(({ fn, eb }) => ['counterparty_id', 'currency', fn.sum<number>(eb('total_minor', '-', eb.ref('paid_minor'))).as('owed')])
    .where('kind', '=', 'invoice')
    .where('status', 'in', openStatuses)
    .groupBy(['counterparty_id', 'currency']);
  // Issued credit notes, and what of each was applied to an invoice (payments of method credit_note).
  let credits = db
    .selectFrom('documents')
    .select(({ fn }) => ['counterparty_id', 'currency', fn.sum<number>('total_minor').as('total')])
    .where('kind', '=', 'credit_note')
    .where('status', 'not in', issuedNot)
    .groupBy(['counterparty_id', 'currency']);
  let applied = db
    .selectFrom('payments')
    .innerJoin('documents', (join) => join.onRef('documents.number', '=', 'payments.reference').on('documents.kind', '=', 'credit_note'))
    .select(({ fn }) => ['documents.counterparty_id', 'documents.currency', fn.sum<number>('payments.amount_minor').as('applied')])
    .where('payments.method', '=', creditNoteMethod)
    .where('documents.status', 'not in', issuedNot)
    .groupBy(['documents.counterparty_id', 'documents.currency']);
  if (clientId !== undefined) {
    invoices = invoices.where('counterparty_id', '=', clientId);
    open = open.where('counterparty_id', '=', clientId);
    credits = credits.where('counterparty_id', '=', clientId);
    applied = applied.where('documents.counterparty_id', '=', clientId);
  }
  const [counted, owed, credited, used] = await Promise.all([invoices.execute(), open.execute(), credits.execute(), applied.execute()]);
  const byClient = new Map<string, Activity>();
  const entry = (id: string): Activity => {
    let activity = byClient.get(id);
    if (activity === undefined) {
      activity = { invoiceCount: 0, lastInvoiceDate: null, open: new Map(), credit: new Map() };
      byClient.set(id, activity);
    }
    return activity;
  };
  for (const row of counted) {
    const activity = entry(row.counterparty_id);
    activity.invoiceCount = Number(row.n);
    activity.lastInvoiceDate = row.last;
  }
  for (const row of owed) entry(row.counterparty_id).open.set(row.currency, BigInt(row.owed ?? 0));
  for (const row of credited) entry(row.counterparty_id).credit.set(row.currency, BigInt(row.total ?? 0));
  for (const row of used) {
    const credit = entry(row.counterparty_id).credit;
    credit.set(row.currency, (credit.get(row.currency) ?? 0n) - BigInt(row.applied ?? 0));
  }
  return byClient;
}

/** Every client, by name, with what they owe. */
export async function listClients(db: Queryable): Promise<ClientView[]> {
  const [rows, activity] = await Promise.all([db.selectFrom('counterparties').select(clientColumns).where('role', '=', 'client').orderBy('normalized_name').execute(), activityOf(db)]);
  return rows.map((row) => toView(row, activity.get(row.id)));
}

async function clientRow(db: Queryable, id: string): Promise<ClientRow> {
  const row = await db.selectFrom('counterparties').select(clientColumns).where('id', '=', id).where('role', '=', 'client').executeTakeFirst();
  if (row === undefined) throw new NotFoundError('CLIENT_NOT_FOUND', `There is no client ${id}`);
  return row;
}

export async function getClient(db: Queryable, id: string): Promise<ClientView> {
  const [row, activity] = await Promise.all([clientRow(db, id), activityOf(db, id)]);
  return toView(row, activity.get(id));
}

/** A client and its documents, newest first (at most `limit`). */
export async function getClientWithDocuments(db: Queryable, id: string, limit = 200): Promise<{ client: ClientView; documents: DocumentView[] }> {
  const client = await getClient(db, id);
  const ids = await db.selectFrom('documents').select('id').where('counterparty_id', '=', id).orderBy('created_at', 'desc').orderBy('number', 'desc').limit(limit).execute();
  return { client, documents: await Promise.all(ids.map((r) => getDocument(db, r.id))) };
}

/** Absent: unchanged; null or blank: cleared. */
const optionalText = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .nullable()
    .optional()
    .transform((value) => (value === undefined ? undefined : value === null || value.trim() === '' ? null : value.trim()));

/** PATCH /api/clients/:id: only the fields sent change; null clears a field (the cadence: back to the business's). */
export const clientPatch = z
  .object({
    email: optionalText(254).refine((value) => value === undefined || value === null || z.email().safeParse(value).success, 'is not an email address'),
    contact: optionalText(200),
    address: optionalText(500),
    taxId: optionalText(50),
    currency: optionalText(3)
      .transform((value) => (typeof value === 'string' ? value.toUpperCase() : value))
      .refine((value) => value === undefined || value === null || isCurrency(value), 'must be an ISO 4217 currency code such as EUR'),
    paymentTermsDays: z.number().int('must be a whole number of days').min(0, 'must be 0 or more').max(365, 'must be at most 365 days').nullable().optional(),
    reminderCadence: optionalText(200).superRefine((value, ctx) => {
      if (value === undefined || value === null) return;
      try {
        parseCadence(value);
      } catch (error) {
        // parseCadence says 'Reminder cadence "…" must be …': the field's path names it already.
        ctx.addIssue({ code: 'custom', message: (error as Error).message.replace(/^Reminder cadence "[^"]*"(: )?\s*/, '') });
      }
    }),
    notes: optionalText(2000),
  })
  .strict();
export type ClientPatch = z.input<typeof clientPatch>;

const columnOf = {
  email: 'email',
  contact: 'contact',
  address: 'address',
  taxId: 'tax_id',
  currency: 'currency',
  paymentTermsDays: 'payment_terms_days',
  reminderCadence: 'reminder_cadence',
  notes: 'notes',
} as const;

/**
 * Changes a client's details; audited with the changed fields before and after. A bad field is a
 * ValidationError `CLIENT_INVALID` whose `details.path` names it; nothing is written then.
 */
export async function updateClient(tx: Queryable, dialect: Dialect, id: string, raw: unknown, actor: string, now: number): Promise<ClientView> {
  const parsed = clientPatch.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    throw new ValidationError('CLIENT_INVALID', `Client ${path}: ${issue?.message ?? 'invalid'}`, { details: { path } });
  }
  const current = await getClient(tx, id);
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const set: Updateable<CounterpartiesTable> = {};
  for (const [field, column] of Object.entries(columnOf) as [keyof typeof columnOf, (typeof columnOf)[keyof typeof columnOf]][]) {
    const value = parsed.data[field];
    if (value === undefined || value === current[field]) continue;
    before[field] = current[field];
    after[field] = value;
    (set as Record<string, unknown>)[column] = value;
  }
  if (Object.keys(set).length === 0) return current;
  await tx
    .updateTable('counterparties')
    .set({ ...set, updated_at: now })
    .where('id', '=', id)
    .execute();
  await appendAudit(tx, dialect, [{ actor, action: 'record.changed', subjectType: 'client', subjectId: id, data: { name: current.name, before, after } }], now);
  return getClient(tx, id);
}
