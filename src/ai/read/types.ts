/** Public types of the READ skill's field extractor. */

/** An 8-point quadrilateral `[x1,y1,x2,y2,x3,y3,x4,y4]`, clockwise from top-left, in pixels. */
export type Quad = [number, number, number, number, number, number, number, number];

/** One OCR line (or one line of plain text when there is no box). */
export interface OcrLine {
  text: string;
  box?: Quad | null;
  page?: number;
}

/**
 * The part of an email a value was read from: its body, or an attachment by its position (from
 * 0; `[0, 2]` is the third attachment of an email attached first) and file name.
 */
export type EvidenceSource = { email: 'body' } | { email: 'attachment'; attachment: number[]; filename: string };

/** Where a value was read from. */
export interface Evidence {
  text: string;
  lineIndex: number;
  /** Page and box of that part when `source` names an attachment. */
  page?: number;
  box?: number[];
  /** Emails only. */
  source?: EvidenceSource;
}

/**
 * One extracted field. `value` is the text as printed on the document (what a person would
 * type when transcribing it); `normalized` is the typed form where there is one (ISO date,
 * decimal amount, ISO 4217 code). `confidence` is the model's probability that `value` is right.
 */
export interface FieldValue {
  value: string | null;
  normalized?: string | null;
  /** Amounts only: the value in integer minor units (cents, sen). */
  minor?: number | null;
  confidence: number;
  evidence: Evidence[];
}

export const FIELD_NAMES = [
  'vendor',
  'address',
  'documentNumber',
  'issueDate',
  'dueDate',
  'currency',
  'subtotal',
  'tax',
  'total',
] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

export interface LineItem {
  description: string;
  quantity: number | null;
  unitPrice: string | null;
  amount: string | null;
  confidence: number;
  lineIndex: number;
}

export interface ReadResult {
  fields: Record<FieldName, FieldValue>;
  lineItems: LineItem[];
}

/** Fields a person confirmed or corrected, by {@link FieldName}; missing keys were not reviewed. */
export type CorrectedFields = Partial<Record<FieldName, string>>;

/** A labelled document for training: fields by {@link FieldName} or alias (`company`, `date`, ...), as printed. */
export interface LabelledDocument {
  id?: string;
  lines: OcrLine[];
  fields: Readonly<Record<string, string | undefined>>;
}

/** Other names accepted for fields in corrections and training labels (SROIE's keys among them). */
export const FIELD_ALIASES: Readonly<Record<string, FieldName>> = {
  company: 'vendor',
  issuer: 'vendor',
  supplier: 'vendor',
  date: 'issueDate',
  invoice_number: 'documentNumber',
  invoiceNumber: 'documentNumber',
  amount: 'total',
  date_due: 'dueDate',
  amount_untaxed: 'subtotal',
  amount_tax: 'tax',
};

/** Maps label keys to {@link FieldName}s (aliases resolved, unknown keys and non-strings dropped). */
export function normaliseFieldKeys(fields: Readonly<Record<string, unknown>>): CorrectedFields {
  const out: CorrectedFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value !== 'string') continue;
    const name = (FIELD_NAMES as readonly string[]).includes(key) ? (key as FieldName) : FIELD_ALIASES[key];
    if (name !== undefined) out[name] = value;
  }
  return out;
}
