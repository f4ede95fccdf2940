/** The finance domain's operations, for the CLI, the API and workflow actions. */
import type { Dialect } from '../../data/dialect.ts';
import { parseDocumentSentence, type DraftDocument } from '../../ai/draft/index.ts';
import type { Committer } from '../../workflow/committer.ts';
import type { EngineHooks } from '../../workflow/hooks.ts';
import type { Queryable } from '../../workflow/store/runs.ts';
import { changeStatus as changeStatusIn, createDraftDocument, getDocument, listDocuments, type DocumentView } from './documents.ts';
import { defaultPatterns } from './numbering.ts';
import type { DocumentStatus } from './status.ts';
import { renderDocumentPdf, type BankDetails } from './pdf/index.ts';
import { pdfPaymentFields } from './paylinks/index.ts';
import { formatMinor } from '../../ai/draft/money/index.ts';

export { getDocument, listDocuments, type DocumentView };

export interface FinanceDeps {
  committer: Committer;
  dialect: Dialect;
  now: () => number;
}

/**
 * One sentence to a draft document. The parser (the DRAFT skill's built-in) reads it; with
 * `dryRun` nothing is stored. A sentence that cannot be read throws a ValidationError that says
 * what is missing, and nothing is created.
 */
export async function createDraftFromSentence(
  deps: FinanceDeps,
  sentence: string,
  options: { today?: string; dryRun?: boolean; actor?: string; defaultCurrency?: string } = {},
): Promise<{ draft: DraftDocument; document: DocumentView | null }> {
  const today = options.today ?? new Date(deps.now()).toISOString().slice(0, 10);
  const draft = parseDocumentSentence(sentence, { today, ...(options.defaultCurrency === undefined ? {} : { defaultCurrency: options.defaultCurrency }) });
  if (options.dryRun === true) return { draft, document: null };
  const document = await deps.committer.unit((tx) =>
    createDraftDocument(tx, draft, { dialect: deps.dialect, pattern: defaultPatterns[draft.kind], actor: options.actor ?? 'system', source: `sentence:${sentence}`, now: deps.now() }),
  );
  return { draft, document };
}

export interface BusinessProfile {
  name: string;
  address?: string | null;
  email?: string | null;
  phone?: string | null;
  taxId?: string | null;
  /** printed on invoices, quotes and estimates */
  bank?: BankDetails | null;
  /** the logo printed on documents (PNG) */
  logoPng?: Uint8Array | null;
  /** where clients reach OpsLoop: a payable invoice's PDF carries its pay link */
  publicUrl?: string | null;
}

/**
 * The document as a PDF people can send (embedded font, numbered lines, tax summary, totals, and
 * for an invoice how to pay it: bank details, the reference and its pay link, returned as `payUrl`).
 */
export async function renderPdf(db: Queryable, idOrNumber: string, business: BusinessProfile): Promise<{ document: DocumentView; pdf: Buffer; payUrl: string | null }> {
  const document = await getDocument(db, idOrNumber);
  const { bank, ...payment } = await pdfPaymentFields(db, document, business);
  const taxes = new Map<string, { base: bigint; tax: bigint }>();
  const lines = await db.selectFrom('document_lines').select(['tax_rate', 'amount_minor', 'tax_minor']).where('document_id', '=', document.id).execute();
  for (const line of lines) {
    if (line.tax_rate === null) continue;
    const entry = taxes.get(line.tax_rate) ?? { base: 0n, tax: 0n };
    entry.base += BigInt(line.amount_minor);
    entry.tax += BigInt(line.tax_minor);
    taxes.set(line.tax_rate, entry);
  }
  const client = await db.selectFrom('counterparties').select(['contact', 'address', 'email', 'tax_id']).where('id', '=', document.client.id).executeTakeFirst();
  const pdf = await renderDocumentPdf({
    kind: document.kind,
    number: document.number,
    issueDate: document.issueDate,
    dueDate: document.dueDate,
    validUntil: document.validUntil,
    reference: document.reference,
    currency: document.currency,
    business: { name: business.name, address: business.address ?? null, email: business.email ?? null, phone: business.phone ?? null, taxId: business.taxId ?? null, bank, logoPng: business.logoPng ?? null },
    client: { name: document.client.name, contact: client?.contact ?? null, address: client?.address ?? null, email: client?.email ?? null, taxId: client?.tax_id ?? null },
    lines: document.lines.map((l) => ({ description: l.description, quantity: l.quantity, unit: l.unit, unitPrice: l.unitPrice, taxRate: l.taxRate, amount: l.amount })),
    subtotal: document.subtotal,
    taxTotal: document.taxTotal,
    total: document.total,
    taxSummary: [...taxes.entries()].map(([rate, t]) => ({ rate, base: formatMinor(t.base, document.currency), tax: formatMinor(t.tax, document.currency) })),
    ...payment,
  });
  return { document, pdf, payUrl: payment.payUrl };
}

/** Changes a status in its own unit; `hooks` are the engine's, so runs the change starts are audited like any other. */
export function changeStatus(deps: FinanceDeps & { hooks: EngineHooks }, idOrNumber: string, to: DocumentStatus, actor: string): Promise<DocumentView> {
  return deps.committer.unit((tx) => changeStatusIn(tx, deps.dialect, idOrNumber, to, actor, deps.now(), deps.hooks));
}
