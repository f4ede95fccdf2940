/**
 * A credit note in the web UI, in Chromium: the owner credits an invoice that was mostly paid,
 * sends the credit note, and sees on it what settled the invoice and what is left as the client's
 * credit; the invoice shows money paid and credit apart, and nothing outstanding; the client's
 * page shows the credit the business owes back.
 * Screens are saved under test-output/screenshots/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { browserSkipReason, ensureWebBuilt, launchBrowser, openSignedIn, screenshot } from '../helpers/browser.ts';
import { listen, type RunningServer } from '../../src/server/index.ts';
import { changeStatus, createDraftFromSentence, recordPayment } from '../../src/domains/finance/index.ts';

const skip = browserSkipReason();
const password = 'correct horse battery';

describe('a credit note in Chromium', { skip }, () => {
  let t: TestApp;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let invoice: { id: string; number: string };
  const pageErrors: string[] = [];

  before(async () => {
    const built = ensureWebBuilt();
    t = await openTestApp('sqlite', { realClock: true, config: { businessName: 'Northwind Design' } });
    await t.app.governance.addUser({ email: 'ana@northwind.example', name: 'Ana Owner', role: 'owner', password });
    const deps = { committer: t.app.engine.committer, dialect: t.app.database.dialect, now: () => t.app.engine.clock.now(), hooks: t.app.engine.hooks };
    const { document } = await createDraftFromSentence(deps, 'Invoice Acme Ltd $1,000 for website development due in 14 days');
    assert.ok(document);
    invoice = document;
    await changeStatus(deps, document.id, 'sent', 'user:ana@northwind.example');
    await t.app.engine.committer.unit((tx) => recordPayment(tx, deps, document.id, { amount: '900.00', paidOn: '2026-01-06' }, 'user:ana@northwind.example', deps.now()));
    server = await listen(t.app);
    [browser] = await Promise.all([launchBrowser(), built]);
    page = await openSignedIn(browser, server.url, 'ana@northwind.example', password, { errors: pageErrors });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  /** The facts of the document's Payment (or Credit) card, as a person reads them. */
  const facts = async (): Promise<Record<string, string>> => {
    const items = await page.locator('dl.facts > div').evaluateAll((nodes) => nodes.map((n) => [n.querySelector('dt')?.textContent ?? '', n.querySelector('dd')?.textContent ?? '']));
    return Object.fromEntries(items);
  };

  test('credit a mostly paid invoice: the credit note shows what it settled and what the client keeps', async () => {
    await page.goto(`${server.url}/documents/${invoice.id}`);
    await page.getByRole('heading', { name: `Invoice ${invoice.number}`, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Credit note', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Credit note for ${invoice.number}` });
    await dialog.getByLabel(/Amount to credit/).fill('150');
    await dialog.getByLabel('Reason').fill('Two pages were dropped');
    await dialog.getByRole('button', { name: 'Create credit note' }).click();
    await page.getByRole('heading', { name: /^Credit note CN-/, level: 1 }).waitFor();
    await page.locator('dl.facts dt', { hasText: 'Applies to' }).waitFor();
    assert.match((await facts())['Applies to'] ?? '', new RegExp(`${invoice.number}, when it is sent`));

    await page.getByRole('button', { name: 'Mark sent and get link' }).click();
    await page.locator('dl.facts dt', { hasText: `Applied to ${invoice.number}` }).waitFor();
    const note = await facts();
    assert.equal(note[`Applied to ${invoice.number}`], '$100.00', 'only what the invoice still owed');
    assert.equal(note["Client's credit (refund due)"], '$50.00');
    await screenshot(page, 'credit-01-credit-note');

    await page.goto(`${server.url}/documents/${invoice.id}`);
    await page.getByRole('heading', { name: `Invoice ${invoice.number}`, level: 1 }).waitFor();
    await page.locator('dl.facts dt', { hasText: 'Credited' }).waitFor();
    const paid = await facts();
    assert.deepEqual([paid.Paid, paid.Credited, paid.Outstanding], ['$900.00', '$100.00', '$0.00']);
    assert.match(await page.locator('.page-header .badge').innerText(), /Paid/);
    await screenshot(page, 'credit-02-invoice');

    // The client's page says what the business owes back.
    await page.goto(`${server.url}/clients`);
    await page.getByRole('link', { name: 'Acme Ltd' }).click();
    await page.getByRole('heading', { name: 'Acme Ltd', level: 1 }).waitFor();
    await page.locator('dl.facts dt', { hasText: 'Credit to refund or use' }).waitFor();
    const client = await facts();
    assert.equal(client['Credit to refund or use'], '$50.00');
    assert.equal(client['Owes you'], '—');
    assert.deepEqual(pageErrors, []);
  });
});
