/**
 * What looks wrong with a stored document: the FLAG skill (src/ai/flag) run over the document and
 * a history built from the database — the same counterparty's documents recorded before it, plus
 * any earlier document read from the same file (content hash in `document_files`).
 *
 * - Outgoing documents: the same client, amount and a similar description within the window
 *   (default 30 days, same kind family) is a DUPLICATE naming the earlier document.
 * - Incoming bills — documents whose counterparty is a vendor (kind `bill`, or an invoice or
 *   receipt from a vendor): the same vendor, number and amount, or the same file. The vendor's
 *   own number is `reference` when set (our `number` is unique per kind; vendors' numbers are not).
 * - Voided documents are not history, and neither are the other periods of the same recurring
 *   invoice: billing a retainer every month is the point, not a duplicate.
 *
 * `finance.flag` is the workflow action: a playbook runs it right after drafting, and a policy
 * can look at its output, e.g. `when: "output.duplicateOf != null"` or
 * `when: 'contains(output.codes, "DUPLICATE")'`.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import { formatMinor } from '../../ai/draft/money/index.ts';
import { DocumentKind as FlagKind, flagDocument, type Anomaly, type AnomalyCode, type FlagDocument } from '../../ai/flag/index.ts';
import type { Registry } from '../../workflow/registry.ts';
import type { Queryable } from '../../workflow/store/runs.ts';

/** How many of the counterparty's earlier documents are compared (the most recent). */
const historyLimit = 500;

export interface FinanceFlags {
  /** Most severe first: { code, severity, message, evidence, score } as the FLAG skill reports them. */
  anomalies: Anomaly[];
  /** The number of the earlier document this one duplicates, or null. */
  duplicateOf: string | null;
  /** The anomaly codes, for policy rules: contains(output.codes, "DUPLICATE"). */
  codes: AnomalyCode[];
  /** 1 − the highest warning or critical score; 1 when nothing is wrong. */
  confidence: number;
  /** The checks that had enough data to run. */
  checked: AnomalyCode[];
}

export interface FlagFinanceOptions {
  /** YYYY-MM-DD, the business's today (for the future and too-old date checks). */
  today: string;
  /** Days either side within which a same-amount, similar document counts as a duplicate. Default 30. */
  duplicateWindowDays?: number;
}

interface Row {
  id: string;
  kind: string;
  number: string;
  status: string;
  counterparty_id: string;
  currency: string;
  issue_date: string;
  due_date: string | null;
  reference: string | null;
  subtotal_minor: number;
  tax_minor: number;
  total_minor: number;
  source: string | null;
  created_at: number;
  name: string;
  role: string;
  tax_id: string | null;
}

function selectDocuments(db: Queryable) {
  return db
    .selectFrom('documents')
    .innerJoin('counterparties', 'counterparties.id', 'documents.counterparty_id')
    .select([
      'documents.id',
      'documents.kind',
      'documents.number',
      'documents.status',
      'documents.counterparty_id',
      'documents.currency',
      'documents.issue_date',
      'documents.due_date',
      'documents.reference',
      'documents.subtotal_minor',
      'documents.tax_minor',
      'documents.total_minor',
      'documents.source',
      'documents.created_at',
      'counterparties.name',
      'counterparties.role',
      'counterparties.tax_id',
    ]);
}

const flagKinds = new Set<string>(Object.values(FlagKind));

/** A stored document as the FLAG skill reads it. */
function toFlagDocument(row: Row, fileHash: string | null, extra: Pick<FlagDocument, 'lines' | 'description'>): FlagDocument {
  const incoming = row.role === 'vendor' && row.kind !== 'purchase_order';
  const kind = incoming && row.kind === 'invoice' ? 'bill' : row.kind;
  if (!flagKinds.has(kind)) throw new ValidationError('FLAG_KIND_UNSUPPORTED', `${row.number} is a ${row.kind}; documents of that kind cannot be checked`);
  const money = (minor: number): string => formatMinor(minor, row.currency);
  return {
    id: row.id,
    kind: kind as FlagDocument['kind'],
    direction: incoming ? 'incoming' : 'outgoing',
    number: incoming ? (row.reference ?? row.number) : row.number,
    counterparty: { name: row.name, taxId: row.tax_id },
    currency: row.currency,
    issueDate: row.issue_date,
    dueDate: row.due_date,
    subtotal: money(row.subtotal_minor),
    taxTotal: money(row.tax_minor),
    total: money(row.total_minor),
    fileHash,
    ...extra,
  };
}

/** "recurring:<template>:" for a period of a recurring invoice, else null. */
function recurringSeries(source: string | null): string | null {
  const match = source === null ? null : /^recurring:([^:]+):/.exec(source);
  return match === null ? null : match[0];
}

/**
 * Runs the FLAG checks on a stored document against its history in the database.
 *
 * ### Examples
 * ```ts
 * const { duplicateOf, anomalies } = await flagFinanceDocument(db, 'INV-2026-0007', { today: '2026-03-02' });
 * if (duplicateOf !== null) console.log(`looks like ${duplicateOf}: ${anomalies[0]?.message}`);
 * ```
 */
