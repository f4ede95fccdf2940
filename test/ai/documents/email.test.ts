import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadDocument, type LoadedDocument } from '../../../src/ai/documents/index.ts';
import { attachmentPart, invoicePdf, mimeMessage, noOcr, textPart } from './fixtures.ts';

const headers = {
  From: '"Acme Accounts" <accounts@acme.example>',
  To: 'Corner Bakery <ap@cornerbakery.example>, Sam <sam@cornerbakery.example>',
  Cc: 'Books: bookkeeper@firm.example;',
  Subject: 'Invoice INV-1042 for March',
  Date: 'Fri, 15 Mar 2024 10:30:00 +0000',
  'Message-ID': '<inv-1042@acme.example>',
  'In-Reply-To': '<order-77@cornerbakery.example>',
  References: '<order-76@cornerbakery.example> <order-77@cornerbakery.example>',
};

describe('email with a PDF attachment', () => {
  let doc: LoadedDocument;
  before(async () => {
    const eml = mimeMessage(headers, [
      textPart('Hello,\r\n\r\nPlease find invoice INV-1042 attached.\r\nTotal due: 1,234.56\r\n\r\nAcme Accounts'),
      attachmentPart('INV-1042.pdf', 'application/pdf', await invoicePdf()),
    ]);
    doc = await loadDocument(eml, { filename: 'invoice.eml', ocr: noOcr });
  });

  it('reads the headers', () => {
    assert.equal(doc.kind, 'email');
    assert.equal(doc.source, 'plain');
    assert.deepEqual(doc.email?.from, { name: 'Acme Accounts', address: 'accounts@acme.example' });
    assert.deepEqual(doc.email?.to, [
      { name: 'Corner Bakery', address: 'ap@cornerbakery.example' },
      { name: 'Sam', address: 'sam@cornerbakery.example' },
    ]);
    assert.deepEqual(doc.email?.cc, [{ name: '', address: 'bookkeeper@firm.example' }]);
    assert.equal(doc.email?.subject, 'Invoice INV-1042 for March');
    assert.equal(doc.email?.date, '2024-03-15T10:30:00.000Z');
    assert.equal(doc.email?.messageId, '<inv-1042@acme.example>');
    assert.equal(doc.email?.inReplyTo, '<order-77@cornerbakery.example>');
    assert.deepEqual(doc.email?.references, ['<order-76@cornerbakery.example>', '<order-77@cornerbakery.example>']);
  });

  it('makes the body box-less lines of page 1', () => {
    assert.deepEqual(doc.pages.map((page) => page.page), [1]);
    assert.deepEqual(doc.pages[0]?.lines.map((line) => line.text), [
      'Hello,', '', 'Please find invoice INV-1042 attached.', 'Total due: 1,234.56', '', 'Acme Accounts',
    ]);
    assert.ok(doc.pages[0]?.lines.every((line) => line.box === null && line.page === 1));
    assert.equal(doc.email?.text, doc.text);
  });

  it('loads the PDF attachment into its own positioned lines', () => {
    assert.equal(doc.attachments.length, 1);
    const [attachment] = doc.attachments;
    assert.equal(attachment?.filename, 'INV-1042.pdf');
    assert.equal(attachment?.contentType, 'application/pdf');
    assert.equal(attachment?.error, undefined);
    const pdf = attachment?.document;
    assert.equal(pdf?.kind, 'pdf');
    assert.equal(pdf?.filename, 'INV-1042.pdf');
    const texts = pdf?.pages[0]?.lines.map((line) => line.text) ?? [];
    assert.equal(texts[0], 'Acme Supplies Ltd');
    assert.ok(texts.includes('Invoice No: INV-1042'));
    assert.ok(texts.includes('Total: 1,234.56'));
    assert.ok(pdf?.pages[0]?.lines.every((line) => line.box !== null));
  });
});

