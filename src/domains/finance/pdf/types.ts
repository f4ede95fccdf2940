/** The document a PDF is rendered from. Every amount is computed elsewhere; the renderer only prints. */

/** Kinds of business document, spelled as the draft parser and the rest of finance spell them. */
export const DOCUMENT_KINDS = ['invoice', 'quote', 'estimate', 'purchase_order', 'credit_note', 'receipt'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** Bank details printed under "Payment" (invoices, quotes and estimates only). */
export interface BankDetails {
  accountName?: string;
  /** Printed in groups of four ("DE89 3704 0044 …"), whatever spacing it is given with. */
  iban?: string;
  bic?: string;
  accountNumber?: string;
  sortCode?: string;
}

export interface DocumentBusiness {
  name: string;
  /** Multi-line: "\n" separates lines. */
  address?: string | null;
  email?: string | null;
  phone?: string | null;
  taxId?: string | null;
  /** A PNG image, drawn top-left within 150 × 60 pt, aspect ratio kept. */
  logoPng?: Uint8Array | null;
  bank?: BankDetails | null;
}

export interface DocumentClient {
  name: string;
  /** The person to the attention of whom the document is sent. */
  contact?: string | null;
  address?: string | null;
  email?: string | null;
  taxId?: string | null;
}

export interface DocumentLine {
  description: string;
  /** Plain decimal: "1", "2.5". */
  quantity: string;
  /** "h", "kg", "pcs". */
  unit?: string | null;
  /**
   * Net unit price, plain decimal with at least as many decimals as the currency shows and at most
   * six ("85.00"; "0.125" for a fuel or per-unit price). Printed as written, never rounded.
   */
  unitPrice: string;
  /** Percent: "10" is 10 %. */
  discount?: string | null;
  /** Percent: "19" is 19 %. */
  taxRate?: string | null;
  /** Net line amount with at most the currency's minor-unit digits: "1200.50", JPY "1500". */
  amount: string;
}

export interface TaxSummaryRow {
  /** Percent. */
  rate: string;
  base: string;
  tax: string;
}

/**
 * A document ready to print. Amounts are plain decimal strings in major units with at most the
 * currency's minor-unit digits ("1200.50" EUR, "1500" JPY, "12.345" KWD); a minus sign is allowed
 * (credit notes). Dates are calendar dates, YYYY-MM-DD.
 */
export interface RenderableDocument {
  kind: DocumentKind;
  number: string;
  issueDate: string;
  dueDate?: string | null;
  validUntil?: string | null;
  /** For a credit note: the number of the invoice it credits. Otherwise the customer's reference. */
  reference?: string | null;
  /** ISO 4217 code in upper case. */
  currency: string;
  business: DocumentBusiness;
  client: DocumentClient;
  lines: DocumentLine[];
  subtotal: string;
  taxTotal: string;
  total: string;
  taxSummary?: TaxSummaryRow[];
  amountPaid?: string | null;
  /** An invoice: what credit notes settled of it, printed as "Credited". */
  amountCredited?: string | null;
  amountDue?: string | null;
  terms?: string | null;
  notes?: string | null;
  paymentInstructions?: string | null;
  /** An http(s) link printed under "Payment" and made clickable. */
  payUrl?: string | null;
  /** BCP 47 tag for number and date formatting; default "en-US". Labels are in English. */
  locale?: string;
}
