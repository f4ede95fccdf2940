/**
 * The web UI in a real browser, as a person meets it: first start creates the owner; an invoice
 * from one sentence for a new client waits in the Inbox; one keypress approves it; the run goes
 * on and the client's email with the PDF arrives; the Dashboard counts the run. Every screen is
 * saved under test-output/screenshots/ for a person to look at. The Inbox is checked for the
 * accessibility basics: named controls, keyboard operation, text contrast.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';
import { browserSkipReason, ensureWebBuilt, launchBrowser, lowContrastText, screenshot, unnamedControls, pageTimeoutMs } from '../helpers/browser.ts';
import { listen, type RunningServer } from '../../src/server/index.ts';
import { installPlaybooks } from '../../src/domains/finance/playbooks/index.ts';

const skip = browserSkipReason();

describe('the web UI in Chromium', { skip }, () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    const built = ensureWebBuilt();
    smtp = await startSmtpSink();
    t = await openTestApp('sqlite', { realClock: true, config: { smtpUrl: smtp.url, businessName: 'Northwind Design' } });
    await installPlaybooks(t.app.engine, t.app.governance);
    await t.app.worker.start();
    server = await listen(t.app);
    [browser] = await Promise.all([launchBrowser(), built]);
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    page.setDefaultTimeout(pageTimeoutMs);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    await t?.close();
    await smtp?.close();
  });

  test('first start creates the owner, who lands in an empty Inbox that says what to do', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Welcome to OpsLoop' }).waitFor();
    await screenshot(page, '01-first-start');
    await page.getByLabel('Your name').fill('Ana Owner');
    await page.getByLabel('Email').fill('ana@northwind.example');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create owner and start' }).click();
    await page.getByRole('heading', { name: 'You are all caught up' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/inbox');
    await screenshot(page, '02-inbox-empty');
  });

  test('an invoice from one sentence for a new client waits in the Inbox', async () => {
    await page.getByRole('link', { name: 'create an invoice from one sentence' }).click();
    await page.getByLabel('What should the document say?').fill('Invoice Acme Ltd $2,500 for website development due in 14 days');
    await page.getByRole('button', { name: 'Read it' }).click();
    await page.getByRole('heading', { name: 'Check the draft' }).waitFor();
    const preview = page.locator('.doc-preview');
    assert.match(await preview.innerText(), /Acme Ltd/);
    assert.match(await preview.innerText(), /website development/);
    await page.getByRole('button', { name: 'Create and send' }).click();
    assert.match(await page.locator('.form-error, .field-hint').filter({ hasText: 'email' }).first().innerText(), /client's email/i, 'the client email is asked for');
    await page.getByLabel('Client email for Acme Ltd').fill('billing@acme.example');
    await page.getByRole('button', { name: 'Create and send' }).click();
    await page.getByTestId('run-outcome').filter({ hasText: 'waits for your approval' }).waitFor();
    await screenshot(page, '03-new-from-sentence');
    // The live count in the navigation follows.
    await page.getByTestId('inbox-count').filter({ hasText: '1' }).waitFor();
  });

  test('the Inbox shows why a person is asked, and passes the accessibility basics', async () => {
    await page.getByRole('link', { name: 'Go to the Inbox' }).click();
    const card = page.getByTestId('approval').first();
    await card.waitFor();
    assert.match(await card.innerText(), /Acme Ltd/);
    assert.match(await card.innerText(), /new client/i, 'the policy reason is shown');
    await screenshot(page, '04-inbox');

    assert.deepEqual(await unnamedControls(page), [], 'every control has an accessible name');
    assert.deepEqual(await lowContrastText(page), [], 'all text has contrast of at least 4.5:1');
    assert.ok((await lowContrastText(page, 12)).length > 0, 'the contrast check does find text below a stricter bar');

    // Everything is reachable with Tab, and the approve button among it.
    const reached = new Set<string>();
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      reached.add((await page.evaluate("document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent?.trim() ?? ''")) as string);
    }
    assert.ok([...reached].some((name) => name.startsWith('Approve Send')), `Tab reaches the approve button (reached: ${[...reached].join(' | ')})`);
    assert.ok(reached.has('Inbox1') || [...reached].some((n) => n.startsWith('Inbox')), 'Tab reaches the navigation');

    // The help overlay opens with "?" and closes with Escape.
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await screenshot(page, '05-inbox-shortcuts');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor({ state: 'hidden' });

    // "e" opens the editor; changing a field shows the diff; Escape leaves it.
    await page.keyboard.press('e');
    const editor = page.getByRole('form', { name: 'Edit, then approve' });
    await editor.waitFor();
    await editor.getByLabel('to', { exact: true }).fill('ap@acme.example');
    assert.match(await editor.locator('.diff').innerText(), /billing@acme\.example\s*→\s*ap@acme\.example/);
    await screenshot(page, '06-inbox-edit');
    await editor.getByRole('button', { name: 'Cancel' }).click();
    await editor.waitFor({ state: 'hidden' });
  });

  test('one keypress approves; the run goes on and the client gets the email with the PDF', async () => {
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    await page.keyboard.press('a');
    await page.getByText(/^Approved: Send INV-/).waitFor();
    await page.getByRole('heading', { name: 'You are all caught up' }).waitFor();
    await page.getByRole('link', { name: 'Watch the run' }).click();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    // The run sends the invoice, then waits for the payment.
    const sendStep = page.locator('.timeline-step', { has: page.getByText('send', { exact: true }) });
    await sendStep.first().waitFor({ timeout: 15_000 });
    await screenshot(page, '07-run');

    const deadline = Date.now() + 15_000;
    while (!smtp.messages.some((m) => m.subject?.startsWith('Invoice INV-')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const mail = smtp.messages.find((m) => m.subject?.startsWith('Invoice INV-'));
    assert.ok(mail, 'the invoice email arrived');
    assert.match(mail.subject ?? '', /Invoice INV-\d{4}-\d{4} from Northwind Design/);
    assert.equal(mail.to !== undefined && !Array.isArray(mail.to) ? mail.to.text : '', 'billing@acme.example');
    const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf');
    assert.ok(pdf !== undefined && pdf.size > 1000, 'the PDF is attached');
  });

  test('the Dashboard shows the run, and every screen renders', async () => {
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Runs per day' }).waitFor();
    const started = page.locator('.stat', { hasText: 'Runs started' }).locator('.stat-value');
    assert.equal(await started.innerText(), '1');
    assert.match(await page.getByTestId('recent-runs').innerText(), /Invoice to cash/i);
    await screenshot(page, '08-dashboard');

    const screens: [string, string, string][] = [
      ['Runs', 'Runs', '09-runs'],
      ['Documents', 'Documents', '10-documents'],
      ['Clients', 'Clients', '12-clients'],
      ['Workflows', 'Workflows', '13-workflows'],
      ['Audit', 'Audit trail', '15-audit'],
      ['Settings', 'Settings', '16-settings'],
    ];
    for (const [link, heading, name] of screens) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
      await page.getByRole('heading', { name: heading, exact: true, level: 1 }).waitFor();
      await page.locator('.loading').first().waitFor({ state: 'detached' });
      await screenshot(page, name);
      if (link === 'Documents') {
        await page.getByRole('link', { name: /^INV-/ }).first().click();
        const firstPage = page.getByRole('img', { name: /page 1 of 1$/ });
        await firstPage.waitFor();
        await page.waitForFunction("[...document.querySelectorAll('img.pdf-page')].every((img) => img.complete && img.naturalWidth > 500)");
        assert.match(await page.locator('.badge').first().innerText(), /Sent/);
        await screenshot(page, '11-document');
      }
      if (link === 'Workflows') {
        await page.getByRole('link', { name: /Invoice to cash/ }).click();
        await page.getByRole('heading', { name: 'Steps' }).waitFor();
        await screenshot(page, '14-workflow');
      }
      if (link === 'Audit') {
        await page.getByRole('button', { name: 'Verify chain' }).click();
        assert.match(await page.getByTestId('verify-result').innerText(), /intact/);
      }
      if (link === 'Clients') assert.match(await page.locator('table').innerText(), /Acme Ltd/);
    }
    assert.deepEqual(pageErrors, [], 'no script errors on any page');
  });

  test('on a phone the navigation folds into a menu', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await phone.goto(`${server.url}/inbox`);
      // Same browser context? No: a new page in a new context has no session, so sign in.
      await phone.getByRole('heading', { name: 'Sign in' }).waitFor();
      await phone.getByLabel('Email').fill('ana@northwind.example');
      await phone.getByLabel('Password').fill('correct horse battery');
      await phone.getByRole('button', { name: 'Sign in' }).click();
      await phone.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
      assert.equal(await phone.getByRole('navigation', { name: 'Main' }).isVisible(), false, 'the menu is folded');
      await screenshot(phone, '17-phone-inbox');
      await phone.getByRole('button', { name: 'Open menu' }).click();
      await phone.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Documents' }).click();
      await phone.getByRole('heading', { name: 'Documents', level: 1 }).waitFor();
      await screenshot(phone, '18-phone-documents');
    } finally {
      await phone.close();
    }
  });

  test('reject needs a reason; x selects and bulk approval decides several at once', async () => {
    for (const [client, email] of [['Bright Bakery', 'hello@bright.example'], ['Nordic Tools', 'ap@nordic.example'], ['Harbor Cafe', 'owner@harbor.example']]) {
      await t.app.engine.startRun('invoice-to-cash', { sentence: `Invoice ${client} $300 for logo design`, to: email });
    }
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Inbox/ }).click();
    await page.getByTestId('inbox-count').filter({ hasText: '3' }).waitFor({ timeout: 15_000 });
    await page.getByTestId('approval').nth(2).waitFor();

    // Reject the first with "r": without a reason it says why one is needed.
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    const first = await page.getByTestId('approval').first().locator('h2').innerText();
    await page.keyboard.press('r');
    const rejectForm = page.getByRole('form', { name: /^Reject/ });
    await rejectForm.getByRole('button', { name: 'Reject' }).click();
    assert.match(await rejectForm.locator('.field-hint').innerText(), /Say why/);
    await rejectForm.getByLabel('Why is it rejected?').fill('Wrong client: this work was for their sister company');
    await rejectForm.getByRole('button', { name: 'Reject' }).click();
    await page.getByText(/^Rejected: /).waitFor();
    await page.getByTestId('approval').filter({ hasText: first }).waitFor({ state: 'detached' });

    // Select the other two with j/x and approve them together.
    await page.getByTestId('approval').nth(1).waitFor();
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    await page.keyboard.press('x');
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await page.getByText('2 selected').waitFor();
    await screenshot(page, '19-inbox-bulk');
    await page.getByRole('button', { name: 'Approve selected' }).click();
    await page.getByText('Approved 2 items.').waitFor();
    await page.getByRole('heading', { name: 'You are all caught up' }).waitFor();
    const decided = await t.app.governance.listApprovals({ status: 'all' });
    assert.deepEqual(decided.map((a) => a.status).sort(), ['approved', 'approved', 'approved', 'rejected']);
  });
});
