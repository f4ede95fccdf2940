/** The draft document the DRAFT skill produces from one sentence, and its options. */

/** Kinds of business document a sentence can ask for. */
export const DocumentKind = {
  invoice: 'invoice',
  quote: 'quote',
  estimate: 'estimate',
  purchaseOrder: 'purchase_order',
  creditNote: 'credit_note',
  receipt: 'receipt',
} as const;
export type DocumentKind = (typeof DocumentKind)[keyof typeof DocumentKind];

export interface DraftLine {
  description: string;
  /** Plain decimal, trailing zeros dropped: "1", "3", "1.5". */
  quantity: string;
  /** Net unit price with exactly the currency's minor-unit digits: "85.00", JPY "250000". */
  unitPrice: string;
  /** Percentage as a plain decimal ("19", "7.7", "0"), or null when not stated and no default. */
  taxRate: string | null;
}

/**
 * How sure the parser is of each field, 0..1: 1 when the sentence states it plainly, lower when
 * the value was defaulted, guessed or read from an ambiguous notation. A reviewer should look at
 * anything below 0.7.
 */
export interface DraftConfidence {
  kind: number;
  client: number;
  currency: number;
  /** Amounts and quantities of the lines (the lowest line). */
  lines: number;
  /** Line descriptions (the lowest line). */
  description: number;
  /** Line tax rates (the lowest line). */
  taxRate: number;
  issueDate: number;
  dueDate: number;
  validUntil: number;
  reference: number;
}

export interface DraftDocument {
  kind: DocumentKind;
  client: { name: string };
  currency: string;
  lines: DraftLine[];
  subtotal: string;
  taxTotal: string;
  total: string;
  /** YYYY-MM-DD. */
  issueDate: string;
  dueDate: string | null;
  validUntil: string | null;
  reference: string | null;
  /** Always "draft": nothing in a sentence can issue, send or settle a document. */
  status: 'draft';
  confidence: DraftConfidence;
}

export interface ParseDocumentOptions {
  /** The day the sentence is read, YYYY-MM-DD; relative dates count from it. Required: no hidden clock. */
  today: string;
  /** ISO 4217 code used when the sentence names no currency. Default "USD". */
  defaultCurrency?: string;
  /** Tax rate percentage ("19") applied to lines whose sentence states none. Default: none (null). */
  defaultTaxRate?: string;
}
