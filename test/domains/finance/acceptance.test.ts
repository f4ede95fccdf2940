/** A client accepts a quote at its public link; the quote becomes an invoice with the same lines. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createDraftFromSentence, getDocument } from '../../../src/domains/finance/index.ts';
import { createHttpApp } from '../../../src/server/index.ts';
import { openTestApp, userWithToken, type TestApp } from '../../helpers/app.ts';
import { testDialects } from '../../helpers/dialects.ts';

for (const dialect of testDialects()) {
  describe(`quote acceptance on ${dialect}`, () => {
    let t: TestApp;
    let http: ReturnType<typeof createHttpApp>;
    let admin: Record<string, string>;
    before(async () => {
      t = await openTestApp(dialect, { config: { businessName: 'Northwind Design' } });
      t.clock.set('2026-11-22T10:00:00Z');
      http = createHttpApp(t.app);
      admin = (await userWithToken(t.app, 'admin@example.com', 'admin')).headers;
    });
    after(async () => t.close());
    const deps = () => ({ committer: t.app.engine.committer, dialect: t.app.database.dialect, now: () => t.clock.now() });
    const share = async (number: string) => ((await (await http.request(`/api/documents/${number}/link`, { method: 'POST', headers: admin })).json()) as { link: string }).link;

    test('the client reads the quote, accepts it, and a draft invoice carries its lines', async () => {
      const { document: quote } = await createDraftFromSentence(deps(), 'Quote Bright Dental €1.200,50 for 3 months of SEO, valid 30 days', { today: '2026-11-22' });
      assert.ok(quote);
      const link = await share(quote.number);
      assert.match(link, /^\/q\/[A-Za-z0-9_-]{32}$/);
      const pageHtml = await (await http.request(link)).text();
      assert.match(pageHtml, /Quote QUO-2026-0001/);
      assert.match(pageHtml, /Total 1200\.50 EUR/);
      assert.match(pageHtml, /Accept/);
      const accepted = await http.request(`${link}/accept`, { method: 'POST' });
      assert.equal(accepted.status, 200);
      assert.match(await accepted.text(), /QUO-2026-0001 is accepted/);
      const after = await getDocument(t.app.database.db, quote.id);
      assert.equal(after.status, 'accepted');
      const invoice = await getDocument(t.app.database.db, 'INV-2026-0001');
      assert.deepEqual([invoice.kind, invoice.status, invoice.client.name, invoice.reference, invoice.total, invoice.lines[0]?.description], ['invoice', 'draft', 'Bright Dental', 'QUO-2026-0001', '1200.50', '3 months of SEO']);
      const twice = await http.request(`${link}/accept`, { method: 'POST' });
      assert.equal(twice.status, 409);
      assert.match(await twice.text(), /cannot go from accepted to accepted/);
    });

    test('a declined quote creates nothing; a wrong link or an expired quote is a readable refusal', async () => {
      const { document: quote } = await createDraftFromSentence(deps(), 'Quote Zeta Co $900 for a workshop, valid 7 days', { today: '2026-11-22' });
      assert.ok(quote);
      const link = await share(quote.number);
      assert.equal((await http.request(`${link}/decline`, { method: 'POST' })).status, 200);
      assert.equal((await getDocument(t.app.database.db, quote.id)).status, 'declined');
      assert.equal((await http.request('/q/not-a-real-link-at-all-really')).status, 404);
      const { document: old } = await createDraftFromSentence(deps(), 'Quote Acme Ltd $100 for a logo, valid 10 days', { today: '2026-10-01' });
      assert.ok(old);
      const oldLink = await share(old.number);
      const expired = await http.request(`${oldLink}/accept`, { method: 'POST' });
      assert.equal(expired.status, 409);
      assert.match(await expired.text(), /was valid until 2026-10-11/);
      const audit = await t.app.governance.searchAudit({ subjectId: quote.id, action: 'record.changed' });
      assert.ok(audit.some((e) => JSON.stringify(e.data).includes('declined')));
    });
  });
}
