/**
 * The pages behind a read proposal: a workflow reads a PDF invoice the test makes, the reading
 * waits in the Inbox, and the API gives the invoice's pages as PNG with their sizes, so the
 * evidence boxes land on the words they were read from. A reading of plain text has no page.
 * An emailed bill is read from the attachment that holds it, and that attachment's page is shown;
 * a bill in the email's text has no page, and the answer says so.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { createHttpApp } from '../../src/server/index.ts';
import { emailAttachmentFile, loadDocument, readablePart, renderDocumentPage } from '../../src/ai/documents/index.ts';
import { openTestApp, userWithToken, type TestApp } from '../helpers/app.ts';
import { testDialects } from '../helpers/dialects.ts';
import { acmeInvoice } from '../fixtures/invoices.ts';
import { attachmentPart, mimeMessage, noOcr, pdfBytes, receiptPng, sidewaysJpeg, textPart } from '../ai/documents/fixtures.ts';

type Json = Record<string, unknown>;
interface Span {
  text: string;
  page?: number;
  box?: number[];
  source?: Json;
}

const readBill = {
  id: 'read-bill',
  steps: [
    { id: 'read', type: 'ai', skill: 'read', tier: 'review', input: '{{ input.document }}' },
    { id: 'done', type: 'end' },
  ],
};

/** An email as a mail program sends it (nodemailer's composer): a text body and attachments. */
function email(text: string, attachments: { filename: string; content: Buffer; contentType: string }[] = []): Promise<Buffer> {
  return new MailComposer({ from: 'Acme Supplies <billing@acme.example>', to: 'ana@bakery.example', subject: 'Your invoice', date: new Date('2026-03-02T10:00:00Z'), text, attachments }).compile().build();
}

/** A one-page PDF of terms, with no amounts: what suppliers attach next to the bill. */
function termsPdf(): Promise<Buffer> {
  return pdfBytes((doc) => doc.fontSize(12).text('Terms and conditions: goods remain our property until paid in full.', 50, 50, { width: 480 }));
}

const asFile = (eml: Buffer) => ({ document: { file: { contentBase64: eml.toString('base64'), filename: 'bill.eml', contentType: 'message/rfc822' } } });

/** Width and height from a PNG's header. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', 'the answer is a PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Share of dark pixels of a PNG inside a rectangle given in page units. */
async function inkIn(png: Buffer, page: { width: number; height: number }, rect: { x0: number; y0: number; x1: number; y1: number }): Promise<number> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const g = canvas.getContext('2d');
  g.drawImage(image, 0, 0);
  const sx = image.width / page.width;
  const sy = image.height / page.height;
  const x = Math.floor(rect.x0 * sx);
  const y = Math.floor(rect.y0 * sy);
  const data = g.getImageData(x, y, Math.max(1, Math.ceil((rect.x1 - rect.x0) * sx)), Math.max(1, Math.ceil((rect.y1 - rect.y0) * sy))).data;
  let dark = 0;
  for (let i = 0; i < data.length; i += 4) if ((data[i] ?? 255) + (data[i + 1] ?? 255) + (data[i + 2] ?? 255) < 3 * 128) dark += 1;
  return dark / (data.length / 4);
}

