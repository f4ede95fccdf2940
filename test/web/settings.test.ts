/**
 * Email and AI provider in Settings, in Chromium: the owner fills in the mail server (a bad port is
 * explained beside its field first), saves with the keyboard, sends a test email that arrives at
 * the local SMTP server and reads what the server said; then points the AI provider at a local
 * OpenAI-compatible server and tests the connection. Screens go to test-output/screenshots/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { browserSkipReason, ensureWebBuilt, launchBrowser, lowContrastText, openSignedIn, screenshot, unnamedControls } from '../helpers/browser.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';
import { completion, startFakeOpenAi, type FakeOpenAi } from '../ai/providers/fake-openai.ts';
import { listen, type RunningServer } from '../../src/server/index.ts';

const skip = browserSkipReason();
const password = 'correct horse battery';

describe('email and AI provider in Settings, in Chromium', { skip }, () => {
  let t: TestApp;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let smtp: SmtpSink;
  let fake: FakeOpenAi;
  const pageErrors: string[] = [];

  before(async () => {
    const built = ensureWebBuilt();
    smtp = await startSmtpSink();
    fake = await startFakeOpenAi();
    // Nothing about mail or AI in the environment: the owner sets both in the web app.
    t = await openTestApp('sqlite', { realClock: true, env: {}, config: { businessName: 'Northwind Design' } });
    await t.app.governance.addUser({ email: 'ana@northwind.example', name: 'Ana Owner', role: 'owner', password });
    server = await listen(t.app);
    [browser] = await Promise.all([launchBrowser(), built]);
    page = await openSignedIn(browser, server.url, 'ana@northwind.example', password, { errors: pageErrors });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Settings', exact: true, level: 1 }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
    await smtp?.close();
    await fake?.close();
  });

  test('the owner sets the mail server, sends a test email and sees what the server said', async () => {
    const card = page.locator('section.card').filter({ has: page.getByRole('heading', { name: 'Email (SMTP)' }) });
    await card.getByText(/Email is off: no mail server is set/).waitFor();
    const form = card.getByRole('form', { name: 'Email settings' });
    const port = Number(new URL(smtp.url).port);
    await form.getByLabel('SMTP host').fill('127.0.0.1');
    await form.getByLabel('Port').fill('0');
    await form.getByLabel('Security').selectOption('none');
    await form.getByLabel('From address').fill('billing@northwind.example');
    await form.getByLabel('From name').fill('Northwind Billing');
    await form.getByRole('button', { name: 'Save email settings' }).click();
    await form.locator('.field-error .field-hint').filter({ hasText: /between 1 and 65535/ }).waitFor();
    assert.equal(await form.getByLabel('Port').getAttribute('aria-invalid'), 'true', 'the port is marked');
    await screenshot(page, 'settings-01-email-error');

    await form.getByLabel('Port').fill(String(port));
    await form.getByLabel('From name').press('Enter');
    await form.getByText('Saved. The next email is sent with these settings.').waitFor();
    await card.getByText(new RegExp(`Email is on: sent through 127\\.0\\.0\\.1:${port}`)).waitFor();
    const stored = await t.app.database.db.selectFrom('settings').select('value').where('key', '=', 'mail').executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(stored.value), { host: '127.0.0.1', port, security: 'none', from: 'billing@northwind.example', fromName: 'Northwind Billing' });

    const test = card.getByRole('form', { name: 'Send a test email' });
    await test.getByLabel('Send a test email to').fill('ops@northwind.example');
    await test.getByRole('button', { name: 'Send test email' }).click();
    const result = card.getByTestId('mail-test-result');
    await result.waitFor();
    assert.match(await result.innerText(), new RegExp(`Sent to ops@northwind\\.example through 127\\.0\\.0\\.1:${port} in \\d+ ms\\. The server said: 250 `));
    const arrived = smtp.messages.find((m) => m.subject === 'OpsLoop test email');
    assert.ok(arrived, 'the test email arrived at the SMTP server');
    assert.equal(arrived.from?.text, '"Northwind Billing" <billing@northwind.example>');
    assert.match(arrived.text ?? '', /sent by ana@northwind\.example/);
    assert.deepEqual(await unnamedControls(page), [], 'every control has a name');
    assert.deepEqual(await lowContrastText(page), [], 'text is readable');
    await screenshot(page, 'settings-02-email-test-sent');
  });

  test('the owner points the AI provider at an OpenAI-compatible server and tests the connection', async () => {
    const card = page.locator('section.card').filter({ has: page.getByRole('heading', { name: 'AI provider' }) });
    await card.getByText(/The built-in offline AI is in use/).waitFor();
    const form = card.getByRole('form', { name: 'AI provider settings' });
    await form.getByLabel('Provider').selectOption('openai');
    await form.getByLabel('Base URL').fill(fake.baseURL);
    await form.getByLabel('Model').fill('fake-model');
    await form.getByLabel('API key', { exact: true }).fill('sk-from-the-browser');
    await form.getByRole('button', { name: 'Save AI provider' }).click();
    await form.getByText('Saved. Skills use it from their next step on.').waitFor();
    await form.getByLabel('API key', { exact: true }).and(page.locator('[placeholder="set — leave blank to keep"]')).waitFor();
    await card.getByText(/skills ask fake-model at/).waitFor();

    fake.script(completion(JSON.stringify({ answer: 'ok' }), { promptTokens: 21, completionTokens: 4 }));
    await form.getByRole('button', { name: 'Test connection' }).click();
    const result = card.getByTestId('ai-test-result');
    await result.waitFor();
    assert.match(await result.innerText(), /^fake-model at http:\/\/127\.0\.0\.1:\d+\/v1 answered in \d+ ms \(21 tokens in, 4 out\)\.$/);
    assert.equal(fake.requests.at(-1)?.headers.authorization, 'Bearer sk-from-the-browser');

    // No reply scripted: the fake answers 500, and the page says so in words.
    await form.getByRole('button', { name: 'Test connection' }).click();
    await card.getByRole('alert').filter({ hasText: 'The connection test failed' }).waitFor();
    assert.match(await card.getByRole('alert').innerText(), /unavailable after 1 attempt\(s\): HTTP 500/);
    await screenshot(page, 'settings-03-ai-provider');
    assert.deepEqual(pageErrors, [], 'no script errors');
  });
});