export async function flagFinanceDocument(db: Queryable, idOrNumber: string, options: FlagFinanceOptions): Promise<FinanceFlags> {
  const row = await selectDocuments(db)
    .where((eb) => eb.or([eb('documents.id', '=', idOrNumber), eb('documents.number', '=', idOrNumber)]))
    .executeTakeFirst();
  if (row === undefined) throw new NotFoundError('DOCUMENT_NOT_FOUND', `There is no document ${idOrNumber}`);
  const fileHash = (await db.selectFrom('document_files').select('sha256').where('document_id', '=', row.id).executeTakeFirst())?.sha256 ?? null;

  // Recorded before this one: created earlier, or at the same instant with a smaller (time-ordered) id.
  const earlier = (query: ReturnType<typeof selectDocuments>) =>
    query
      .where('documents.id', '<>', row.id)
      .where('documents.status', '<>', 'void')
      .where((eb) => eb.or([eb('documents.created_at', '<', row.created_at), eb.and([eb('documents.created_at', '=', row.created_at), eb('documents.id', '<', row.id)])]))
      .orderBy('documents.created_at', 'desc')
      .orderBy('documents.id', 'desc')
      .limit(historyLimit);
  const sameParty = await earlier(selectDocuments(db).where('documents.counterparty_id', '=', row.counterparty_id)).execute();
  const sameFile = fileHash === null ? [] : await earlier(selectDocuments(db).innerJoin('document_files', 'document_files.document_id', 'documents.id').where('document_files.sha256', '=', fileHash)).execute();
  const series = recurringSeries(row.source);
  const byId = new Map<string, Row>();
  for (const entry of [...sameParty, ...sameFile]) {
    if (series !== null && entry.source?.startsWith(series) === true) continue;
    byId.set(entry.id, entry);
  }
  const history = [...byId.values()];

  const ids = [row.id, ...history.map((h) => h.id)];
  const lines = await db.selectFrom('document_lines').selectAll().where('document_id', 'in', ids).orderBy('document_id').orderBy('idx').execute();
  const hashes = history.length === 0 ? [] : await db.selectFrom('document_files').select(['document_id', 'sha256']).where('document_id', 'in', history.map((h) => h.id)).execute();
  const hashOf = new Map(hashes.map((h) => [h.document_id, h.sha256]));
  const descriptions = new Map<string, string[]>();
  for (const line of lines) descriptions.set(line.document_id, [...(descriptions.get(line.document_id) ?? []), line.description]);

  const money = (minor: number): string => formatMinor(minor, row.currency);
  const doc = toFlagDocument(row, fileHash, {
    lines: lines
      .filter((l) => l.document_id === row.id)
      .map((l) => ({ description: l.description, quantity: l.quantity, unitPrice: money(l.unit_price_minor), taxRate: l.tax_rate, amount: money(l.amount_minor) })),
  });
  const past = history.map((h) => toFlagDocument(h, hashOf.get(h.id) ?? null, { description: (descriptions.get(h.id) ?? []).join(' ') }));
  const result = flagDocument(doc, past, { today: options.today, ...(options.duplicateWindowDays === undefined ? {} : { duplicateWindowDays: options.duplicateWindowDays }) });

  const duplicate = result.anomalies.find((a) => a.code === 'DUPLICATE');
  const duplicateId = typeof duplicate?.evidence.duplicateId === 'string' ? duplicate.evidence.duplicateId : null;
  return {
    anomalies: result.anomalies,
    duplicateOf: duplicateId === null ? null : (byId.get(duplicateId)?.number ?? null),
    codes: result.anomalies.map((a) => a.code),
    confidence: result.confidence,
    checked: result.checked,
  };
}

/**
 * Records the file a document was read from (its SHA-256), so a second copy of the same file is
 * flagged as a duplicate whatever it says.
 */
export async function recordDocumentFile(tx: Queryable, documentId: string, file: { content: Uint8Array; filename?: string }, now: number): Promise<{ sha256: string }> {
  const sha256 = createHash('sha256').update(file.content).digest('hex');
  await tx
    .insertInto('document_files')
    .values({ document_id: documentId, sha256, filename: file.filename ?? null, created_at: now })
    .onConflict((oc) => oc.column('document_id').doUpdateSet({ sha256, filename: file.filename ?? null }))
    .execute();
  return { sha256 };
}

const flagInput = z
  .object({
    document: z.string().min(1, 'must be a document number or id'),
    today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD').nullish(),
    duplicateWindowDays: z.number().int().min(0).max(3650).nullish(),
  })
  .strict();

export function registerFlags(registry: Registry): void {
  registry.registerAction<z.infer<typeof flagInput>, FinanceFlags>({
    name: 'finance.flag',
    description: 'Checks a stored document for duplicates, totals, dates and unusual amounts against its history.',
    input: flagInput,
    run: (input, ctx) =>
      flagFinanceDocument(ctx.tx, input.document, {
        today: input.today ?? new Date(ctx.now()).toISOString().slice(0, 10),
        ...(input.duplicateWindowDays === undefined || input.duplicateWindowDays === null ? {} : { duplicateWindowDays: input.duplicateWindowDays }),
      }),
  });
}