function bounds(box: number[]): { x0: number; y0: number; x1: number; y1: number } {
  const xs = box.filter((_, i) => i % 2 === 0);
  const ys = box.filter((_, i) => i % 2 === 1);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

for (const dialect of testDialects()) {
  describe(`the pages of a read proposal on ${dialect}`, () => {
    let t: TestApp;
    let app: ReturnType<typeof createHttpApp>;
    const as: Record<string, Record<string, string>> = {};
    let pdfTask: { id: string; evidence: { evidence: Record<string, Span[]> } };
    let textTaskId: string;
    let approvalTaskId: string;
    type ReadTask = typeof pdfTask & { proposed: Json };
    let emailTask: ReadTask;
    let photoTask: ReadTask;
    let bodyTask: ReadTask;
    let textAttachmentTask: ReadTask;
    let photo: Buffer;

    const get = (who: string | null, path: string, headers: Record<string, string> = {}) => app.request(path, { headers: { ...(who === null ? {} : as[who]), ...headers } });
    const json = async (who: string | null, path: string) => {
      const res = await get(who, path);
      return { status: res.status, body: (await res.json()) as Json };
    };
    const taskOf = async (runId: string) => {
      const { body } = await json('viewer', '/api/approvals');
      const task = (body.approvals as { id: string; runId: string }[]).find((a) => a.runId === runId);
      assert.ok(task, `run ${runId} waits in the Inbox`);
      return task as unknown as typeof pdfTask;
    };

    before(async () => {
      t = await openTestApp(dialect);
      app = createHttpApp(t.app);
      as.admin = (await userWithToken(t.app, 'admin@example.com', 'admin')).headers;
      as.viewer = (await userWithToken(t.app, 'viewer@example.com', 'viewer')).headers;
      await t.app.engine.addWorkflow(readBill);
      await t.app.engine.addWorkflow({ id: 'pay', steps: [{ id: 'ok', type: 'approval', title: 'Pay?', data: { amount: 10 } }, { id: 'done', type: 'end' }] });
      const pdf = await acmeInvoice();
      const fromPdf = await t.app.engine.startRun('read-bill', { document: { file: { contentBase64: pdf.toString('base64'), filename: 'acme-1042.pdf', contentType: 'application/pdf' } } });
      pdfTask = await taskOf(fromPdf.runId);
      const fromText = await t.app.engine.startRun('read-bill', { document: { text: 'Acme Supplies Ltd\nInvoice No: INV-7\nTotal: 99.00' } });
      textTaskId = (await taskOf(fromText.runId)).id;
      const payRun = await t.app.engine.startRun('pay', {});
      approvalTaskId = (await taskOf(payRun.runId)).id;

      const read = async (eml: Buffer) => (await taskOf((await t.app.engine.startRun('read-bill', asFile(eml))).runId)) as ReadTask;
      // The bill is the second attachment; the first is the supplier's terms.
      emailTask = await read(
        await email('Hello,\n\nplease find attached our invoice.\n\nKind regards,\nAcme', [
          { filename: 'terms.pdf', content: await termsPdf(), contentType: 'application/pdf' },
          { filename: 'acme-1042.pdf', content: pdf, contentType: 'application/pdf' },
        ]),
      );
      photo = await receiptPng();
      photoTask = await read(await email('Sent from my phone', [{ filename: 'IMG_2031.png', content: photo, contentType: 'image/png' }]));
      // The bill is the email's text; the attachment is damaged and cannot be read at all.
      bodyTask = await read(await email('Harbour Fish Co\nInvoice No: HF-88\nDate: 02/03/2026\nTotal: 310.00', [{ filename: 'scan.pdf', content: Buffer.from('%PDF-1.4\nnot really a PDF'), contentType: 'application/pdf' }]));
      textAttachmentTask = await read(await email('Hi, the invoice is attached.', [{ filename: 'invoice.txt', content: Buffer.from('Harbour Fish Co\nInvoice No: HF-88\nTotal: 310.00'), contentType: 'text/plain' }]));
    });
    after(async () => t.close());

    test('the page sizes are in the units of the evidence boxes, and the total is read from inside page 1', async () => {
      const { status, body } = await json('viewer', `/api/approvals/${pdfTask.id}/pages`);
      assert.equal(status, 200, JSON.stringify(body));
      assert.equal(body.source, 'pdf');
      assert.equal(body.filename, 'acme-1042.pdf');
      // A4 is 595.28 × 841.89 points; boxes are in points × 2.
      assert.deepEqual(body.pages, [{ page: 1, width: 1190.56, height: 1683.78 }]);
      const total = pdfTask.evidence.evidence.total;
      assert.ok(total !== undefined && total.length > 0, 'the total has evidence');
      const span = total[0] as Span;
      assert.equal(span.text, '€1,234.56');
      assert.equal(span.page, 1);
      assert.equal(span.box?.length, 8);
      const box = bounds(span.box ?? []);
      assert.ok(box.x0 >= 0 && box.y0 >= 0 && box.x1 <= 1190.56 && box.y1 <= 1683.78, `the box ${JSON.stringify(box)} is on the page`);
      // The total is printed right-aligned at the right margin, under the tax.
      assert.ok(box.x1 > 1000 && box.y0 > 600 && box.y1 < 800, `the box ${JSON.stringify(box)} is where the total is printed`);
    });

    test('a page is a PNG of the page size, with ink under the total and none where nothing is printed', async () => {
      const res = await get('viewer', `/api/approvals/${pdfTask.id}/pages/1`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'image/png');
      const png = Buffer.from(await res.arrayBuffer());
      assert.deepEqual(pngSize(png), { width: 1190, height: 1683 });
      const page = { width: 1190.56, height: 1683.78 };
      const totalBox = bounds(pdfTask.evidence.evidence.total?.[0]?.box ?? []);
      assert.ok((await inkIn(png, page, totalBox)) > 0.05, 'the total box covers printed text');
      assert.equal(await inkIn(png, page, { x0: totalBox.x0 - 300, y0: totalBox.y0, x1: totalBox.x0 - 150, y1: totalBox.y1 }), 0, 'left of the total the page is blank');
      assert.equal(await inkIn(png, page, { x0: 100, y0: 1200, x1: 1000, y1: 1500 }), 0, 'the lower page is blank');
    });

    test('the browser revalidates a page with its ETag instead of fetching it again', async () => {
      const first = await get('viewer', `/api/approvals/${pdfTask.id}/pages/1`);
      await first.body?.cancel();
      const etag = first.headers.get('etag');
      assert.ok(etag !== null);
      assert.match(first.headers.get('cache-control') ?? '', /no-cache/);
      const again = await get('viewer', `/api/approvals/${pdfTask.id}/pages/1`, { 'if-none-match': etag });
      assert.equal(again.status, 304);
      // Credentials are still checked on revalidation.
      assert.equal((await get(null, `/api/approvals/${pdfTask.id}/pages/1`, { 'if-none-match': etag })).status, 401);
    });

    test('a page the document does not have, or that is not a number, is refused by name', async () => {
      const missing = await json('viewer', `/api/approvals/${pdfTask.id}/pages/2`);
      assert.equal(missing.status, 404);
      assert.equal((missing.body.error as Json).code, 'DOCUMENT_PAGE_NOT_FOUND');
      assert.equal((missing.body.error as Json).message, '"acme-1042.pdf" has 1 page; there is no page 2.');
      const bad = await json('viewer', `/api/approvals/${pdfTask.id}/pages/first`);
      assert.equal(bad.status, 400);
      assert.equal(((bad.body.error as Json).details as Json).path, 'path.page');
      assert.equal((await json('viewer', `/api/approvals/${pdfTask.id}/pages/0`)).status, 400);
    });

    test('a reading of plain text, or a task that reads nothing, has no page: 404 with a code that says so', async () => {
      for (const path of [`/api/approvals/${textTaskId}/pages`, `/api/approvals/${textTaskId}/pages/1`]) {
        const { status, body } = await json('viewer', path);
        assert.equal(status, 404, path);
        const error = body.error as Json;
        assert.equal(error.code, 'EVIDENCE_NO_DOCUMENT');
        assert.match(error.message as string, /was given text, not a file/);
      }
      const approval = await json('viewer', `/api/approvals/${approvalTaskId}/pages`);
      assert.equal(approval.status, 404);
      assert.equal((approval.body.error as Json).code, 'EVIDENCE_NO_DOCUMENT');
      assert.match((approval.body.error as Json).message as string, /step "ok" does not read a document/);
      const unknown = await json('viewer', '/api/approvals/no-such-task/pages/1');
      assert.equal(unknown.status, 404);
      assert.equal((unknown.body.error as Json).code, 'APPROVAL_NOT_FOUND');
    });

    test('an emailed invoice is read from its PDF attachment, and the page shown is that attachment\'s, with the boxes on it', async () => {
      assert.equal(emailTask.proposed.vendor, 'Acme Supplies Ltd', 'not "Hello," from the email text');
      assert.equal(emailTask.proposed.total, '€1,234.56');
      const spans = Object.values(emailTask.evidence.evidence).flat();
      assert.ok(spans.length > 3);
      for (const span of spans) assert.deepEqual(span.source, { email: 'attachment', attachment: [1], filename: 'acme-1042.pdf' }, 'every value names the attachment it was read from');

      const { status, body } = await json('viewer', `/api/approvals/${emailTask.id}/pages`);
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(body, { source: 'pdf', filename: 'acme-1042.pdf', attachment: [1], pages: [{ page: 1, width: 1190.56, height: 1683.78 }] });

      const res = await get('viewer', `/api/approvals/${emailTask.id}/pages/1`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'image/png');
      const png = Buffer.from(await res.arrayBuffer());
      assert.deepEqual(pngSize(png), { width: 1190, height: 1683 });
      const page = { width: 1190.56, height: 1683.78 };
      for (const span of spans.filter((s) => s.box !== undefined)) {
        const box = bounds(span.box ?? []);
        assert.equal(span.page, 1);
        assert.ok(box.x0 >= 0 && box.y0 >= 0 && box.x1 <= page.width && box.y1 <= page.height, `the box of "${span.text}" ${JSON.stringify(box)} is on the page`);
        assert.ok((await inkIn(png, page, box)) > 0.02, `the box of "${span.text}" covers printed text`);
      }
      const totalBox = bounds(emailTask.evidence.evidence.total?.[0]?.box ?? []);
      assert.ok(totalBox.x1 > 1000 && totalBox.y0 > 600 && totalBox.y1 < 800, 'the total box is where the attachment prints it');

      const missing = await json('viewer', `/api/approvals/${emailTask.id}/pages/2`);
      assert.equal(missing.status, 404);
      assert.equal((missing.body.error as Json).message, '"acme-1042.pdf" has 1 page; there is no page 2.');
      const etag = res.headers.get('etag');
      assert.ok(etag !== null);
      assert.equal((await get('viewer', `/api/approvals/${emailTask.id}/pages/1`, { 'if-none-match': etag })).status, 304);
    });

    test('a phone photo sent by email is read by OCR and shown as itself, the boxes inside it', async () => {
      const total = photoTask.evidence.evidence.total?.[0];
      assert.equal(photoTask.proposed.total, '7.70');
      assert.deepEqual(total?.source, { email: 'attachment', attachment: [0], filename: 'IMG_2031.png' });
      const size = pngSize(photo);
      const { body } = await json('viewer', `/api/approvals/${photoTask.id}/pages`);
      assert.deepEqual(body, { source: 'image', filename: 'IMG_2031.png', attachment: [0], pages: [{ page: 1, ...size }] });
      const res = await get('viewer', `/api/approvals/${photoTask.id}/pages/1`);
      assert.equal(res.status, 200);
      const png = Buffer.from(await res.arrayBuffer());
      assert.ok(png.equals(photo), 'the attached image itself');
      const box = bounds(total?.box ?? []);
      assert.ok(box.x0 >= 0 && box.y0 >= 0 && box.x1 <= size.width && box.y1 <= size.height, `the total box ${JSON.stringify(box)} is inside the photo`);
      assert.ok((await inkIn(png, size, box)) > 0.05, 'the total box covers the printed total');
    });

    test('a bill in the text of the email is read from the text (a damaged attachment is passed over) and has no page, which the answer says', async () => {
      assert.equal(bodyTask.proposed.vendor, 'Harbour Fish Co');
      assert.equal(bodyTask.proposed.total, '310.00');
      const total = bodyTask.evidence.evidence.total?.[0];
      assert.deepEqual(total?.source, { email: 'body' });
      assert.equal(total?.box, undefined);
      for (const path of [`/api/approvals/${bodyTask.id}/pages`, `/api/approvals/${bodyTask.id}/pages/1`]) {
        const { status, body } = await json('viewer', path);
        assert.equal(status, 404, path);
        assert.equal((body.error as Json).code, 'EVIDENCE_NO_DOCUMENT');
        assert.match((body.error as Json).message as string, /its fields were read from the text of the email "bill\.eml", not from an attachment/);
      }
    });

    test('an attachment that has no page (a text file) is named in a clear 404, not a crash', async () => {
      assert.equal(textAttachmentTask.proposed.total, '310.00');
      assert.deepEqual(textAttachmentTask.evidence.evidence.total?.[0]?.source, { email: 'attachment', attachment: [0], filename: 'invoice.txt' });
      const { status, body } = await json('viewer', `/api/approvals/${textAttachmentTask.id}/pages/1`);
      assert.equal(status, 404);
      assert.equal((body.error as Json).code, 'EVIDENCE_NO_DOCUMENT');
      assert.match((body.error as Json).message as string, /read from the attachment "invoice\.txt" of the email "bill\.eml", which is not a PDF or an image/);
    });

    test('pages need credentials; a viewer may look, and a decided task still shows its pages', async () => {
      assert.equal((await json(null, `/api/approvals/${pdfTask.id}/pages`)).status, 401);
      assert.equal((await get(null, `/api/approvals/${pdfTask.id}/pages/1`)).status, 401);
      assert.equal((await get(null, `/api/approvals/${pdfTask.id}/pages/1`, { authorization: 'Bearer not-a-token' })).status, 401);
      assert.equal((await json('viewer', `/api/approvals/${pdfTask.id}/pages`)).status, 200);

      const reject = await app.request(`/api/approvals/${pdfTask.id}/reject`, { method: 'POST', headers: { ...as.admin, 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'not ours' }) });
      assert.equal(reject.status, 200);
      assert.equal((await json('viewer', `/api/approvals/${pdfTask.id}/pages`)).status, 200);
    });

    test('the pages routes are in the OpenAPI document', async () => {
      const { body } = await json(null, '/api/openapi.json');
      const paths = body.paths as Record<string, Record<string, Json>>;
      assert.equal(paths['/api/approvals/{id}/pages']?.get?.['x-required-role'], 'viewer');
      assert.ok(paths['/api/approvals/{id}/pages/{page}']?.get !== undefined);
    });
  });
}

