/**
 * Managing records in the web UI, in Chromium: the owner edits a client's email (a bad reminder
 * cadence is explained beside its field first), voids an invoice after saying why, and revokes an
 * API token — which then no longer works. Screens are saved under test-output/screenshots/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { browserSkipReason, ensureWebBuilt, launchBrowser, openSignedIn, screenshot, unnamedControls } from '../helpers/browser.ts';
import { listen, type RunningServer } from '../../src/server/index.ts';
import { changeStatus, createDraftFromSentence } from '../../src/domains/finance/index.ts';

const skip = browserSkipReason();
const password = 'correct horse battery';

describe('managing clients, documents and tokens in Chromium', { skip }, () => {
  let t: TestApp;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let token: string;
  let invoice: string;
  const pageErrors: string[] = [];

  before(async () => {
    const built = ensureWebBuilt();
    t = await openTestApp('sqlite', { realClock: true, config: { businessName: 'Northwind Design' } });
    await t.app.governance.addUser({ email: 'ana@northwind.example', name: 'Ana Owner', role: 'owner', password });
    token = (await t.app.governance.createToken('ana@northwind.example', 'ci script')).token;
    const deps = { committer: t.app.engine.committer, dialect: t.app.database.dialect, now: () => t.app.engine.clock.now(), hooks: t.app.engine.hooks };
    const { document } = await createDraftFromSentence(deps, 'Invoice Acme Ltd $2,500 for website development due in 14 days');
    assert.ok(document);
    invoice = document.number;
    await changeStatus(deps, document.id, 'sent', 'user:ana@northwind.example');
    server = await listen(t.app);
    [browser] = await Promise.all([launchBrowser(), built]);
    page = await openSignedIn(browser, server.url, 'ana@northwind.example', password, { errors: pageErrors });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  const go = async (link: string, heading: string) => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
    await page.getByRole('heading', { name: heading, exact: true, level: 1 }).waitFor();
    await page.locator('.loading').first().waitFor({ state: 'detached' });
  };

  test("edit a client's email; a bad cadence is explained beside its field", async () => {
    await go('Clients', 'Clients');
    const row = page.getByRole('row', { name: /Acme Ltd/ });
    assert.match(await row.innerText(), /2,500\.00/, 'what Acme owes');
    await row.getByRole('button', { name: 'Edit Acme Ltd' }).click();
    const form = page.getByRole('form', { name: 'Edit Acme Ltd' });
    await form.getByLabel('Email').fill('billing@acme.example');
    await form.getByLabel('Reminder cadence').fill('every week');
    await form.getByRole('button', { name: 'Save client' }).click();
    await form.locator('.field-error .field-hint').filter({ hasText: /days relative to the due date/ }).waitFor();
    assert.deepEqual(await unnamedControls(page), [], 'every control in the dialog has a name');
    await screenshot(page, 'manage-01-client-error');
    await form.getByLabel('Reminder cadence').fill('-3,0,7');
    await form.getByRole('button', { name: 'Save client' }).click();
    await page.getByText('Saved Acme Ltd.').waitFor();
    await row.getByText('billing@acme.example').waitFor();
    assert.match(await row.innerText(), /-3,0,7/);
    await screenshot(page, 'manage-02-clients');
    const stored = await t.app.database.db.selectFrom('counterparties').select(['email', 'reminder_cadence']).where('name', '=', 'Acme Ltd').executeTakeFirstOrThrow();
    assert.deepEqual(stored, { email: 'billing@acme.example', reminder_cadence: '-3,0,7' });
  });

  test('void an invoice after saying why', async () => {
    await go('Documents', 'Documents');
    await page.getByRole('link', { name: invoice }).click();
    await page.getByRole('button', { name: 'Void', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Void ${invoice}?` });
    const confirm = dialog.getByRole('button', { name: `Void ${invoice}` });
    assert.equal(await confirm.isDisabled(), true, 'not without a reason');
    await dialog.getByLabel('Why is it void?').fill('The client cancelled the project');
    await screenshot(page, 'manage-03-void-confirm');
    await confirm.click();
    await page.getByTestId('action-outcome').filter({ hasText: `${invoice} is void` }).waitFor();
    assert.match(await page.locator('.page-header .badge').innerText(), /Void/);
    assert.equal(await page.getByRole('button', { name: 'Void', exact: true }).count(), 0, 'nothing left to void');
    await screenshot(page, 'manage-04-voided');
    const status = await t.app.database.db.selectFrom('documents').select('status').where('number', '=', invoice).executeTakeFirstOrThrow();
    assert.equal(status.status, 'void');
  });

  test('an exception of no run (a payment to refund) is marked handled with a note', async () => {
    await t.app.engine.committer.unit(async (tx) => {
      const now = t.app.engine.clock.now();
      await tx
        .insertInto('exceptions')
        .values({ id: 'refund-1', run_id: null, step_id: null, outbox_id: null, kind: 'payment_conflict', code: 'PAYMENT_OVERPAID', message: 'Stripe payment pi_1 paid 50.00 USD more than was due; refund it in Stripe.', owner: 'role:admin', status: 'open', resolution: null, created_at: now, resolved_at: null })
        .execute();
    });
    await go('Inbox', 'Inbox');
    const card = page.getByRole('article', { name: 'Needs you: Payment overpaid' });
    await card.getByText(/refund it in Stripe/).waitFor();
    assert.equal(await card.getByRole('button', { name: 'Mark handled' }).isDisabled(), true, 'a note is needed first');
    await card.getByLabel('What was done').fill('refunded 50.00 in Stripe');
    await screenshot(page, 'manage-07-exception-without-run');
    await card.getByRole('button', { name: 'Mark handled' }).click();
    await card.waitFor({ state: 'detached' });
    const row = await t.app.database.db.selectFrom('exceptions').select(['status', 'resolution']).where('id', '=', 'refund-1').executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'resolved', resolution: 'handled' });
  });

  test('revoke an API token; it stops working', async () => {
    assert.equal((await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
    await go('Settings', 'Settings');
    const tokens = page.getByRole('list', { name: 'Your API tokens' });
    await tokens.getByRole('listitem').filter({ hasText: 'ci script' }).waitFor();
    await screenshot(page, 'manage-05-settings');
    await tokens.getByRole('button', { name: /^Revoke ci script/ }).click();
    await page.getByRole('dialog', { name: 'Revoke ci script?' }).getByRole('button', { name: 'Revoke token' }).click();
    await page.getByText(/^Revoked ci script/).waitFor();
    await tokens.getByRole('listitem').filter({ hasText: 'ci script' }).waitFor({ state: 'detached' });
    await screenshot(page, 'manage-06-token-revoked');
    assert.equal((await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status, 401, 'the revoked token is refused');
    assert.deepEqual(pageErrors, [], 'no script errors');
  });
});
