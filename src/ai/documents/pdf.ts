/**
 * PDFs through pdfjs (its legacy Node build; the "worker" runs in-process, nothing is fetched:
 * fonts, CMaps and decoders are read from the installed pdfjs-dist folder).
 *
 * Each page's text layer is turned into lines (see layout.ts). A page with (almost) no text is a
 * scan: it is rendered onto an @napi-rs/canvas at `ocrDpi` and OCR'd, and the OCR boxes are
 * scaled back to page units, so every page of a PDF uses the same units:
 * 1 unit = 1/144 inch (PDF points × {@link PDF_UNITS_PER_POINT}), origin top-left.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { getDocument, VerbosityLevel, type PDFDocumentProxy, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { encrypted, tooLarge, unreadable } from './errors.ts';
import { segmentQuad, segmentRuns, toFrame, type TextRun } from './layout.ts';
import type { DocumentLimits } from './options.ts';
import type { DocumentLine, OcrEngine, Quad } from './types.ts';

/**
 * Page units per PDF point: 2, i.e. 144 units per inch. Keeps text-layer boxes in the same range
 * as OCR pixels of a ~150 dpi scan, which is what box-based readers are tuned on.
 */
export const PDF_UNITS_PER_POINT = 2;

type PageViewport = ReturnType<PDFPageProxy['getViewport']>;
type TextContent = Awaited<ReturnType<PDFPageProxy['getTextContent']>>;
type TextItem = Extract<TextContent['items'][number], { str: string }>;
type TextStyle = TextContent['styles'][string];
type RenderParameters = Parameters<PDFPageProxy['render']>[0];

export interface PdfPage {
  page: number;
  width: number;
  height: number;
  source: 'text-layer' | 'ocr';
  lines: DocumentLine[];
}

export interface PdfContext {
  filename: string | undefined;
  limits: DocumentLimits;
  ocr: () => Promise<OcrEngine>;
  signal: AbortSignal | undefined;
}

const PDFJS_DIR = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const assetDir = (name: string) => path.join(PDFJS_DIR, name) + path.sep;

/**
 * Opens a PDF, hands it to `use`, and releases pdfjs's resources after. Throws
 * `DOCUMENT_ENCRYPTED`, `DOCUMENT_UNREADABLE`, or `DOCUMENT_TOO_LARGE` over `maxPages`.
 */
export async function withPdf<T>(bytes: Uint8Array, filename: string | undefined, limits: Pick<DocumentLimits, 'maxPages'>, use: (document: PDFDocumentProxy) => Promise<T>): Promise<T> {
  const task = getDocument({
    // pdfjs may take ownership of the buffer; give it a copy.
    data: new Uint8Array(bytes),
    verbosity: VerbosityLevel.ERRORS,
    standardFontDataUrl: assetDir('standard_fonts'),
    cMapUrl: assetDir('cmaps'),
    wasmUrl: assetDir('wasm'),
    iccUrl: assetDir('iccs'),
    enableXfa: false,
  });
  try {
    let document: PDFDocumentProxy;
    try {
      document = await task.promise;
    } catch (cause) {
      if (errorName(cause) === 'PasswordException') throw encrypted(filename, cause);
      throw unreadable(filename, 'it is not a valid PDF', cause);
    }
    if (document.numPages > limits.maxPages) {
      throw tooLarge(filename, `has ${document.numPages} pages`, `maxPages = ${limits.maxPages}`);
    }
    return await use(document);
  } finally {
    await task.destroy();
  }
}

/** Reads every page of a PDF, OCR'ing the scanned ones. */
export async function loadPdfPages(bytes: Uint8Array, context: PdfContext): Promise<PdfPage[]> {
  const { filename, limits } = context;
  return withPdf(bytes, filename, limits, async (document) => {
    const pages: PdfPage[] = [];
    for (let number = 1; number <= document.numPages; number += 1) {
      context.signal?.throwIfAborted();
      pages.push(await readTextLayer(document, number, filename));
    }
    const scanned = pages.filter((page) => needsOcr(page.lines, limits.minTextChars));
    if (scanned.length > limits.maxOcrPages) {
      const count = scanned.length === 1 ? '1 scanned page that needs' : `${scanned.length} scanned pages that need`;
      throw tooLarge(filename, `has ${count} OCR`, `maxOcrPages = ${limits.maxOcrPages}`);
    }
    for (const page of scanned) {
      context.signal?.throwIfAborted();
      const proxy = await document.getPage(page.page);
      try {
        page.lines = await ocrPage(proxy, context);
        page.source = 'ocr';
      } finally {
        proxy.cleanup();
      }
    }
    return pages;
  });
}

async function readTextLayer(document: PDFDocumentProxy, number: number, filename: string | undefined): Promise<PdfPage> {
  let proxy: PDFPageProxy;
  try {
    proxy = await document.getPage(number);
  } catch (cause) {
    throw unreadable(filename, `page ${number} is damaged`, cause);
  }
  try {
    const viewport = proxy.getViewport({ scale: PDF_UNITS_PER_POINT });
    const content = await proxy.getTextContent();
    const items = content.items.filter((item): item is TextItem => 'str' in item);
    return {
      page: number,
      width: round(viewport.width),
      height: round(viewport.height),
      source: 'text-layer',
      lines: textLayerLines(items, content.styles, viewport, number),
    };
  } catch (cause) {
    throw unreadable(filename, `the text of page ${number} could not be read`, cause);
  } finally {
    proxy.cleanup();
  }
}

