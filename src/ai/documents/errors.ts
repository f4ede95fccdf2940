/**
 * The errors the document pipeline throws, each with a stable code:
 * - `DOCUMENT_UNSUPPORTED` (400): a file type we do not read (Word, GIF, HTML…).
 * - `DOCUMENT_UNREADABLE` (400): the file claims a type but is damaged, empty or truncated.
 * - `DOCUMENT_ENCRYPTED` (400): a password-protected PDF.
 * - `DOCUMENT_TOO_LARGE` (413): over a byte, pixel, page, OCR-page or nesting limit.
 * - `DOCUMENT_OPTIONS_INVALID` (400): a bad option passed by the caller.
 * - `DOCUMENT_NOT_FOUND` (404): `loadDocumentFile` on a missing path.
 * - `OCR_LANGUAGE_DATA_MISSING` (500): the installed Tesseract language data is not where expected.
 * - `OCR_FAILED` (500): the OCR engine crashed or rejected an image.
 */
import { ErrorCategory, NotFoundError, OpsLoopError, ValidationError } from '../../core/errors.ts';

export const SUPPORTED_TYPES = 'send a PDF, a PNG or JPEG image, an .eml email or plain text';

/** How a file is named in messages: its name in quotes, or "The document". */
export function nameOf(filename: string | undefined | null): string {
  return filename ? `"${filename}"` : 'The document';
}

export function unsupported(filename: string | undefined, what: string, cause?: unknown): ValidationError {
  return new ValidationError('DOCUMENT_UNSUPPORTED', `${nameOf(filename)} is ${what}, which is not supported: ${SUPPORTED_TYPES}.`, {
    cause,
    details: { filename: filename ?? null },
  });
}

export function unreadable(filename: string | undefined, why: string, cause?: unknown): ValidationError {
  return new ValidationError('DOCUMENT_UNREADABLE', `${nameOf(filename)} could not be read: ${why}. Check that the file is complete and not damaged, then send it again.`, {
    cause,
    details: { filename: filename ?? null },
  });
}

export function encrypted(filename: string | undefined, cause?: unknown): ValidationError {
  return new ValidationError('DOCUMENT_ENCRYPTED', `${nameOf(filename)} is password-protected: send a copy without a password.`, {
    cause,
    details: { filename: filename ?? null },
  });
}

/** Over a limit. `limit` names the option that raises it. */
export function tooLarge(filename: string | undefined, what: string, limit: string): OpsLoopError {
  return new OpsLoopError('DOCUMENT_TOO_LARGE', ErrorCategory.tooLarge, `${nameOf(filename)} ${what} (limit: ${limit}).`, {
    details: { filename: filename ?? null, limit },
  });
}

export function notFound(path: string, cause: unknown): NotFoundError {
  return new NotFoundError('DOCUMENT_NOT_FOUND', `No file at ${path}.`, { cause, details: { path } });
}

export function ocrFailed(message: string, cause?: unknown): OpsLoopError {
  return new OpsLoopError('OCR_FAILED', ErrorCategory.internal, `OCR failed: ${message}`, { cause });
}

/** Human size: 1536 → "1.5 KB", 26214400 → "25 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number(value.toFixed(1))} ${units[unit] ?? 'GB'}`;
}
