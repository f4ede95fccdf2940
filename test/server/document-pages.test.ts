/** A document's pages as images: the preview the Documents screen shows in every browser. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createDraftFromSentence } from '../../src/domains/finance/index.ts';
import { createHttpApp } from '../../src/server/index.ts';
import { openTestApp, userWithToken, type TestApp } from '../helpers/app.ts';
import { testDialects } from '../helpers/dialects.ts';

for (const dialect of testDialects()) {
  describe(`document page images on ${dialect}`, () => {
    let t: TestApp;
    let http: ReturnType<typeof createHttpApp>;
    let viewer: Record<string, string>;
    let id: string;
    before(async () => {
      t = await openTestApp(dialect);
      http = createHttpApp(t.app);
      viewer = (await userWithToken(t.app, 'viewer@example.com', 'viewer')).headers;
      const { document } = await createDraftFromSentence({ committer: t.app.engine.committer, dialect: t.app.database.dialect, now: () => t.clock.now() }, 'Invoice Acme Ltd $2,500 for website development due in 14 days', { today: '2026-01-05' });
      assert.ok(document);
      id = document.id;
    });
    after(async () => t.close());

    test('an A4 invoice is one page, drawn as a PNG of its size; a page it does not have is 404', async () => {
      assert.equal((await http.request(`/api/documents/${id}/pages`)).status, 401);
      const sizes = (await (await http.request(`/api/documents/${id}/pages`, { headers: viewer })).json()) as { pages: { page: number; width: number; height: number }[] };
      assert.deepEqual(sizes.pages.map((p) => [p.page, Math.round(p.width), Math.round(p.height)]), [[1, 1191, 1684]]);
      const png = await http.request(`/api/documents/${id}/pages/1`, { headers: viewer });
      assert.equal(png.status, 200);
      assert.equal(png.headers.get('content-type'), 'image/png');
      const bytes = new Uint8Array(await png.arrayBuffer());
      assert.deepEqual([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join(''), 'PNG');
      const width = new DataView(bytes.buffer, bytes.byteOffset).getUint32(16);
      assert.ok(width >= 1190 && width <= 1191, `drawn at the page's size (${width})`);
      assert.equal((await http.request(`/api/documents/${id}/pages/2`, { headers: viewer })).status, 404);
      assert.equal((await http.request(`/api/documents/${id}/pages/zero`, { headers: viewer })).status, 400);
      assert.equal((await http.request('/api/documents/INV-9999-0001/pages/1', { headers: viewer })).status, 404);
    });
  });
}
