/** Public types of the document input pipeline (file → positioned text lines). */

/**
 * An 8-point quadrilateral `[x1,y1,x2,y2,x3,y3,x4,y4]`, clockwise from the top-left corner of the
 * text, with the origin at the top-left of the page and y growing downward. Same shape as the READ
 * extractor's `Quad`.
 */
export type Quad = [number, number, number, number, number, number, number, number];

/**
 * One line of text. Assignable to the READ extractor's `OcrLine`, so `documentLines(doc)` can be
 * passed to it as is.
 *
 * A "line" is a run of text on one baseline with no wide gap in it: a table row such as
 * `Widget    2    100.00` comes back as three lines on the same row, like OCR line segments.
 */
export interface DocumentLine {
  text: string;
  /** Position on the page (see {@link DocumentPage} for the units); `null` for plain text and email bodies. */
  box: Quad | null;
  /** Page number, from 1. */
  page: number;
  /** OCR only: the engine's confidence that the text is right, 0..1. */
  confidence?: number;
}

/** Where the lines of a page came from. */
export type DocumentSource = 'text-layer' | 'ocr' | 'plain';

/**
 * One page. Units of `width`, `height` and line boxes:
 * - PDF pages (text layer or OCR): PDF points × {@link PDF_UNITS_PER_POINT} (2), i.e. 144 per inch,
 *   so an A4 page is 1190.6 × 1683.8; OCR boxes of scanned pages are scaled back to these units.
 * - Images: pixels of the image as displayed (JPEG EXIF orientation applied).
 * - Plain text and email bodies: 0 × 0, lines have no box.
 */
export interface DocumentPage {
  page: number;
  width: number;
  height: number;
  source: DocumentSource;
  /** Lines in reading order: rows top to bottom, left to right within a row. */
  lines: DocumentLine[];
}

export type DocumentKind = 'pdf' | 'image' | 'email' | 'text';

export interface EmailAddress {
  /** Display name; empty string when there is none. */
  name: string;
  /** The address; empty string when the header gave only a name. */
  address: string;
}

export interface EmailInfo {
  from: EmailAddress | null;
  to: EmailAddress[];
  cc: EmailAddress[];
  replyTo: EmailAddress[];
  subject: string | null;
  /** ISO 8601, or `null` when the message has no readable Date header. */
  date: string | null;
  /** Angle brackets included, as in the header. */
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  /** The body as plain text (HTML converted when there is no text part). */
  text: string;
  /** The HTML body, when there is one. */
  html?: string;
}

export interface DocumentAttachment {
  filename: string;
  contentType: string;
  size: number;
  /** The loaded attachment, or `null` when it failed or was skipped. */
  document: LoadedDocument | null;
  /** Why the attachment could not be loaded (a person can act on it). */
  error?: string;
  /** Stable code of that error, e.g. `DOCUMENT_UNSUPPORTED`; match on this, not on `error`. */
  errorCode?: string;
  /** Why the attachment was deliberately not loaded (e.g. an image embedded in the HTML body). */
  skipped?: string;
}

export interface LoadedDocument {
  filename: string | null;
  kind: DocumentKind;
  /**
   * `ocr` when any page was read by OCR (so `confidence` is worth looking at), `text-layer` for a
   * PDF read entirely from its text, `plain` for text and email bodies. Each page has its own too.
   */
  source: DocumentSource;
  pages: DocumentPage[];
  /**
   * All text in reading order: lines on one row joined by three spaces (so a box-less reader still
   * sees the columns), rows by `\n`, pages by `\n\f` (as `pdftotext` does).
   */
  text: string;
  /** Email only. */
  email?: EmailInfo;
  /** Email only: every attachment, loaded recursively; empty for other kinds. */
  attachments: DocumentAttachment[];
}

/** One line found by an OCR engine, in pixels of the image it was given. */
export interface OcrResultLine {
  text: string;
  box: Quad;
  /** 0..1 */
  confidence: number;
}

export interface OcrResult {
  lines: OcrResultLine[];
  /** Size of the image, in pixels. */
  width: number;
  height: number;
}

/**
 * An OCR engine. The loader calls `recognize` one image at a time; the owner calls `close()`
 * once. {@link createTesseractOcr} is the built-in one.
 */
export interface OcrEngine {
  /** Reads a PNG or JPEG image. */
  recognize(image: Uint8Array): Promise<OcrResult>;
  close(): Promise<void>;
}
