/**
 * Real Tesseract on three small images (each OCR takes about a second on one core). Everything
 * it needs is installed: the language data comes from @tesseract.js-data/eng on disk.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { boundsOf } from '../../../src/ai/documents/layout.ts';
import {
  createDocumentLoader,
  createTesseractOcr,
  defaultLangPath,
  documentLines,
  loadDocument,
  type DocumentLine,
  type DocumentLoader,
  type LoadedDocument,
  type OcrEngine,
} from '../../../src/ai/documents/index.ts';
import { validateLines } from '../../../src/ai/read/validate.ts';
import { normalise, receiptPng, scannedPdf, sidewaysJpeg } from './fixtures.ts';

function lineWith(doc: LoadedDocument, token: string): DocumentLine {
  const line = documentLines(doc).find((candidate) => normalise(candidate.text).includes(token));
  assert.ok(line, `no line containing "${token}" in:\n${doc.text}`);
  return line;
}

describe('OCR with one shared Tesseract engine', () => {
  let engine: OcrEngine;
  let loader: DocumentLoader;
  let receipt: Buffer;
  let recognized = 0;
  before(async () => {
    const tesseract = await createTesseractOcr();
    engine = {
      recognize: (image) => {
        recognized += 1;
        return tesseract.recognize(image);
      },
      close: () => tesseract.close(),
    };
    loader = createDocumentLoader({ ocr: engine });
    receipt = await receiptPng();
  });
  after(async () => {
    await loader.close();
    await engine.close();
  });

  it('reads a receipt image into lines with boxes and confidence', async () => {
    const doc = await loader.load(receipt, { filename: 'receipt.png' });
    assert.equal(doc.kind, 'image');
    assert.equal(doc.source, 'ocr');
    assert.deepEqual([doc.pages[0]?.width, doc.pages[0]?.height], [720, 560]);
    const text = normalise(doc.text);
    for (const token of ['corner bakery', 'harbour street', '15/03/2024', 'croissant', '3.50', 'total', '7.70']) {
      assert.ok(text.includes(token), `"${token}" not in OCR text: ${text}`);
    }
    // The vendor is the first line; the total's label and amount are separate lines on one row.
    assert.equal(normalise(documentLines(doc)[0]?.text ?? ''), 'corner bakery');
    const label = boundsOf(lineWith(doc, 'total').box ?? assert.fail('no box'));
    const amount = boundsOf(lineWith(doc, '7.70').box ?? assert.fail('no box'));
    assert.ok(amount.x0 > label.x1, 'amount right of its label');
    assert.ok(Math.min(label.y1, amount.y1) - Math.max(label.y0, amount.y0) > 0, 'label and amount on one row');
    assert.ok(label.y0 > 380 && label.y1 < 460, `TOTAL drawn at baseline 440, found ${JSON.stringify(label)}`);
    for (const line of documentLines(doc)) {
      assert.ok(line.confidence !== undefined && line.confidence > 0 && line.confidence <= 1);
      const b = boundsOf(line.box ?? assert.fail('OCR line without a box'));
      assert.ok(b.x0 >= 0 && b.y0 >= 0 && b.x1 <= 720 && b.y1 <= 560);
    }
    assert.equal(validateLines(documentLines(doc)).length, documentLines(doc).length);
  });

  it('OCRs a scanned PDF page and gives boxes in page units like a text PDF', async () => {
    const before = recognized;
    const doc = await loader.load(await scannedPdf(receipt), { filename: 'scan.pdf' });
    assert.equal(recognized - before, 1, 'one page, one OCR call');
    assert.equal(doc.kind, 'pdf');
    assert.equal(doc.source, 'ocr');
    assert.equal(doc.pages[0]?.source, 'ocr');
    assert.deepEqual([doc.pages[0]?.width, doc.pages[0]?.height], [1190.56, 1683.78]);
    const text = normalise(doc.text);
    for (const token of ['corner bakery', 'total', '7.70']) assert.ok(text.includes(token), `"${token}" not in ${text}`);
    // The image sits at (40, 40) pt, 360 pt wide for 720 px: receipt pixel x=60 → 70 pt → 140 units.
    const vendor = boundsOf(lineWith(doc, 'corner bakery').box ?? assert.fail('no box'));
    assert.ok(Math.abs(vendor.x0 - 140) < 8, `vendor x0 ${vendor.x0}`);
    assert.ok(vendor.y1 < 200, `vendor near the top: ${JSON.stringify(vendor)}`);
    assert.ok(documentLines(doc).every((line) => line.page === 1 && line.confidence !== undefined));
  });
});

describe('OCR without a caller-owned engine', () => {
  it('starts Tesseract for a sideways phone photo, reads it upright, and stops it again', async () => {
    const doc = await loadDocument(await sidewaysJpeg(), { filename: 'IMG_2041.jpg' });
    assert.equal(doc.kind, 'image');
    // Stored 160 × 520; shown (and read) upright as 520 × 160 after the EXIF rotation.
    assert.deepEqual([doc.pages[0]?.width, doc.pages[0]?.height], [520, 160]);
    assert.match(normalise(doc.text), /paid 42\.00/);
    // The worker was terminated: if it were not, this test file would never exit.
  });
});

describe('OCR data is local', () => {
  it('uses the installed language data and refuses anything to download', async () => {
    assert.ok(existsSync(path.join(defaultLangPath(), 'eng.traineddata.gz')));
    await assert.rejects(createTesseractOcr({ langPath: 'https://cdn.jsdelivr.net/npm/@tesseract.js-data/eng/4.0.0_best_int' }), { code: 'DOCUMENT_OPTIONS_INVALID' });
    await assert.rejects(createTesseractOcr({ language: 'deu' }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'OCR_LANGUAGE_DATA_MISSING');
      assert.match(error.message, /deu\.traineddata\.gz/);
      return true;
    });
  });
});
