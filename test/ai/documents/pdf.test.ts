import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { boundsOf } from '../../../src/ai/documents/layout.ts';
import {
  createDocumentLoader,
  documentLines,
  loadDocument,
  loadDocumentFile,
  PDF_UNITS_PER_POINT,
  type LoadedDocument,
} from '../../../src/ai/documents/index.ts';
import { needsOcr } from '../../../src/ai/documents/pdf.ts';
import { extractFields } from '../../../src/ai/read/index.ts';
import type { OcrLine } from '../../../src/ai/read/types.ts';
import { validateLines } from '../../../src/ai/read/validate.ts';
import { invoicePdf, noOcr, pdfBytes, tempDir } from './fixtures.ts';

describe('PDF with a text layer', () => {
  let pdf: Buffer;
  let doc: LoadedDocument;
  before(async () => {
    pdf = await invoicePdf();
    // noOcr fails the test if any page were sent to OCR.
    doc = await loadDocument(pdf, { filename: 'INV-1042.pdf', ocr: noOcr });
  });

  it('reads every page from its text, numbered from 1, in page units (points × 2)', () => {
    assert.equal(doc.kind, 'pdf');
    assert.equal(doc.source, 'text-layer');
    assert.deepEqual(doc.pages.map((page) => [page.page, page.source]), [[1, 'text-layer'], [2, 'text-layer']]);
    // A4 is 595.28 × 841.89 points.
    assert.deepEqual([doc.pages[0]?.width, doc.pages[0]?.height], [1190.56, 1683.78]);
    assert.equal(PDF_UNITS_PER_POINT, 2);
  });

  it('returns the lines of page 1 in reading order, table cells as separate lines on one row', () => {
    assert.deepEqual(doc.pages[0]?.lines.map((line) => line.text), [
      'Acme Supplies Ltd', 'Invoice No: INV-1042',
      'Invoice Date: 15/03/2024',
      '12 Harbour Street, Portsmouth PO1 2AB',
      'Due Date: 14/04/2024',
      'Bill to: Corner Bakery',
      'Description', 'Qty', 'Unit Price', 'Amount',
      'Flour 25kg', '10', '45.00', '450.00',
      'Butter 10kg', '8', '70.00', '560.00',
      'Delivery', '1', '18.80', '18.80',
      'Subtotal:', '1,028.80',
      'VAT 20%:', '205.76',
      'Total: 1,234.56',
    ]);
  });

  it('puts each line where it is printed, origin top-left', () => {
    const line = (text: string) => {
      const found = documentLines(doc).find((candidate) => candidate.text === text);
      assert.ok(found?.box, `no line "${text}"`);
      return boundsOf(found.box);
    };
    // pdfkit draws text with its top at y; Helvetica's ascender sits ~1 pt lower than that.
    const vendor = line('Acme Supplies Ltd');
    assert.ok(Math.abs(vendor.x0 - 50 * 2) < 0.5, `vendor x0 ${vendor.x0}`);
    assert.ok(Math.abs(vendor.y0 - 50 * 2) < 10, `vendor y0 ${vendor.y0}`);
    assert.ok(vendor.y1 - vendor.y0 > 35 && vendor.y1 - vendor.y0 < 45, 'a 20 pt line is ~37 units high');
    const total = line('Total: 1,234.56');
    assert.ok(Math.abs(total.x0 - 380 * 2) < 0.5 && Math.abs(total.y0 - 306 * 2) < 10, JSON.stringify(total));
    // The amount column is right of its header, and the rows go down the page.
    const header = line('Amount');
    const first = line('450.00');
    assert.ok(Math.abs(first.x0 - header.x0) < 1 && first.y0 > header.y1);
    const boxes = doc.pages[0]?.lines.map((l) => l.box) ?? [];
    for (const box of boxes) {
      assert.ok(box);
      const b = boundsOf(box);
      assert.ok(b.x0 >= 0 && b.y0 >= 0 && b.x1 <= 1190.56 && b.y1 <= 1683.78);
    }
  });

  it('keeps page numbers on lines and reads rotated text as one line along its direction', () => {
    const page2 = doc.pages[1]?.lines ?? [];
    assert.deepEqual(page2.map((line) => [line.text, line.page]), [
      ['Payment terms: 30 days', 2],
      ['Thank you for your business', 2],
      ['COPY', 2],
    ]);
    const stamp = page2[2]?.box;
    assert.ok(stamp);
    const bounds = boundsOf(stamp);
    assert.ok(bounds.y1 - bounds.y0 > 2 * (bounds.x1 - bounds.x0), 'a vertical stamp is taller than wide');
    // Read upward: the quad starts at the bottom (start of the word).
    assert.ok(stamp[1] > stamp[3], 'top-left corner is below the top-right corner');
  });

  it('builds the text with columns kept apart and pages separated by a form feed', () => {
    assert.match(doc.text, /^Acme Supplies Ltd {3}Invoice No: INV-1042\n/);
    assert.match(doc.text, /\nFlour 25kg {3}10 {3}45\.00 {3}450\.00\n/);
    assert.match(doc.text, /\nTotal: 1,234\.56\n\fPayment terms: 30 days\n/);
  });

  it('produces lines the READ extractor accepts as they are', () => {
    const lines: OcrLine[] = documentLines(doc);
    assert.equal(validateLines(lines).length, lines.length);
  });

  it('is read for its total, not the subtotal printed above it', () => {
    const { fields } = extractFields(documentLines(doc));
    assert.deepEqual([fields.subtotal.value, fields.tax.value, fields.total.value], ['1,028.80', '205.76', '1,234.56']);
  });

  it('loads the same from a file, named after it', async () => {
    const { dir, remove } = await tempDir();
    try {
      const file = path.join(dir, 'INV-1042.pdf');
      await writeFile(file, pdf);
      const fromFile = await loadDocumentFile(file, { ocr: noOcr });
      assert.equal(fromFile.filename, 'INV-1042.pdf');
      assert.deepEqual(fromFile.pages, doc.pages);
      await assert.rejects(loadDocumentFile(path.join(dir, 'missing.pdf')), { code: 'DOCUMENT_NOT_FOUND' });
      await assert.rejects(loadDocumentFile(file, { maxBytes: 1000 }), { code: 'DOCUMENT_TOO_LARGE' });
    } finally {
      await remove();
    }
  });

  it('loads through a document loader, whose limits apply to every load, until it is closed', async () => {
    const { dir, remove } = await tempDir();
    try {
      const file = path.join(dir, 'INV-1042.pdf');
      await writeFile(file, pdf);
      const loader = createDocumentLoader({ ocr: noOcr, maxPages: 5 });
      {
        await using scoped = loader;
        assert.deepEqual((await scoped.load(pdf)).pages, doc.pages);
        assert.equal((await scoped.loadFile(file)).filename, 'INV-1042.pdf');
        await assert.rejects(scoped.load(pdf, { maxPages: 1 }), { code: 'DOCUMENT_TOO_LARGE' });
      }
      await assert.rejects(loader.load(pdf), { code: 'DOCUMENT_LOADER_CLOSED' });
    } finally {
      await remove();
    }
  });

  it('refuses a PDF with more pages than maxPages, saying how many', async () => {
    await assert.rejects(loadDocument(pdf, { filename: 'INV-1042.pdf', maxPages: 1, ocr: noOcr }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'DOCUMENT_TOO_LARGE');
      assert.match(error.message, /"INV-1042\.pdf" has 2 pages \(limit: maxPages = 1\)/);
      return true;
    });
  });
});

