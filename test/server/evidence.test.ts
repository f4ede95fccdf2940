/**
 * The pages behind a read proposal: a workflow reads a PDF invoice the test makes, the reading
 * waits in the Inbox, and the API gives the invoice's pages as PNG with their sizes, so the
 * evidence boxes land on the words they were read from. A reading of plain text has no page.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { createHttpApp } from '../../src/server/index.ts';
import { renderDocumentPage } from '../../src/ai/documents/index.ts';
import { openTestApp, userWithToken, type TestApp } from '../helpers/app.ts';
import { testDialects } from '../helpers/dialects.ts';
import { acmeInvoice } from '../fixtures/invoices.ts';
import { receiptPng, sidewaysJpeg } from '../ai/documents/fixtures.ts';

type Json = Record<string, unknown>;
interface Span {
  text: string;
  page?: number;
  box?: number[];
}

const readBill = {
  id: 'read-bill',
  steps: [
    { id: 'read', type: 'ai', skill: 'read', tier: 'review', input: '{{ input.document }}' },
    { id: 'done', type: 'end' },
  ],
};


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

  test('drawing a page stops when its time is up', async () => {
    const reason = new Error('out of time');
    await assert.rejects(renderDocumentPage(await acmeInvoice(), {}, 1, { signal: AbortSignal.abort(reason) }), (error) => error === reason);
  });
});
