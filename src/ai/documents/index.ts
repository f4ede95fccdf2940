/**
 * Document input for the READ skill: a file (PDF with a text layer, scanned PDF, PNG/JPEG image,
 * .eml email, plain text) → pages of positioned text lines, ready for the field extractor.
 *
 * @example
 * await using loader = createDocumentLoader();
 * const doc = await loader.loadFile('inbox/invoice-1042.pdf');
 * const fields = extractFields(documentLines(doc)); // READ's extractor takes these lines as is
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError } from '../../core/errors.ts';
import { formatBytes, notFound, tooLarge } from './errors.ts';
import { lazyTesseract, loadBytes } from './load.ts';
import type { TesseractOcrOptions } from './ocr.ts';
import { resolveLimits, type DocumentLimits, type LoadDocumentOptions } from './options.ts';
import type { DocumentLine, LoadedDocument, OcrEngine } from './types.ts';

export type {
  DocumentAttachment,
  DocumentKind,
  DocumentLine,
  DocumentPage,
  DocumentSource,
  EmailAddress,
  EmailInfo,
  LoadedDocument,
  OcrEngine,
  OcrResult,
  OcrResultLine,
  Quad,
} from './types.ts';
export type { DocumentLimits, LoadDocumentOptions } from './options.ts';
export type { TesseractOcrOptions } from './ocr.ts';
export { documentLimitsSchema } from './options.ts';
export { createTesseractOcr, defaultLangPath } from './ocr.ts';
export { PDF_UNITS_PER_POINT } from './pdf.ts';
export { detectDocumentType } from './detect.ts';
export { emailAttachmentFile, readablePart, type AttachmentFile, type DocumentPart, type ReadablePart } from './parts.ts';
export { documentPageSizes, renderDocumentPage, type PageImage, type PageImageOptions, type PageSize } from './render.ts';

/**
 * Loads a document from memory. Throws `DOCUMENT_UNSUPPORTED`, `DOCUMENT_UNREADABLE`,
 * `DOCUMENT_ENCRYPTED` or `DOCUMENT_TOO_LARGE` (see errors.ts); failures of email attachments
 * are reported on the attachment instead.
 *
 * Without `options.ocr`, a Tesseract worker is started if a page needs OCR and terminated
 * before this returns; to load many documents, use {@link createDocumentLoader}.
 */
export async function loadDocument(input: Uint8Array, options: LoadDocumentOptions = {}): Promise<LoadedDocument> {
  const limits = resolveLimits(options);
  const bytes = checkInput(input);
  if (options.ocr !== undefined) {
    const engine = options.ocr;
    return loadBytes(bytes, declaredOf(options), { limits, ocr: async () => engine, signal: options.signal, depth: 0 });
  }
  const owned = lazyTesseract();
  try {
    return await loadBytes(bytes, declaredOf(options), { limits, ocr: owned.get, signal: options.signal, depth: 0 });
  } finally {
    await owned.close();
  }
}

/** Loads a file from disk; its name is used as `filename`. The size is checked before reading. */
export async function loadDocumentFile(filePath: string, options: LoadDocumentOptions = {}): Promise<LoadedDocument> {
  const bytes = await readChecked(filePath, resolveLimits(options));
  return loadDocument(bytes, { ...options, filename: options.filename ?? path.basename(filePath) });
}

export interface DocumentLoaderOptions extends Partial<DocumentLimits> {
  /** An OCR engine owned by the caller; by default the loader starts (once) and closes its own Tesseract. */
  ocr?: OcrEngine;
  /** Options of the loader's own Tesseract engine. */
  tesseract?: TesseractOcrOptions;
}

export type LoadOptions = Omit<LoadDocumentOptions, 'ocr'>;

/** Loads many documents with one OCR engine, started on first use. Close it (or `await using` it). */
export interface DocumentLoader extends AsyncDisposable {
  load(input: Uint8Array, options?: LoadOptions): Promise<LoadedDocument>;
  loadFile(filePath: string, options?: LoadOptions): Promise<LoadedDocument>;
  /** Terminates the OCR worker if this loader started one. */
  close(): Promise<void>;
}

export function createDocumentLoader(options: DocumentLoaderOptions = {}): DocumentLoader {
  const defaults = resolveLimits(options);
  const ownOcr = options.ocr === undefined ? lazyTesseract({ ...options.tesseract }) : undefined;
  const callerOcr = options.ocr;
  const ocr = ownOcr?.get ?? (async () => callerOcr as OcrEngine);
  let closed = false;
  const load = async (input: Uint8Array, callOptions: LoadOptions = {}): Promise<LoadedDocument> => {
    if (closed) throw new ValidationError('DOCUMENT_LOADER_CLOSED', 'This document loader is closed: create a new one.');
    const limits = resolveLimits({ ...defaults, ...callOptions });
    return loadBytes(checkInput(input), declaredOf(callOptions), { limits, ocr, signal: callOptions.signal, depth: 0 });
  };
  const close = async () => {
    closed = true;
    await ownOcr?.close();
  };
  return {
    load,
    async loadFile(filePath, callOptions = {}) {
      const bytes = await readChecked(filePath, resolveLimits({ ...defaults, ...callOptions }));
      return load(bytes, { ...callOptions, filename: callOptions.filename ?? path.basename(filePath) });
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * Every line of every page, in page and reading order: the input of READ's `extractFields`. An
 * email's pages are its body only; to read the part that holds the bill, use `readablePart`.
 */
export function documentLines(document: LoadedDocument): DocumentLine[] {
  return document.pages.flatMap((page) => page.lines);
}

function declaredOf(options: { filename?: string | undefined; contentType?: string | undefined }): { filename: string | undefined; contentType: string | undefined } {
  return { filename: options.filename, contentType: options.contentType };
}

function checkInput(input: unknown): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  throw new ValidationError('DOCUMENT_INPUT_INVALID', 'A document must be passed as a Buffer or Uint8Array of the file bytes.', { details: { path: 'input' } });
}

async function readChecked(filePath: string, limits: DocumentLimits): Promise<Uint8Array> {
  let size: number;
  try {
    const info = await stat(filePath);
    if (!info.isFile()) throw new Error('not a regular file');
    size = info.size;
  } catch (cause) {
    throw notFound(filePath, cause);
  }
  if (size > limits.maxBytes) {
    throw tooLarge(path.basename(filePath), `is ${formatBytes(size)}`, `maxBytes = ${formatBytes(limits.maxBytes)}`);
  }
  return readFile(filePath);
}
