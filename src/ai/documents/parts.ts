/**
 * Which part of a loaded document READ should read. A PDF, image or text file is read whole. An
 * email is read from ONE part: the attachment that looks most like a bill, or the body when the
 * body holds the bill (mixing the two would let "Hello," compete with the vendor's name). The
 * part is named so the evidence can say where each value came from and the Inbox can draw that
 * attachment's page (see `emailAttachmentFile`).
 */
import { simpleParser } from 'mailparser';
import { NotFoundError } from '../../core/errors.ts';
import { detectDocumentType, type DeclaredType } from './detect.ts';
import { PARSER_OPTIONS } from './email.ts';
import { formatBytes, nameOf, tooLarge, unreadable } from './errors.ts';
import { resolveLimits, type DocumentLimits } from './options.ts';
import type { DocumentLine, LoadedDocument } from './types.ts';

/**
 * The part of an email a reading came from: its body, or an attachment, named by its position
 * among the email's attachments from 0 (`[1]` is the second; `[0, 2]` the third attachment of an
 * email attached first) and its file name as the email gave it.
 */
export type DocumentPart = { email: 'body' } | { email: 'attachment'; attachment: number[]; filename: string };

export interface ReadablePart {
  /** Emails only: the part the lines are from. */
  part?: DocumentPart;
  /** The document the lines are from: the attachment's own, or the one given. */
  document: LoadedDocument;
  lines: DocumentLine[];
}

const MONEY = /(?<![\d.,])(?:\d{1,3}(?:[,.' ]\d{3})+|\d+)[.,]\d{2}(?![.,]?\d)/;
const TOTAL = /\b(?:total|amount\s+(?:due|payable)|balance\s+(?:due|owing)|jumlah|summe|montant|totaal|totale|importe)\b/i;
const BILL = /\b(?:invoice|bill|receipt|statement|credit\s+note|facture|rechnung|factura|fattura|factuur|resit|quittung)/i;

/**
 * How much a part looks like a bill: money amounts and a total outweigh words; a part with a page
 * (PDF, image) wins a tie, because a person can then check the reading against the page.
 */
function billScore(text: string, filename: string, paged: boolean): number {
  return (MONEY.test(text) ? 2 : 0) + (TOTAL.test(text) ? 2 : 0) + (BILL.test(text) ? 1 : 0) + (BILL.test(filename) ? 1 : 0) + (paged ? 0.5 : 0);
}

/**
 * The part of `document` to read: the document itself, or for an email the part with the best
 * {@link billScore} among the body and every attachment that was loaded (attached emails
 * included, depth first); on a tie the earlier part. Parts without text are never chosen, so an
 * email whose only attachment could not be read is read from its body.
 *
 * @example
 * const { lines, part } = readablePart(await loader.load(eml));
 * // part: { email: 'attachment', attachment: [0], filename: 'invoice-1042.pdf' }
 */
export function readablePart(document: LoadedDocument): ReadablePart {
  const linesOf = (doc: LoadedDocument): DocumentLine[] => doc.pages.flatMap((page) => page.lines);
  if (document.kind !== 'email') return { document, lines: linesOf(document) };
  const body: ReadablePart = { part: { email: 'body' }, document, lines: linesOf(document) };
  let best = { candidate: body, score: scoreOf(body.lines, '', false) };
  const visit = (attachments: LoadedDocument['attachments'], at: number[]): void => {
    attachments.forEach((attachment, index) => {
      const loaded = attachment.document;
      if (loaded === null) return;
      const path = [...at, index];
      const lines = linesOf(loaded);
      const score = scoreOf(lines, attachment.filename, loaded.kind === 'pdf' || loaded.kind === 'image');
      if (score > best.score) best = { candidate: { part: { email: 'attachment', attachment: path, filename: attachment.filename }, document: loaded, lines }, score };
      if (loaded.kind === 'email') visit(loaded.attachments, path);
    });
  };
  visit(document.attachments, []);
  return best.candidate;
}

/** -1 for a part with no text, so even an empty body beats it. */
function scoreOf(lines: readonly DocumentLine[], filename: string, paged: boolean): number {
  const text = lines.map((line) => line.text).join('\n');
  return text.trim() === '' ? -1 : billScore(text, filename, paged);
}

export interface AttachmentFile {
  bytes: Uint8Array;
  /** As the email gave it; `undefined` when it gave none. */
  filename: string | undefined;
  contentType: string;
}

/**
 * The bytes of one attachment of an email (`path` as in {@link DocumentPart}), without loading
 * or reading it: to draw the page a reading came from. The loader's size and nesting limits apply.
 * Throws `DOCUMENT_ATTACHMENT_NOT_FOUND` when the email has no such attachment.
 */
export async function emailAttachmentFile(email: Uint8Array, declared: DeclaredType, path: readonly number[], options: Partial<DocumentLimits> = {}): Promise<AttachmentFile> {
  const limits = resolveLimits(options);
  let current: AttachmentFile = { bytes: email, filename: declared.filename, contentType: declared.contentType ?? 'message/rfc822' };
  for (const [depth, index] of path.entries()) {
    if (detectDocumentType(current.bytes, current).kind !== 'email') {
      throw new NotFoundError('DOCUMENT_ATTACHMENT_NOT_FOUND', `${nameOf(current.filename)} is not an email, so it has no attachment ${index + 1}.`, { details: { filename: current.filename ?? null, attachment: [...path] } });
    }
    let attachments;
    try {
      attachments = (await simpleParser(Buffer.from(current.bytes.buffer, current.bytes.byteOffset, current.bytes.byteLength), PARSER_OPTIONS)).attachments;
    } catch (cause) {
      throw unreadable(current.filename, 'it is not a valid email message', cause);
    }
    const attachment = attachments[index];
    if (attachment === undefined) {
      const count = attachments.length === 1 ? '1 attachment' : `${attachments.length} attachments`;
      throw new NotFoundError('DOCUMENT_ATTACHMENT_NOT_FOUND', `${nameOf(current.filename)} has ${count}; there is no attachment ${index + 1}.`, { details: { filename: current.filename ?? null, attachment: [...path] } });
    }
    const name = attachment.filename;
    if (depth + 1 > limits.maxEmailDepth) throw tooLarge(name, `is attached ${depth + 1} levels deep`, `maxEmailDepth = ${limits.maxEmailDepth}`);
    if (attachment.size > limits.maxAttachmentBytes) throw tooLarge(name, `is ${formatBytes(attachment.size)}`, `maxAttachmentBytes = ${formatBytes(limits.maxAttachmentBytes)}`);
    current = { bytes: attachment.content, filename: name, contentType: attachment.contentType };
  }
  return current;
}
