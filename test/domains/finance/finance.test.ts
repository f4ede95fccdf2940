/** Finance records: drafts from one sentence, numbering without gaps under concurrency, status rules. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OpsLoop } from '../../../src/app.ts';
import { createLogger } from '../../../src/core/logger.ts';
import { canTransition, createDraftFromSentence, formatNumber, getDocument, listDocuments, periodOf, changeStatus } from '../../../src/domains/finance/index.ts';
import { createHttpApp } from '../../../src/server/index.ts';
import { openTestApp, userWithToken, type TestApp } from '../../helpers/app.ts';
import { createTestDatabase, testDialects } from '../../helpers/dialects.ts';

describe('numbering and status rules', () => {
  test('patterns format the year, month and a padded counter; the counter restarts per period', () => {
    assert.equal(formatNumber('INV-{YYYY}-{0000}', '2026-11-22', 7), 'INV-2026-0007');
    assert.equal(formatNumber('Q{YY}{MM}-{000}', '2026-03-01', 12), 'Q2603-012');
    assert.equal(periodOf('INV-{YYYY}-{0000}', '2026-11-22'), '2026');
    assert.equal(periodOf('INV-{0000}', '2026-11-22'), 'all');
    assert.equal(periodOf('{YYYY}{MM}-{00}', '2026-11-22'), '2026-11');
  });
  const cases: [string, string, string, boolean][] = [
    ['invoice', 'draft', 'sent', true],
    ['invoice', 'sent', 'partially_paid', true],
    ['invoice', 'partially_paid', 'paid', true],
    ['invoice', 'paid', 'void', false],
    ['invoice', 'sent', 'accepted', false],
    ['quote', 'sent', 'accepted', true],
    ['quote', 'sent', 'paid', false],
    ['invoice', 'void', 'draft', false],
  ];
  for (const [kind, from, to, ok] of cases) {
    test(`${kind}: ${from} → ${to} is ${ok ? 'allowed' : 'refused'}`, () => assert.equal(canTransition(kind as never, from as never, to as never), ok));
  }
});

for (const dialect of testDialects()) {
  describe(`finance documents on ${dialect}`, () => {
    let t: TestApp;
    const deps = () => ({ committer: t.app.engine.committer, dialect: t.app.database.dialect, now: () => t.clock.now(), hooks: t.app.engine.hooks });
    before(async () => {
      t = await openTestApp(dialect);
    });
    after(async () => t.close());

    test('one sentence becomes a numbered draft with computed totals, a client, and audit entries', async () => {
      const { draft, document } = await createDraftFromSentence(deps(), 'Invoice Acme Ltd $2,500 for website development + 20% VAT due in 14 days', { today: '2026-11-22' });
      assert.equal(draft.total, '3000.00');
      assert.ok(document);
      assert.deepEqual([document.number, document.status, document.client.name, document.subtotal, document.taxTotal, document.total, document.dueDate], ['INV-2026-0001', 'draft', 'Acme Ltd', '2500.00', '500.00', '3000.00', '2026-12-06']);
      const again = await createDraftFromSentence(deps(), 'Invoice ACME LIMITED $100 for hosting', { today: '2026-11-23' });
      assert.equal(again.document?.client.id, document.client.id, 'the same client, written differently');
      assert.equal(again.document?.number, 'INV-2026-0002');
      const audit = await t.app.governance.searchAudit({ subjectId: document.id });
      assert.equal(audit[0]?.action, 'record.created');
      assert.equal((await t.app.governance.verifyAudit()).ok, true);
    });

    test('a dry run and an unreadable sentence create nothing', async () => {
      const before = (await listDocuments(t.app.database.db)).length;
      const dry = await createDraftFromSentence(deps(), 'Quote Bright Dental €1.200,50 for 3 months of SEO, valid 30 days', { today: '2026-11-22', dryRun: true });
      assert.equal(dry.document, null);
      assert.equal(dry.draft.kind, 'quote');
      await assert.rejects(createDraftFromSentence(deps(), 'Invoice Acme for design work', { today: '2026-11-22' }), { code: 'DRAFT_AMOUNT_MISSING' });
      await assert.rejects(createDraftFromSentence(deps(), 'Invoice Acme XYZ 100 for design', { today: '2026-11-22' }), { code: 'DRAFT_CURRENCY_UNKNOWN' });
      assert.equal((await listDocuments(t.app.database.db)).length, before);
    });

    test('status changes follow the rules and are audited with before and after', async () => {
      const { document } = await createDraftFromSentence(deps(), 'Invoice Zeta Co $40 for a call', { today: '2026-11-22' });
      assert.ok(document);
      const sent = await changeStatus(deps(), document.number, 'sent', 'user:ann');
      assert.equal(sent.status, 'sent');
      await assert.rejects(changeStatus(deps(), document.number, 'accepted', 'user:ann'), { code: 'DOCUMENT_STATUS_CONFLICT' });
      assert.equal((await getDocument(t.app.database.db, document.id)).status, 'sent');
      const [entry] = await t.app.governance.searchAudit({ subjectId: document.id, action: 'record.changed' });
      assert.deepEqual(entry?.data, { before: { status: 'draft' }, after: { status: 'sent' } });
    });

    test('POST /api/documents/draft returns the draft and the document; errors name the problem', async () => {
      const http = createHttpApp(t.app);
      const admin = await userWithToken(t.app, `fin-${dialect}@example.com`, 'admin');
      const ok = await http.request('/api/documents/draft', { method: 'POST', headers: { ...admin.headers, 'content-type': 'application/json' }, body: JSON.stringify({ sentence: 'Credit note for Northwind Traders, £150 refund on invoice INV-0042', today: '2026-11-22' }) });
      assert.equal(ok.status, 201);
      const body = (await ok.json()) as { draft: { kind: string; reference: string }; document: { number: string } };
      assert.deepEqual([body.draft.kind, body.draft.reference, body.document.number], ['credit_note', 'INV-0042', 'CN-2026-0001']);
      const bad = await http.request('/api/documents/draft', { method: 'POST', headers: { ...admin.headers, 'content-type': 'application/json' }, body: JSON.stringify({ sentence: 'Invoice Acme' }) });
      assert.equal(bad.status, 400);
      assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'DRAFT_AMOUNT_MISSING');
    });
  });
}

describe('numbering under concurrency', () => {
  for (const dialect of testDialects()) {
    test(`numbers stay unique and without gaps with two processes writing at once (${dialect})`, { timeout: 60_000 }, async () => {
      const db = await createTestDatabase(dialect);
      const open = (id: string) => OpsLoop.open({ env: {}, config: { ...db.config, workerId: id }, logger: createLogger('silent') });
      const a = await open('a');
      const b = await open('b');
      try {
        const depsOf = (app: OpsLoop) => ({ committer: app.engine.committer, dialect: app.database.dialect, now: () => Date.now() });
        await Promise.all(
          Array.from({ length: 30 }, (_, i) => createDraftFromSentence(depsOf(i % 2 === 0 ? a : b), `Invoice ${["Acme Ltd", "Bright Dental", "Jones Plumbing", "Northwind Traders", "Zeta Co"][i % 5]} $${100 + i} for work`, { today: '2026-11-22' })),
        );
        const numbers = (await listDocuments(a.database.db, { limit: 100 })).map((d) => d.number).sort();
        assert.deepEqual(numbers, Array.from({ length: 30 }, (_, i) => `INV-2026-${String(i + 1).padStart(4, '0')}`));
      } finally {
        await a.close();
        await b.close();
        await db.cleanup();
      }
    });
  }
});

describe('document PDFs', () => {
  test('a stored document renders with its number, client, lines and totals; the API serves it', async () => {
    const t = await openTestApp('sqlite', { config: { businessName: 'Północ Design' } });
    try {
      const deps = { committer: t.app.engine.committer, dialect: t.app.database.dialect, now: () => t.clock.now() };
      const { document } = await createDraftFromSentence(deps, 'Invoice Żabka Café €1.200,50 for brand design + 19% VAT due in 30 days', { today: '2026-11-22' });
      assert.ok(document);
      const http = createHttpApp(t.app);
      const viewer = await userWithToken(t.app, 'v@example.com', 'viewer');
      const res = await http.request(`/api/documents/${document.number}/pdf`, { headers: viewer.headers });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/pdf');
      const bytes = new Uint8Array(await res.arrayBuffer());
      const { getDocument: open } = await import('pdfjs-dist/legacy/build/pdf.mjs');
      const pdf = await open({ data: bytes }).promise;
      const page = await pdf.getPage(1);
      const text = (await page.getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join(' ');
      for (const expected of [document.number, 'Żabka Café', 'Północ Design', 'brand design', '1,428.60']) assert.ok(text.includes(expected), `${expected} in: ${text}`);
      assert.equal((await http.request('/api/documents/INV-9999-0001/pdf', { headers: viewer.headers })).status, 404);
    } finally {
      await t.close();
    }
  });
});