/**
 * Text items → lines in page units. Each item's quad comes from its transform, the font's ascent
 * and descent and its width; items are grouped by direction (whole degrees) so rotated text is
 * joined in its own frame.
 */
export function textLayerLines(items: readonly TextItem[], styles: Record<string, TextStyle>, viewport: PageViewport, page: number): DocumentLine[] {
  const byAngle = new Map<number, TextRun[]>();
  for (const item of items) {
    if (item.str.trim() === '') continue;
    const [a, b, c, d, e, f] = item.transform as number[];
    if (a === undefined || b === undefined || c === undefined || d === undefined || e === undefined || f === undefined) continue;
    const size = Math.hypot(c, d);
    const advance = Math.hypot(a, b);
    if (size === 0 || advance === 0) continue;
    const style = styles[item.fontName];
    const ascent = style !== undefined && style.ascent > 0 ? style.ascent : 0.8;
    const descent = style !== undefined && style.descent < 0 ? style.descent : -0.2;
    const up: [number, number] = [c / size, d / size];
    const along: [number, number] = [a / advance, b / advance];
    const at = (distance: number, height: number): [number, number] =>
      viewport.convertToViewportPoint(e + along[0] * distance + up[0] * height * size, f + along[1] * distance + up[1] * height * size) as [number, number];
    const topLeft = at(0, ascent);
    const topRight = at(item.width, ascent);
    const bottomLeft = at(0, descent);
    const origin = at(0, 0);
    const ahead = at(Math.max(item.width, size), 0);
    const angle = Math.round((Math.atan2(ahead[1] - origin[1], ahead[0] - origin[0]) * 180) / Math.PI);
    const radians = (angle * Math.PI) / 180;
    const [x0, top] = toFrame(topLeft[0], topLeft[1], radians);
    const [x1] = toFrame(topRight[0], topRight[1], radians);
    const [, bottom] = toFrame(bottomLeft[0], bottomLeft[1], radians);
    const [, baseline] = toFrame(origin[0], origin[1], radians);
    const runs = byAngle.get(angle) ?? [];
    runs.push({ text: item.str, x0: Math.min(x0, x1), x1: Math.max(x0, x1), top: Math.min(top, bottom), bottom: Math.max(top, bottom), baseline });
    byAngle.set(angle, runs);
  }
  const lines: DocumentLine[] = [];
  for (const [angle, runs] of byAngle) {
    for (const segment of segmentRuns(runs)) {
      lines.push({ text: segment.text, box: segmentQuad(segment, (angle * Math.PI) / 180), page });
    }
  }
  return lines;
}

/** Renders a page for OCR and maps the OCR boxes back to page units. */
async function ocrPage(proxy: PDFPageProxy, context: PdfContext): Promise<DocumentLine[]> {
  const { limits, filename } = context;
  const unit = proxy.getViewport({ scale: 1 });
  // Lower the resolution of very large pages (posters, A0 drawings) to stay within maxImagePixels.
  const fitScale = Math.sqrt(limits.maxImagePixels / Math.max(1, unit.width * unit.height));
  const scale = Math.min(limits.ocrDpi / 72, fitScale);
  const viewport = proxy.getViewport({ scale });
  const width = Math.max(1, Math.ceil(viewport.width));
  const height = Math.max(1, Math.ceil(viewport.height));
  let png: Buffer;
  try {
    png = await renderPagePng(proxy, viewport, width, height);
  } catch (cause) {
    throw unreadable(filename, `page ${proxy.pageNumber} could not be rendered for OCR`, cause);
  }
  const result = await (await context.ocr()).recognize(png);
  const toUnits = PDF_UNITS_PER_POINT / scale;
  return result.lines.map((line) => ({
    text: line.text,
    box: line.box.map((value) => round(value * toUnits)) as Quad,
    page: proxy.pageNumber,
    confidence: line.confidence,
  }));
}

/**
 * Draws a page on a white @napi-rs/canvas of `width` × `height` pixels and encodes it as PNG.
 * An aborted `signal` cancels the drawing (pdfjs stops between operations) and rethrows its reason.
 */
export async function renderPagePng(proxy: PDFPageProxy, viewport: PageViewport, width: number, height: number, signal?: AbortSignal): Promise<Buffer> {
  signal?.throwIfAborted();
  const canvas = createCanvas(width, height);
  const canvasContext = canvas.getContext('2d');
  canvasContext.fillStyle = '#ffffff';
  canvasContext.fillRect(0, 0, width, height);
  const task = proxy.render({
    // pdfjs's Node build draws on @napi-rs/canvas; its types only name the DOM canvas.
    canvas: canvas as unknown as RenderParameters['canvas'],
    canvasContext: canvasContext as unknown as RenderParameters['canvasContext'],
    viewport,
  });
  const cancel = () => task.cancel();
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    await task.promise;
  } catch (error) {
    signal?.throwIfAborted();
    throw error;
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
  return canvas.encode('png');
}

/**
 * A page is OCR'd when its text layer has fewer than `minTextChars` usable characters, or when
 * most of its characters are unusable: U+FFFD, private-use or control characters are what a PDF
 * with a broken font encoding (no ToUnicode map) yields, and OCR reads such a page better.
 */
export function needsOcr(lines: readonly DocumentLine[], minTextChars: number): boolean {
  let total = 0;
  let usable = 0;
  for (const line of lines) {
    for (const char of line.text.replace(/\s/g, '')) {
      total += 1;
      if (!/[\uFFFD\p{Co}\p{Cc}\p{Cs}]/u.test(char)) usable += 1;
    }
  }
  return usable < minTextChars || usable < total / 2;
}

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : undefined;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
