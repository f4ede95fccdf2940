/** Sample documents, PNGs made on the spot, and pdfjs to read a rendered PDF back as a person would. */
import { createRequire } from 'node:module';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { createCanvas } from '@napi-rs/canvas';
import { getDocument, OPS, VerbosityLevel, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { DocumentKind, RenderableDocument } from '../../../../src/domains/finance/pdf/index.ts';

const PDFJS_DIR = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const assetDir = (name: string) => path.join(PDFJS_DIR, name) + path.sep;

/** A complete document of the given kind: two lines, one tax rate, bank details and a pay link. */
export function sampleDocument(kind: DocumentKind, overrides: Partial<RenderableDocument> = {}): RenderableDocument {
  return {
    kind,
    number: 'DOC-1042',
    issueDate: '2026-03-01',
    dueDate: kind === 'invoice' ? '2026-03-31' : kind === 'purchase_order' ? '2026-03-20' : null,
    validUntil: kind === 'quote' || kind === 'estimate' ? '2026-04-15' : null,
    reference: kind === 'credit_note' ? 'INV-0999' : null,
    currency: 'USD',
    business: {
      name: 'Acme Supplies Ltd',
      address: '12 Harbour Street\nPortsmouth PO1 2AB',
      email: 'billing@acme.example',
      phone: '+44 23 9200 0000',
      taxId: 'GB123456789',
      bank: { accountName: 'Acme Supplies Ltd', iban: 'GB29NWBK60161331926819', bic: 'NWBKGB2L' },
    },
    client: { name: 'Corner Bakery', contact: 'Sam Baker', address: '1 Market Square\nLeeds LS1 1AA', email: 'sam@bakery.example' },
    lines: [
      { description: 'Flour, 25 kg sack', quantity: '10', unit: 'sack', unitPrice: '45.00', taxRate: '20', amount: '450.00' },
      { description: 'Butter, 10 kg block', quantity: '8', unit: 'block', unitPrice: '70.00', discount: '5', taxRate: '20', amount: '532.00' },
    ],
    subtotal: '982.00',
    taxTotal: '196.40',
    total: '1178.40',
    taxSummary: [{ rate: '20', base: '982.00', tax: '196.40' }],
    terms: 'Payment within 30 days of the invoice date.',
    notes: 'Thank you for your business.',
    paymentInstructions: 'Quote the document number with your payment.',
    payUrl: 'https://pay.acme.example/DOC-1042',
    locale: 'en-US',
    ...overrides,
  };
}

/** `count` lines "Item 1" … "Item N", each 1 × 10.00. */
export function manyLines(count: number): RenderableDocument['lines'] {
  return Array.from({ length: count }, (_, index) => ({
    description: `Item ${index + 1}`,
    quantity: '1',
    unitPrice: '10.00',
    amount: '10.00',
  }));
}

async function openPdf<T>(bytes: Uint8Array, read: (pdf: PDFDocumentProxy) => Promise<T>): Promise<T> {
  const task = getDocument({
    data: new Uint8Array(bytes),
    verbosity: VerbosityLevel.ERRORS,
    standardFontDataUrl: assetDir('standard_fonts'),
    cMapUrl: assetDir('cmaps'),
    wasmUrl: assetDir('wasm'),
    iccUrl: assetDir('iccs'),
  });
  try {
    return await read(await task.promise);
  } finally {
    await task.destroy();
  }
}

/**
 * The text of each page as pdfjs extracts it, the pieces joined by single spaces (no-break and
 * narrow no-break spaces included), so "1.200,50\u00A0€" reads "1.200,50 €".
 */
export function pageTexts(bytes: Uint8Array): Promise<string[]> {
  return openPdf(bytes, async (pdf) => {
    const pages: string[] = [];
    for (let number = 1; number <= pdf.numPages; number += 1) {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      const pieces = content.items.map((item) => ('str' in item ? item.str : ''));
      pages.push(pieces.join(' ').replace(/\s+/g, ' ').trim());
    }
    return pages;
  });
}

/** All pages' text as one string. */
export async function allText(bytes: Uint8Array): Promise<string> {
  return (await pageTexts(bytes)).join(' ');
}

/** Number of images painted on each page. */
export function imagesPerPage(bytes: Uint8Array): Promise<number[]> {
  return openPdf(bytes, async (pdf) => {
    const counts: number[] = [];
    for (let number = 1; number <= pdf.numPages; number += 1) {
      const operators = await (await pdf.getPage(number)).getOperatorList();
      counts.push(operators.fnArray.filter((op) => op === OPS.paintImageXObject || op === OPS.paintInlineImageXObject).length);
    }
    return counts;
  });
}

/** The web links on each page (link annotations a reader can click). */
export function linksPerPage(bytes: Uint8Array): Promise<string[][]> {
  return openPdf(bytes, async (pdf) => {
    const links: string[][] = [];
    for (let number = 1; number <= pdf.numPages; number += 1) {
      const annotations = (await (await pdf.getPage(number)).getAnnotations()) as { subtype?: string; url?: string }[];
      links.push(annotations.flatMap((annotation) => (annotation.subtype === 'Link' && annotation.url !== undefined ? [annotation.url] : [])));
    }
    return links;
  });
}

/** The PDF's Info dictionary as pdfjs reads it. */
export function pdfInfo(bytes: Uint8Array): Promise<Record<string, unknown>> {
  return openPdf(bytes, async (pdf) => (await pdf.getMetadata()).info as Record<string, unknown>);
}

/** A small logo with an alpha channel, drawn with @napi-rs/canvas. */
export async function logoPng(): Promise<Uint8Array> {
  const canvas = createCanvas(120, 40);
  const g = canvas.getContext('2d');
  g.fillStyle = '#1d4ed8';
  g.fillRect(0, 0, 40, 40);
  g.fillStyle = 'rgba(220, 38, 38, 0.5)';
  g.fillRect(50, 5, 65, 30);
  return new Uint8Array(await canvas.encode('png'));
}

function chunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.byteLength);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * An RGBA PNG written byte by byte, so tests can damage it in ways no encoder would: every row
 * starts with `filter`, and `rows` of the `height` rows are present.
 */
export function handmadePng(options: { width: number; height: number; filter?: number; rows?: number }): Uint8Array {
  const { width, height, filter = 0, rows = height } = options;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, adaptive filtering, not interlaced
  const raw = Buffer.alloc(rows * (1 + width * 4), 0x80);
  for (let row = 0; row < rows; row += 1) raw[row * (1 + width * 4)] = filter;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}
