/**
 * Business documents as PDFs people can send: invoice, quote, estimate, purchase order, credit
 * note and receipt. A4, fonts embedded (DejaVu Sans: "€", "₹", "zł", "ż" print as written), money
 * and dates in the document's locale, the line table continued over as many pages as it needs.
 *
 * The renderer prints amounts; it does not compute them. Totals, tax and amounts due come in as
 * exact decimal strings computed by the finance domain (see `src/ai/draft/money`).
 */
import { assertPrintable } from './coverage.ts';
import { renderValidDocument } from './render.ts';
import { validateDocument } from './schema.ts';
import type { RenderableDocument } from './types.ts';

export type {
  BankDetails,
  DocumentBusiness,
  DocumentClient,
  DocumentKind,
  DocumentLine,
  RenderableDocument,
  TaxSummaryRow,
} from './types.ts';
export { DOCUMENT_KINDS } from './types.ts';
export { documentTitle } from './labels.ts';
export { PdfErrorCode, MAX_LINES, MAX_UNIT_PRICE_DECIMALS, DEFAULT_LOCALE } from './schema.ts';
export { MAX_LOGO_BYTES, MAX_LOGO_PIXELS_PER_SIDE } from './logo.ts';

/**
 * Renders a document to PDF bytes. The same document always gives the same bytes (the PDF's
 * creation date is the issue date).
 *
 * Throws a ValidationError `PDF_INPUT_INVALID` when a field is missing or malformed, or holds
 * text the embedded font cannot print (CJK, right-to-left scripts); `details.path` names it
 * ("client.name", "lines.2.amount").
 *
 * @example
 * const pdf = await renderDocumentPdf({
 *   kind: 'invoice', number: 'INV-1042', issueDate: '2026-03-01', dueDate: '2026-03-31',
 *   currency: 'EUR', locale: 'de-DE',
 *   business: { name: 'Acme GmbH', bank: { iban: 'DE89370400440532013000' } },
 *   client: { name: 'Corner Bakery' },
 *   lines: [{ description: 'Flour 25 kg', quantity: '10', unitPrice: '45.00', taxRate: '7', amount: '450.00' }],
 *   subtotal: '450.00', taxTotal: '31.50', total: '481.50',
 * });
 * await writeFile('INV-1042.pdf', pdf);
 */
export async function renderDocumentPdf(doc: RenderableDocument): Promise<Buffer> {
  const valid = validateDocument(doc);
  assertPrintable(valid);
  return renderValidDocument(valid);
}