describe('email edge cases', () => {
  it('converts an HTML-only body to text', async () => {
    const eml = mimeMessage({ From: 'shop@example.com', To: 'me@example.com', Subject: 'Your receipt', Date: 'Mon, 1 Apr 2024 09:00:00 +0200' }, [
      textPart('<html><body><h1>Thanks for your order</h1><p>Order <b>#5521</b></p><table><tr><td>Total</td><td>EUR 19.90</td></tr></table></body></html>', 'text/html'),
    ]);
    const doc = await loadDocument(eml, { ocr: noOcr });
    assert.match(doc.text, /Thanks for your order/i);
    assert.match(doc.text, /Order #5521/);
    // Table cells stay apart (2+ spaces, as columns in plain text) and rows on their own lines.
    assert.match(doc.text, /^Total {2,}EUR 19\.90$/m);
    assert.doesNotMatch(doc.text, /<td>|<b>/);
    assert.match(doc.email?.html ?? '', /<table>/);
    assert.equal(doc.email?.date, '2024-04-01T07:00:00.000Z');
  });

  it('reports attachments that fail on the attachment and keeps the rest', async () => {
    const eml = mimeMessage({ From: 'a@example.com', To: 'b@example.com', Subject: 'Docs', Date: 'not a date at all' }, [
      textPart('Three files.'),
      attachmentPart('broken.pdf', 'application/pdf', Buffer.from('%PDF-1.4\nnothing else')),
      attachmentPart('terms.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', Buffer.from('PK\x03\x04 zip body', 'latin1')),
      attachmentPart('note.txt', 'text/plain', Buffer.from('Reference: PO-991\n')),
    ]);
    const doc = await loadDocument(eml, { ocr: noOcr });
    assert.equal(doc.email?.date, null, 'an unreadable Date header is no date, not "now"');
    const summary = doc.attachments.map((a) => [a.filename, a.errorCode ?? null, a.document?.kind ?? null]);
    assert.deepEqual(summary, [
      ['broken.pdf', 'DOCUMENT_UNREADABLE', null],
      ['terms.docx', 'DOCUMENT_UNSUPPORTED', null],
      ['note.txt', null, 'text'],
    ]);
    assert.match(doc.attachments[0]?.error ?? '', /"broken\.pdf"/);
    assert.equal(doc.attachments[2]?.document?.pages[0]?.lines[0]?.text, 'Reference: PO-991');
  });

  it('follows attached emails down to maxEmailDepth', async () => {
    const inner = mimeMessage({ From: 'c@example.com', To: 'd@example.com', Subject: 'Inner', Date: 'Tue, 2 Apr 2024 10:00:00 +0000' }, [
      textPart('The original invoice.'),
      attachmentPart('inner.txt', 'text/plain', Buffer.from('Total: 88.00\n')),
    ], 'inner-boundary');
    const outer = mimeMessage({ From: 'e@example.com', To: 'f@example.com', Subject: 'Fwd: Inner', Date: 'Wed, 3 Apr 2024 10:00:00 +0000' }, [
      textPart('Forwarding.'),
      attachmentPart('inner.eml', 'message/rfc822', inner),
    ]);
    const deep = await loadDocument(outer, { ocr: noOcr });
    const attached = deep.attachments[0]?.document;
    assert.equal(attached?.kind, 'email');
    assert.equal(attached?.email?.subject, 'Inner');
    assert.equal(attached?.attachments[0]?.document?.text, 'Total: 88.00');

    const shallow = await loadDocument(outer, { ocr: noOcr, maxEmailDepth: 1 });
    const nested = shallow.attachments[0]?.document?.attachments[0];
    assert.equal(nested?.document, null);
    assert.equal(nested?.errorCode, 'DOCUMENT_TOO_LARGE');
    assert.match(nested?.error ?? '', /"inner\.txt" is attached 2 levels deep \(limit: maxEmailDepth = 1\)/);
  });

  it('skips images embedded in the HTML body (logos) without OCR', async () => {
    const boundary = 'rel-boundary';
    const logo = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const eml = Buffer.from([
      'From: shop@example.com', 'To: me@example.com', 'Subject: Receipt', 'Date: Mon, 1 Apr 2024 09:00:00 +0000', 'MIME-Version: 1.0',
      `Content-Type: multipart/related; boundary="${boundary}"`, '',
      `--${boundary}`, 'Content-Type: text/html; charset=utf-8', '', '<p>Total 5.00</p><img src="cid:logo@shop">',
      `--${boundary}`, 'Content-Type: image/png', 'Content-ID: <logo@shop>', 'Content-Transfer-Encoding: base64', '', logo.toString('base64'),
      `--${boundary}--`, '',
    ].join('\r\n'));
    const doc = await loadDocument(eml, { ocr: noOcr });
    assert.equal(doc.attachments.length, 1);
    assert.equal(doc.attachments[0]?.skipped, 'image embedded in the HTML body');
    assert.equal(doc.attachments[0]?.document, null);
  });
});
