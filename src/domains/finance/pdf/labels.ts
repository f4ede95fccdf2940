/** The words printed on each kind of document. English only for now; the locale formats numbers and dates. */
import type { DocumentFormat } from './format.ts';
import type { DocumentKind } from './types.ts';
import type { ValidDocument } from './schema.ts';

/**
 * The title printed on a document of this kind.
 *
 * @example documentTitle('purchase_order') // "Purchase order"
 */
export function documentTitle(kind: DocumentKind): string {
  switch (kind) {
    case 'invoice':
      return 'Invoice';
    case 'quote':
      return 'Quote';
    case 'estimate':
      return 'Estimate';
    case 'purchase_order':
      return 'Purchase order';
    case 'credit_note':
      return 'Credit note';
    case 'receipt':
      return 'Receipt';
    default: {
      const unknown: never = kind;
      throw new RangeError(`Unknown document kind ${String(unknown)}`);
    }
  }
}

/**
 * The heading over the other party. A purchase order goes to the supplier, who bills the
 * business, and a receipt acknowledges money received: "Bill to" would be wrong on both.
 */
export function partyLabel(kind: DocumentKind): string {
  switch (kind) {
    case 'purchase_order':
      return 'Supplier';
    case 'receipt':
      return 'Received from';
    case 'invoice':
    case 'quote':
    case 'estimate':
    case 'credit_note':
      return 'Bill to';
    default: {
      const unknown: never = kind;
      throw new RangeError(`Unknown document kind ${String(unknown)}`);
    }
  }
}

/** Whether the business's own bank details belong on the document: only where the client pays the business. */
export function showsBankDetails(kind: DocumentKind): boolean {
  return kind === 'invoice' || kind === 'quote' || kind === 'estimate';
}

export interface LabelledValue {
  label: string;
  value: string;
}

/** The rows under the title, top-right: number, dates and reference, each only when given. */
export function headerRows(doc: ValidDocument, format: DocumentFormat): LabelledValue[] {
  const rows: LabelledValue[] = [{ label: 'Number', value: doc.number }];
  rows.push({ label: doc.kind === 'receipt' ? 'Date paid' : 'Issue date', value: format.date(doc.issueDate) });
  if (doc.dueDate !== null) {
    rows.push({ label: doc.kind === 'purchase_order' ? 'Delivery date' : 'Due date', value: format.date(doc.dueDate) });
  }
  if (doc.validUntil !== null) rows.push({ label: 'Valid until', value: format.date(doc.validUntil) });
  if (doc.reference !== null) {
    rows.push({ label: doc.kind === 'credit_note' ? 'Credits invoice' : 'Reference', value: doc.reference });
  }
  return rows;
}