describe('which PDF pages are OCR\'d', () => {
  const page = (...texts: string[]) => texts.map((text) => ({ text, box: null, page: 1 }));
  it('OCRs pages with (almost) no text and pages whose text is undecodable', () => {
    assert.equal(needsOcr([], 10), true, 'an image-only page');
    assert.equal(needsOcr(page('Page 1'), 10), true, 'only a page number stamped on a scan');
    assert.equal(needsOcr(page('Invoice No: INV-1042'), 10), false);
    // A font without a ToUnicode map: glyphs come out as private-use or replacement characters.
    assert.equal(needsOcr(page('\uE001\uE002\uE003\uE004\uE005\uE006 \uE007\uE008\uE009\uE00A\uE00B 12.00 \uFFFD\uFFFD'), 5), true);
    assert.equal(needsOcr(page('Total: 1,234.56 \uFFFD'), 5), false, 'one odd character is not a broken page');
  });
});

describe('PDFs that cannot be read', () => {
  it('calls a damaged PDF unreadable, naming the file', async () => {
    const pdf = await invoicePdf();
    const truncated = pdf.subarray(0, 400);
    await assert.rejects(loadDocument(truncated, { filename: 'broken.pdf', ocr: noOcr }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'DOCUMENT_UNREADABLE');
      assert.match(error.message, /"broken\.pdf" could not be read/);
      return true;
    });
    await assert.rejects(loadDocument(Buffer.from('%PDF-1.7\nthis is not a pdf body'), { filename: 'junk.pdf', ocr: noOcr }), { code: 'DOCUMENT_UNREADABLE' });
  });

  it('says a password-protected PDF needs an unprotected copy', async () => {
    const locked = await pdfBytes((d) => d.text('Secret invoice', 50, 50), { userPassword: 'hunter2' });
    await assert.rejects(loadDocument(locked, { filename: 'locked.pdf', ocr: noOcr }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'DOCUMENT_ENCRYPTED');
      assert.match(error.message, /password/);
      return true;
    });
  });

  it('refuses to OCR more scanned pages than maxOcrPages before doing any', async () => {
    const blank = await pdfBytes((d) => d.addPage().addPage());
    await assert.rejects(loadDocument(blank, { filename: 'scan.pdf', maxOcrPages: 2, ocr: noOcr }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'DOCUMENT_TOO_LARGE');
      assert.match(error.message, /3 scanned pages that need OCR \(limit: maxOcrPages = 2\)/);
      return true;
    });
  });
});
