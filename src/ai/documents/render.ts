/**
 * Page images for people to look at, in the units of the document's line boxes (see
 * `DocumentPage` in types.ts), so the evidence of a read field can be drawn over its page. PDF
 * pages are drawn by the same code that draws scans for OCR; PNG images are returned as they
 * are, JPEGs upright as PNG (as OCR saw them). Emails and plain text have no page image.
 */
import { Image } from '@napi-rs/canvas';
import { NotFoundError } from '../../core/errors.ts';
import { detectDocumentType, type DeclaredType, type DetectedType } from './detect.ts';
import { nameOf, tooLarge, unreadable, unsupported } from './errors.ts';
import { uprightPng } from './image.ts';
import { resolveLimits, type DocumentLimits } from './options.ts';
import { PDF_UNITS_PER_POINT, renderPagePng, withPdf } from './pdf.ts';

export interface PageSize {
  /** From 1. */
  page: number;
  /** In line-box units: PDF points × 2, or image pixels. */
  width: number;
  height: number;
}

export interface PageImage extends PageSize {
  png: Buffer;
  /** Size of `png` in pixels. Equal to the page size (rounded up) unless a huge page was drawn smaller. */
  pixelWidth: number;
  pixelHeight: number;
}

export interface PageImageOptions extends Partial<DocumentLimits> {
  /** Most pixels (width × height) a PDF page is drawn with; a larger page is drawn at a lower resolution. */
  maxRenderPixels?: number;
  /** Cancels drawing a PDF page; the signal's reason is thrown. */
  signal?: AbortSignal;
}

const defaultMaxRenderPixels = 8_000_000;

/** The size of every page, in the units of its line boxes. */
export async function documentPageSizes(bytes: Uint8Array, declared: DeclaredType, options: PageImageOptions = {}): Promise<PageSize[]> {
  const limits = resolveLimits(options);
  const type = pageImageType(bytes, declared);
  if (type.kind === 'image') {
    const image = await openImage(bytes, type, declared.filename, limits);
    return [{ page: 1, width: image.width, height: image.height }];
  }
  return withPdf(bytes, declared.filename, limits, async (document) => {
    const sizes: PageSize[] = [];
    for (let number = 1; number <= document.numPages; number += 1) {
      const proxy = await document.getPage(number);
      const viewport = proxy.getViewport({ scale: PDF_UNITS_PER_POINT });
      sizes.push({ page: number, width: round(viewport.width), height: round(viewport.height) });
      proxy.cleanup();
    }
    return sizes;
  });
}

/**
 * Page `page` (from 1) as PNG. Throws `DOCUMENT_PAGE_NOT_FOUND` for a page the document does not
 * have, and the loader's errors (`DOCUMENT_UNREADABLE`, `DOCUMENT_TOO_LARGE`, …) otherwise.
 *
 * @example
 * const { png, width, height } = await renderDocumentPage(bytes, { filename: 'bill.pdf' }, 1);
 * // draw a line's box [x1,y1,…] at x1 / width, y1 / height of the displayed image
 */
export async function renderDocumentPage(bytes: Uint8Array, declared: DeclaredType, page: number, options: PageImageOptions = {}): Promise<PageImage> {
  const limits = resolveLimits(options);
  const filename = declared.filename;
  const type = pageImageType(bytes, declared);
  if (type.kind === 'image') {
    if (page !== 1) throw missingPage(filename, page, 1);
    const image = await openImage(bytes, type, filename, limits);
    const png = type.imageFormat === 'jpeg' ? await uprightPng(image, filename) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { page: 1, width: image.width, height: image.height, png, pixelWidth: image.width, pixelHeight: image.height };
  }
  return withPdf(bytes, filename, limits, async (document) => {
    if (!Number.isInteger(page) || page < 1 || page > document.numPages) throw missingPage(filename, page, document.numPages);
    const proxy = await document.getPage(page);
    try {
      const units = proxy.getViewport({ scale: PDF_UNITS_PER_POINT });
      const maxPixels = Math.min(options.maxRenderPixels ?? defaultMaxRenderPixels, limits.maxImagePixels);
      // One pixel per unit, unless the page is huge (a poster): then fewer.
      const scale = PDF_UNITS_PER_POINT * Math.min(1, Math.sqrt(maxPixels / Math.max(1, Math.ceil(units.width) * Math.ceil(units.height))));
      const viewport = proxy.getViewport({ scale });
      const pixelWidth = Math.max(1, Math.floor(viewport.width));
      const pixelHeight = Math.max(1, Math.floor(viewport.height));
      let png: Buffer;
      try {
        png = await renderPagePng(proxy, viewport, pixelWidth, pixelHeight, options.signal);
      } catch (cause) {
        if (options.signal?.aborted === true) throw cause;
        throw unreadable(filename, `page ${page} could not be drawn`, cause);
      }
      return { page, width: round(units.width), height: round(units.height), png, pixelWidth, pixelHeight };
    } finally {
      proxy.cleanup();
    }
  });
}

function pageImageType(bytes: Uint8Array, declared: DeclaredType): DetectedType {
  const type = detectDocumentType(bytes, declared);
  if (type.kind === 'pdf' || type.kind === 'image') return type;
  throw unsupported(declared.filename, type.kind === 'email' ? 'an email' : 'plain text', undefined);
}

/** The image with its upright size (decoding a JPEG applies its EXIF orientation). */
async function openImage(bytes: Uint8Array, type: DetectedType, filename: string | undefined, limits: DocumentLimits): Promise<Image> {
  const format = type.imageFormat === 'jpeg' ? 'JPEG' : 'PNG';
  const image = new Image();
  try {
    image.src = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (cause) {
    throw unreadable(filename, `it is not a valid ${format} image`, cause);
  }
  if (image.width === 0 || image.height === 0) throw unreadable(filename, `it is not a valid ${format} image`);
  if (image.width * image.height > limits.maxImagePixels) {
    throw tooLarge(filename, `is ${image.width} × ${image.height} pixels`, `maxImagePixels = ${limits.maxImagePixels}`);
  }
  if (type.imageFormat === 'jpeg') {
    try {
      await image.decode();
    } catch (cause) {
      throw unreadable(filename, 'the JPEG image could not be decoded', cause);
    }
  }
  return image;
}

function missingPage(filename: string | undefined, page: number, pages: number): NotFoundError {
  return new NotFoundError('DOCUMENT_PAGE_NOT_FOUND', `${nameOf(filename)} has ${pages === 1 ? '1 page' : `${pages} pages`}; there is no page ${page}.`, {
    details: { filename: filename ?? null, page, pages },
  });
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
