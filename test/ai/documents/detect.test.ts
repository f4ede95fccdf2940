import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCanvas } from '@napi-rs/canvas';
import { OpsLoopError } from '../../../src/core/errors.ts';
import { detectDocumentType } from '../../../src/ai/documents/detect.ts';
import { loadDocument } from '../../../src/ai/documents/index.ts';
import { decodeText, textPages } from '../../../src/ai/documents/text.ts';
import { noOcr } from './fixtures.ts';

const bytes = (text: string) => Buffer.from(text, 'latin1');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const EMAIL = 'Received: from mx.example.com\r\nFrom: Anna <anna@example.com>\r\nTo: ap@opsloop.test\r\nSubject: Invoice\r\n\r\nHello';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof OpsLoopError ? error.code : 'not an OpsLoopError';
  }
  return undefined;
}

describe('detectDocumentType', () => {
  it('trusts the bytes over the name', () => {
    assert.deepEqual(detectDocumentType(bytes('%PDF-1.7\n...'), { filename: 'scan.png' }), { kind: 'pdf' });
    assert.deepEqual(detectDocumentType(PNG, { filename: 'invoice.pdf' }), { kind: 'image', imageFormat: 'png' });
    assert.deepEqual(detectDocumentType(JPEG, { contentType: 'application/octet-stream' }), { kind: 'image', imageFormat: 'jpeg' });
    assert.deepEqual(detectDocumentType(bytes(EMAIL), { filename: 'forwarded.txt' }), { kind: 'email' });
    // Some generators put junk before the header; readers accept it within 1 KB.
    assert.deepEqual(detectDocumentType(bytes(`\n\n  %PDF-1.4\n`), {}), { kind: 'pdf' });
  });

  it('falls back to the declared name or type', () => {
    assert.deepEqual(detectDocumentType(bytes('Total: 12.00\n'), { filename: 'receipt.txt' }), { kind: 'text' });
    assert.deepEqual(detectDocumentType(bytes('a,b\n1,2\n'), { contentType: 'text/csv; charset=utf-8' }), { kind: 'text' });
    assert.deepEqual(detectDocumentType(bytes('Hello'), { filename: 'note.eml' }), { kind: 'email' });
    assert.deepEqual(detectDocumentType(bytes('Total: 12.00'), {}), { kind: 'text' });
  });

  it('calls a declared PDF or image without its signature unreadable', () => {
    assert.equal(codeOf(() => detectDocumentType(bytes('<html>oops'), { filename: 'invoice.pdf' })), 'DOCUMENT_UNREADABLE');
    assert.equal(codeOf(() => detectDocumentType(bytes('not really'), { contentType: 'image/jpeg' })), 'DOCUMENT_UNREADABLE');
    assert.equal(codeOf(() => detectDocumentType(new Uint8Array(0), { filename: 'empty.pdf' })), 'DOCUMENT_UNREADABLE');
  });

  it('names what it does not support', () => {
    const cases: [Buffer, { filename?: string; contentType?: string }][] = [
      [bytes('PK\x03\x04rest-of-a-docx'), { filename: 'invoice.docx' }],
      [bytes('GIF89a....'), {}],
      [bytes('<!DOCTYPE html><html><body>Invoice</body></html>'), {}],
      [Buffer.from([0x00, 0x01, 0x02, 0x03, 0x00]), {}],
      [bytes('BEGIN:VCALENDAR'), { filename: 'meeting.ics' }],
    ];
    for (const [input, declared] of cases) assert.equal(codeOf(() => detectDocumentType(input, declared)), 'DOCUMENT_UNSUPPORTED', JSON.stringify(declared));
  });

  it('puts the file name and the supported types in the message', async () => {
    await assert.rejects(loadDocument(bytes('PK\x03\x04...'), { filename: 'q3-report.docx', ocr: noOcr }), (error: OpsLoopError) => {
      assert.equal(error.code, 'DOCUMENT_UNSUPPORTED');
      assert.match(error.message, /"q3-report\.docx"/);
      assert.match(error.message, /PDF.*PNG or JPEG.*\.eml.*plain text/);
      return true;
    });
  });
});

describe('plain text', () => {
  it('decodes UTF-8, UTF-16 with a BOM and falls back to Windows-1252', () => {
    assert.equal(decodeText(Buffer.from('Café 12,50 €', 'utf8')), 'Café 12,50 €');
    assert.equal(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Total 9.99', 'utf16le')])), 'Total 9.99');
    assert.equal(decodeText(Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x80, 0x35])), 'Café €5');
  });

  it('keeps blank lines and starts a page at each form feed', () => {
    const pages = textPages('ACME LTD\r\n\r\nTotal: 10.00\n\fPage two\n\f');
    assert.deepEqual(pages.map((page) => page.lines.map((line) => line.text)), [['ACME LTD', '', 'Total: 10.00'], ['Page two']]);
    assert.deepEqual(pages[1]?.lines[0], { text: 'Page two', box: null, page: 2 });
  });

  it('loads a text file as box-less lines of page 1', async () => {
    const doc = await loadDocument(Buffer.from('Corner Bakery\nTOTAL   7.70\n'), { filename: 'receipt.txt', ocr: noOcr });
    assert.equal(doc.kind, 'text');
    assert.equal(doc.source, 'plain');
    assert.deepEqual(doc.pages[0]?.lines, [
      { text: 'Corner Bakery', box: null, page: 1 },
      { text: 'TOTAL   7.70', box: null, page: 1 },
    ]);
    assert.equal(doc.text, 'Corner Bakery\nTOTAL   7.70');
  });
});

describe('images that cannot be read', () => {
  it('calls a PNG with a broken body unreadable', async () => {
    await assert.rejects(loadDocument(PNG, { filename: 'receipt.png', ocr: noOcr }), (error: OpsLoopError) => {
      assert.equal(error.code, 'DOCUMENT_UNREADABLE');
      assert.match(error.message, /"receipt\.png" could not be read: it is not a valid PNG image/);
      return true;
    });
  });

  it('refuses an image over maxImagePixels before decoding it', async () => {
    const canvas = createCanvas(1200, 1000);
    const png = await canvas.encode('png');
    await assert.rejects(loadDocument(png, { filename: 'poster.png', maxImagePixels: 1_000_000, ocr: noOcr }), (error: OpsLoopError) => {
      assert.equal(error.code, 'DOCUMENT_TOO_LARGE');
      assert.match(error.message, /1200 × 1000 pixels \(limit: maxImagePixels = 1000000\)/);
      return true;
    });
  });
});

describe('limits and options', () => {
  it('refuses input over maxBytes before reading it', async () => {
    await assert.rejects(loadDocument(Buffer.alloc(2048, 0x41), { filename: 'big.txt', maxBytes: 1024, ocr: noOcr }), (error: OpsLoopError) => {
      assert.equal(error.code, 'DOCUMENT_TOO_LARGE');
      assert.match(error.message, /"big\.txt" is 2 KB \(limit: maxBytes = 1 KB\)/);
      return true;
    });
  });

  it('rejects a bad option with its name', async () => {
    await assert.rejects(loadDocument(Buffer.from('x'), { maxPages: 0, ocr: noOcr }), (error: OpsLoopError) => {
      assert.equal(error.code, 'DOCUMENT_OPTIONS_INVALID');
      assert.match(error.message, /maxPages/);
      return true;
    });
  });

  it('rejects input that is not bytes', async () => {
    await assert.rejects(loadDocument('Total: 1.00' as unknown as Uint8Array), { code: 'DOCUMENT_INPUT_INVALID' });
  });
});
