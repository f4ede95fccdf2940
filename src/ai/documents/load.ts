/**
 * The dispatcher: checks the size, detects the type, hands the bytes to the PDF, image, email or
 * text reader, and puts every page's lines into reading order. Emails call back into it for
 * their attachments, one level deeper.
 */
import { detectDocumentType, type DeclaredType } from './detect.ts';
import { loadEmail } from './email.ts';
import { formatBytes, tooLarge } from './errors.ts';
import { loadImagePage } from './image.ts';
import { orderIntoRows } from './layout.ts';
import { createTesseractOcr, type TesseractOcrOptions } from './ocr.ts';
import type { DocumentLimits } from './options.ts';
import { loadPdfPages } from './pdf.ts';
import { decodeText, textPages } from './text.ts';
import type { DocumentPage, LoadedDocument, OcrEngine } from './types.ts';

export interface LoadState {
  limits: DocumentLimits;
  /** The OCR engine, started on first use. */
  ocr: () => Promise<OcrEngine>;
  signal: AbortSignal | undefined;
  depth: number;
}

export async function loadBytes(bytes: Uint8Array, declared: DeclaredType, state: LoadState): Promise<LoadedDocument> {
  const { limits, signal } = state;
  const filename = declared.filename;
  signal?.throwIfAborted();
  if (bytes.byteLength > limits.maxBytes) {
    throw tooLarge(filename, `is ${formatBytes(bytes.byteLength)}`, `maxBytes = ${formatBytes(limits.maxBytes)}`);
  }
  const type = detectDocumentType(bytes, declared);
  const base = { filename: filename ?? null, attachments: [] };
  switch (type.kind) {
    case 'pdf': {
      const pages = await loadPdfPages(bytes, { filename, limits, ocr: state.ocr, signal });
      return finish({ ...base, kind: 'pdf', source: pages.some((page) => page.source === 'ocr') ? 'ocr' : 'text-layer', pages });
    }
    case 'image': {
      const page = await loadImagePage(bytes, type.imageFormat ?? 'png', { filename, limits, ocr: state.ocr });
      return finish({ ...base, kind: 'image', source: 'ocr', pages: [page] });
    }
    case 'email': {
      const { email, pages, attachments } = await loadEmail(bytes, {
        filename,
        limits,
        depth: state.depth,
        signal,
        loadChild: (child, childDeclared) => loadBytes(child, childDeclared, { ...state, depth: state.depth + 1 }),
      });
      return finish({ ...base, kind: 'email', source: 'plain', pages, email, attachments });
    }
    case 'text':
      return finish({ ...base, kind: 'text', source: 'plain', pages: textPages(decodeText(bytes)) });
    default: {
      const exhaustive: never = type.kind;
      throw new Error(`unhandled document kind ${String(exhaustive)}`);
    }
  }
}

/** Puts boxed lines into reading order and builds `text`. */
function finish(document: Omit<LoadedDocument, 'text'>): LoadedDocument {
  const pageTexts: string[] = [];
  const pages: DocumentPage[] = document.pages.map((page) => {
    if (!page.lines.some((line) => line.box !== null)) {
      pageTexts.push(page.lines.map((line) => line.text).join('\n'));
      return page;
    }
    const rows = orderIntoRows(page.lines);
    pageTexts.push(rows.map((row) => row.map((line) => line.text).join('   ')).join('\n'));
    return { ...page, lines: rows.flat() };
  });
  return { ...document, pages, text: pageTexts.join('\n\f') };
}

/** An OCR engine started on first use, owned (and closed) by whoever made this. */
export function lazyTesseract(options: TesseractOcrOptions = {}): { get: () => Promise<OcrEngine>; close: () => Promise<void> } {
  let engine: Promise<OcrEngine> | undefined;
  return {
    get: () => (engine ??= createTesseractOcr(options)),
    close: async () => {
      const current = engine;
      engine = undefined;
      if (current !== undefined) await (await current.catch(() => undefined))?.close();
    },
  };
}
