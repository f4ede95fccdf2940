/**
 * Limits and settings of the document loader, declared once with their defaults. Options are
 * validated at the edge and copied, never mutated.
 */
import { z } from 'zod';
import { ValidationError } from '../../core/errors.ts';
import type { OcrEngine } from './types.ts';

const MB = 1024 * 1024;
const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const documentLimitsSchema = z.object({
  /** Largest input accepted, in bytes (the whole file, an email with its attachments included). */
  maxBytes: int(1, 1024 * MB).default(25 * MB),
  /** Largest single email attachment that is loaded, in bytes; a larger one is reported, not loaded. */
  maxAttachmentBytes: int(1, 1024 * MB).default(20 * MB),
  /** Most pages a PDF may have. */
  maxPages: int(1, 10_000).default(50),
  /** Most pages of one PDF that may need OCR (each takes seconds of CPU). */
  maxOcrPages: int(0, 10_000).default(20),
  /** Largest image accepted for OCR, in pixels (width × height); also caps PDF page rendering. */
  maxImagePixels: int(1, 500_000_000).default(40_000_000),
  /** How deep attachments are followed: 1 = the email's own attachments, 3 = an email in an email in an email. */
  maxEmailDepth: int(0, 10).default(3),
  /** Resolution scanned PDF pages are rendered at for OCR, in dots per inch. */
  ocrDpi: int(72, 600).default(200),
  /**
   * A PDF page whose text layer has fewer usable (non-space, decodable) characters than this is
   * treated as scanned and OCR'd; so is a page where most characters are undecodable.
   */
  minTextChars: int(0, 10_000).default(10),
});

export type DocumentLimits = z.infer<typeof documentLimitsSchema>;

export interface LoadDocumentOptions extends Partial<DocumentLimits> {
  /** The file's name, used to detect its type when the content does not settle it, and in error messages. */
  filename?: string;
  /** The declared MIME type (e.g. from an upload or an email part); used like `filename`. */
  contentType?: string;
  /**
   * OCR engine to use, owned by the caller. Without one, `loadDocument` starts Tesseract when a
   * page needs OCR and terminates it before returning; use `createDocumentLoader` to keep one
   * engine across many documents.
   */
  ocr?: OcrEngine;
  /** Stops the work between pages and attachments. */
  signal?: AbortSignal;
}

/** Validates the limits in `options` and fills in defaults. */
export function resolveLimits(options: Partial<DocumentLimits>): DocumentLimits {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(documentLimitsSchema.shape)) {
    const value = (options as Record<string, unknown>)[key];
    if (value !== undefined) picked[key] = value;
  }
  const parsed = documentLimitsSchema.safeParse(picked);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  throw new ValidationError('DOCUMENT_OPTIONS_INVALID', `Document option ${path || '(unknown)'} is invalid: ${issue?.message ?? 'unexpected value'}.`, {
    details: { path },
  });
}
