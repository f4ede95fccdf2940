/** Documents built by the tests themselves: PDFs with pdfkit, images with @napi-rs/canvas, MIME by hand. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import PDFDocument from 'pdfkit';
import type { OcrEngine } from '../../../src/ai/documents/index.ts';

type Pdf = InstanceType<typeof PDFDocument>;

/** Renders a pdfkit document to bytes. */
export async function pdfBytes(draw: (doc: Pdf) => void, options: PDFKit.PDFDocumentOptions = {}): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: true, ...options });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  draw(doc);
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

/**
 * A two-page invoice: header (vendor left, number and dates right), an item table with columns,
 * totals, and on page 2 the payment terms plus a vertical "COPY" stamp in the margin.
 */
export function invoicePdf(): Promise<Buffer> {
  return pdfBytes((doc) => {
    doc.font('Helvetica-Bold').fontSize(20).text('Acme Supplies Ltd', 50, 50, { lineBreak: false });
    doc.font('Helvetica').fontSize(10).text('12 Harbour Street, Portsmouth PO1 2AB', 50, 76, { lineBreak: false });
    doc.fontSize(11);
    doc.text('Invoice No: INV-1042', 380, 50, { lineBreak: false });
    doc.text('Invoice Date: 15/03/2024', 380, 66, { lineBreak: false });
    doc.text('Due Date: 14/04/2024', 380, 82, { lineBreak: false });
    doc.text('Bill to: Corner Bakery', 50, 130, { lineBreak: false });
    const columns = [50, 300, 380, 480];
    const row = (y: number, cells: string[], font = 'Helvetica') => {
      doc.font(font);
      cells.forEach((cell, index) => doc.text(cell, columns[index] ?? 0, y, { lineBreak: false }));
    };
    row(180, ['Description', 'Qty', 'Unit Price', 'Amount'], 'Helvetica-Bold');
    row(200, ['Flour 25kg', '10', '45.00', '450.00']);
    row(216, ['Butter 10kg', '8', '70.00', '560.00']);
    row(232, ['Delivery', '1', '18.80', '18.80']);
    row(270, ['', '', 'Subtotal:', '1,028.80']);
    row(286, ['', '', 'VAT 20%:', '205.76']);
    doc.font('Helvetica-Bold');
    doc.text('Total: 1,234.56', 380, 306, { lineBreak: false });
    doc.addPage();
    doc.font('Helvetica').fontSize(11).text('Payment terms: 30 days', 50, 50, { lineBreak: false });
    doc.text('Thank you for your business', 50, 66, { lineBreak: false });
    doc.save().rotate(-90, { origin: [560, 400] }).fontSize(24).text('COPY', 560, 400, { lineBreak: false }).restore();
  });
}

/** A receipt photographed straight on: white paper, large black text. */
export async function receiptPng(): Promise<Buffer> {
  const canvas = createCanvas(720, 560);
  const g = canvas.getContext('2d');
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, 720, 560);
  g.fillStyle = '#000000';
  g.font = 'bold 40px sans-serif';
  g.fillText('CORNER BAKERY', 60, 80);
  g.font = '32px sans-serif';
  g.fillText('12 Harbour Street', 60, 140);
  g.fillText('Date: 15/03/2024', 60, 200);
  g.fillText('Croissant', 60, 290);
  g.fillText('3.50', 540, 290);
  g.fillText('Coffee', 60, 340);
  g.fillText('4.20', 540, 340);
  g.font = 'bold 32px sans-serif';
  g.fillText('TOTAL', 60, 440);
  g.fillText('7.70', 540, 440);
  return canvas.encode('png');
}

/**
 * A phone photo as cameras store it: the pixels are sideways and an EXIF tag (orientation 6,
 * "rotate 90° clockwise to display") says how to show it upright. Upright it reads "PAID 42.00".
 */
export async function sidewaysJpeg(): Promise<Buffer> {
  const upright = { width: 520, height: 160 };
  const canvas = createCanvas(upright.height, upright.width);
  const g = canvas.getContext('2d');
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, canvas.width, canvas.height);
  // Store the upright picture rotated 90° counter-clockwise.
  g.translate(0, canvas.height);
  g.rotate(-Math.PI / 2);
  g.fillStyle = '#000000';
  g.font = 'bold 44px sans-serif';
  g.fillText('PAID 42.00', 40, 100);
  const jpeg = await canvas.encode('jpeg', 95);
  const tiff = Buffer.from([0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0]);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload]);
  return Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
}

/** A scanned page: the receipt image placed on an A4 page, no text layer at all. */
export function scannedPdf(png: Buffer): Promise<Buffer> {
  return pdfBytes((doc) => {
    doc.image(png, 40, 40, { width: 360 });
  });
}

export interface MimePart {
  headers: Record<string, string>;
  body: string;
}

/** A multipart/mixed message written out by hand (CRLF line ends, base64 attachments). */
export function mimeMessage(headers: Record<string, string>, parts: MimePart[], boundary = 'opsloop-test-boundary'): Buffer {
  const lines = Object.entries({ 'MIME-Version': '1.0', ...headers, 'Content-Type': `multipart/mixed; boundary="${boundary}"` }).map(([k, v]) => `${k}: ${v}`);
  lines.push('', 'This is a multi-part message in MIME format.');
  for (const part of parts) {
    lines.push(`--${boundary}`, ...Object.entries(part.headers).map(([k, v]) => `${k}: ${v}`), '', part.body);
  }
  lines.push(`--${boundary}--`, '');
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

export function textPart(text: string, type = 'text/plain'): MimePart {
  return { headers: { 'Content-Type': `${type}; charset=utf-8`, 'Content-Transfer-Encoding': '8bit' }, body: text };
}

export function attachmentPart(filename: string, contentType: string, content: Buffer, extra: Record<string, string> = {}): MimePart {
  const base64 = content.toString('base64').replace(/.{76}/g, '$&\r\n');
  return {
    headers: {
      'Content-Type': `${contentType}; name="${filename}"`,
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Content-Transfer-Encoding': 'base64',
      ...extra,
    },
    body: base64,
  };
}

/** An OCR engine that fails the test if anything asks it to read: proves a path needs no OCR. */
export const noOcr: OcrEngine = {
  recognize: () => Promise.reject(new Error('OCR was not expected here')),
  close: () => Promise.resolve(),
};

/** A temporary folder, removed by the returned function. */
export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'opsloop-documents-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Lower case, single spaces: OCR asserts look for tokens in this, not for exact layout. */
export function normalise(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}