describe('page images', () => {
  test('a PNG is shown as it is; a sideways phone photo upright, as it was read', async () => {
    const png = await receiptPng();
    const same = await renderDocumentPage(png, { filename: 'receipt.png' }, 1);
    assert.ok(same.png.equals(png));
    assert.deepEqual({ width: same.width, height: same.height }, pngSize(png));
    const photo = await renderDocumentPage(await sidewaysJpeg(), { filename: 'receipt.jpg' }, 1);
    assert.deepEqual({ width: photo.width, height: photo.height }, { width: 520, height: 160 });
    assert.deepEqual(pngSize(photo.png), { width: 520, height: 160 });
  });

  test('an invoice in a forwarded email is found where the email puts it, and its bytes are taken out without reading it', async () => {
    const pdf = await acmeInvoice();
    const inner = await email('See the bill below.', [{ filename: 'acme-1042.pdf', content: pdf, contentType: 'application/pdf' }]);
    // A mail program writes the forwarded message as is, and mailparser opens it in place: its PDF is
    // attachment 0 of the outer email. Sent base64-encoded, the message stays an attachment of its own.
    const inPlace = await email('Forwarding this one.', [{ filename: 'Fwd.eml', content: inner, contentType: 'message/rfc822' }]);
    const encoded = mimeMessage({ Subject: 'Fwd: Your invoice' }, [textPart('Forwarding this one.'), attachmentPart('Fwd.eml', 'message/rfc822', inner)]);
    for (const [eml, path] of [[inPlace, [0]], [encoded, [0, 0]]] as const) {
      const { part, lines } = readablePart(await loadDocument(eml, { filename: 'outer.eml', ocr: noOcr }));
      assert.deepEqual(part, { email: 'attachment', attachment: path, filename: 'acme-1042.pdf' });
      assert.ok(lines.some((line) => line.text === '€1,234.56' && line.box !== null));
      const file = await emailAttachmentFile(eml, { filename: 'outer.eml' }, path);
      assert.equal(file.filename, 'acme-1042.pdf');
      assert.ok(Buffer.from(file.bytes).equals(pdf));
    }
  });

  test('taking out an attachment the email does not have, or one over the size limit, fails by name', async () => {
    const eml = await email('Invoice attached', [{ filename: 'acme-1042.pdf', content: await acmeInvoice(), contentType: 'application/pdf' }]);
    await assert.rejects(emailAttachmentFile(eml, { filename: 'bill.eml' }, [3]), { code: 'DOCUMENT_ATTACHMENT_NOT_FOUND', message: '"bill.eml" has 1 attachment; there is no attachment 4.' });
    await assert.rejects(emailAttachmentFile(eml, { filename: 'bill.eml' }, [0, 0]), { code: 'DOCUMENT_ATTACHMENT_NOT_FOUND', message: '"acme-1042.pdf" is not an email, so it has no attachment 1.' });
    await assert.rejects(emailAttachmentFile(eml, { filename: 'bill.eml' }, [0], { maxAttachmentBytes: 1000 }), { code: 'DOCUMENT_TOO_LARGE', message: /^"acme-1042\.pdf" is [\d.]+ KB \(limit: maxAttachmentBytes = 1000 bytes\)\.$/ });
  });

  test('drawing a page stops when its time is up', async () => {
    const reason = new Error('out of time');
    await assert.rejects(renderDocumentPage(await acmeInvoice(), {}, 1, { signal: AbortSignal.abort(reason) }), (error) => error === reason);
  });
});
