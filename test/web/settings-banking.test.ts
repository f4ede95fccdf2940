/**
 * Settings in Chromium, for an owner: the bank reconciliation threshold (a value out of range is
 * explained beside its field and nothing is stored; 97 % is saved, and the Bank screen's next
 * reconciliation names it and sends a 95 % match to the Inbox), and another person's API token,
 * seen with whose it is and revoked — after which it no longer works. Screens go to
 * test-output/screenshots/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { browserSkipReason, ensureWebBuilt, launchBrowser, openSignedIn, screenshot, unnamedControls } from '../helpers/browser.ts';
import { listen, type RunningServer } from '../../src/server/index.ts';
import { getDocument, importStatement } from '../../src/domains/finance/index.ts';
import { sendInvoices } from '../domains/finance/banking/helpers.ts';

const skip = browserSkipReason();
const password = 'correct horse battery';

describe('bank reconciliation and everyone’s tokens in Settings, in Chromium', { skip }, () => {
  let t: TestApp;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let bobToken: string;
  const pageErrors: string[] = [];

  const go = async (link: string, heading: string) => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
    await page.getByRole('heading', { name: heading, exact: true, level: 1 }).waitFor();
    await page.locator('.loading').first().waitFor({ state: 'detached' });
  };
  const storedThreshold = async (): Promise<string | undefined> => (await t.app.database.db.selectFrom('settings').select('value').where('key', '=', 'banking').executeTakeFirst())?.value;

  before(async () => {
    const built = ensureWebBuilt();
    // OPSLOOP_RECONCILE_THRESHOLD is not set: 90 % applies until the owner changes it.
    t = await openTestApp('sqlite', { realClock: true, env: {}, config: { businessName: 'Northwind Design' } });
    await t.app.governance.addUser({ email: 'ana@northwind.example', name: 'Ana Owner', role: 'owner', password });
    await t.app.governance.addUser({ email: 'bob@northwind.example', name: 'Bob Admin', role: 'admin', password });
    bobToken = (await t.app.governance.createToken('bob@northwind.example', 'bob laptop')).token;
    await t.app.governance.createToken('ana@northwind.example', 'ana script');
    server = await listen(t.app);
    [browser] = await Promise.all([launchBrowser(), built]);
    page = await openSignedIn(browser, server.url, 'ana@northwind.example', password, { errors: pageErrors });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  test('the owner sets the reconciliation threshold to 97 % and the next reconciliation uses it', async () => {
    await go('Settings', 'Settings');
    const card = page.locator('section.card').filter({ has: page.getByRole('heading', { name: 'Bank reconciliation' }) });
    await card.getByText('Matches at least 90% sure are applied without asking; the others wait for a person in the Inbox (set where OpsLoop runs (OPSLOOP_RECONCILE_THRESHOLD)).').waitFor();
    const form = card.getByRole('form', { name: 'Bank reconciliation settings' });
    const field = form.getByLabel('Apply matches at least this sure (%)');
    assert.equal(await field.getAttribute('placeholder'), '90');

    await field.fill('20');
    await form.getByRole('button', { name: 'Save bank reconciliation' }).click();
    await form.getByText('must be a percentage from 50 to 100 (100 = always ask a person)').waitFor();
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.equal(await storedThreshold(), undefined, 'nothing stored');

    await field.fill('97');
    await field.press('Enter');
    await form.getByText('Saved. The next reconciliation uses it.').waitFor();
    await card.getByText(/^Matches at least 97% sure are applied without asking.*\(set here\)\.$/).waitFor();
    assert.equal(await field.getAttribute('aria-invalid'), null);
    assert.deepEqual(JSON.parse((await storedThreshold()) ?? '{}'), { reconcileThreshold: 0.97 });
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-banking-01-threshold-saved');

    // A payment naming its invoice with the exact amount but no payer's name: 95 % sure, below 97 %.
    const [number] = await sendInvoices(t, ['Invoice Acme Ltd $120 for a domain']);
    await importStatement(t.app.engine, { format: 'csv', content: `Date,Amount,Reference\n2026-01-03,120.00,${number ?? ''}`, account: 'GB33BUKB20201555555555', currency: 'USD', mapping: { date: 'Date', amount: 'Amount', reference: 'Reference' } });
    await go('Bank', 'Bank');
    await page.getByRole('button', { name: 'Reconcile' }).click();
    const threshold = page.getByTestId('reconcile-threshold');
    await threshold.waitFor();
    assert.equal((await threshold.innerText()).trim(), 'Matches at least 97% sure are applied at once; the others wait for a person in the Inbox (threshold set in Settings — change it in Settings).');
    await page.getByTestId('reconcile-proposed').getByText(number ?? '').first().waitFor();
    assert.equal((await getDocument(t.app.database.db, number ?? '')).status, 'sent', 'not applied without asking');
    await screenshot(page, 'settings-banking-02-bank-names-threshold');
  });

  test("the owner sees another person's token and revokes it; it stops working", async () => {
    assert.equal((await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${bobToken}` } })).status, 200);
    await go('Settings', 'Settings');
    const mine = page.getByRole('list', { name: 'Your API tokens' });
    await mine.getByRole('listitem').filter({ hasText: 'ana script' }).waitFor();
    assert.equal(await mine.getByText('bob laptop').count(), 0, 'only your own in your list');
    const others = page.getByRole('list', { name: "Other people's API tokens" });
    const bob = others.getByRole('listitem').filter({ hasText: 'bob laptop' });
    await bob.getByText('of bob@northwind.example').waitFor();
    await others.scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-banking-03-everyones-tokens');

    await bob.getByRole('button', { name: /^Revoke bob laptop .* of bob@northwind\.example$/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke bob laptop?' });
    await dialog.getByText(/bob@northwind\.example's token starting with/).waitFor();
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await page.getByText(/^Revoked bob laptop \(.*…\) of bob@northwind\.example: it no longer works\.$/).waitFor();
    await bob.waitFor({ state: 'detached' });
    await page.getByText('Nobody else has an API token.').waitFor();
    await screenshot(page, 'settings-banking-04-token-revoked');
    assert.equal((await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${bobToken}` } })).status, 401, 'the revoked token is refused');
    await mine.getByRole('listitem').filter({ hasText: 'ana script' }).waitFor();
    assert.deepEqual(await unnamedControls(page), []);
    assert.deepEqual(pageErrors, [], 'no script errors');
  });
});
