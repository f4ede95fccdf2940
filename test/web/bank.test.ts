/**
 * The Bank screen in Chromium, on the demo business: the owner sees the demo statement, reconciles
 * it (Acme's payment is applied, Jones Plumbing's part-payment goes to the Inbox), imports a CSV
 * after mapping its columns (a wrong date format is refused naming the line and column; importing
 * again stores nothing new) and matches a payment by hand. A viewer sees the same lines on a phone
 * but no buttons to change them. Screens are saved under test-output/screenshots/bank-*.png.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { browserSkipReason, ensureWebBuilt, launchBrowser, lowContrastText, screenshot, signIn as signInAs, unnamedControls, pageTimeoutMs } from '../helpers/browser.ts';
import { listen, type RunningServer } from '../../src/server/index.ts';

const skip = browserSkipReason();
const password = 'correct horse battery';

// A bank's CSV export: an account line above the header, day-first dates, decimal commas, and
// money in and out in two columns. "Booking day" is not a name OpsLoop knows: the person maps it.
const statement = [
  'Account;DE89 3704 0044 0532 0130 00',
  'Booking day;Payer;Purpose;Money in;Money out',
  '20.11.2026;Bright Dental;"Thanks, SEO March to May";1.250,50;',
  '21.11.2026;Bank fees;Account fee;;4,50',
  '',
].join('\n');

describe('the Bank screen in Chromium', { skip }, () => {
  let t: TestApp;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let dir: string;
  let csv: string;
  const invoices: Record<string, string> = {};
  const pageErrors: string[] = [];

  const signIn = (p: Page, email: string): Promise<void> => signInAs(p, server.url, email, password);

  before(async () => {
    const built = ensureWebBuilt();
    t = await openTestApp('sqlite', { realClock: true });
    const { demo } = await t.app.prepare({ demo: true });
    assert.equal(demo, true, 'the demo business was seeded');
    await t.app.governance.addUser({ email: 'ana@demo.example', name: 'Ana Owner', role: 'owner', password });
    await t.app.governance.addUser({ email: 'val@demo.example', name: 'Val Viewer', role: 'viewer', password });
    const open = await t.app.database.db
      .selectFrom('documents')
      .innerJoin('counterparties', 'counterparties.id', 'documents.counterparty_id')
      .select(['documents.number', 'counterparties.name'])
      .where('documents.kind', '=', 'invoice')
      .where('documents.status', 'in', ['sent', 'overdue'])
      .execute();
    for (const row of open) invoices[row.name] = row.number;
    dir = await mkdtemp(path.join(tmpdir(), 'opsloop-bank-'));
    csv = path.join(dir, 'november.csv');
    await writeFile(csv, statement);
    server = await listen(t.app);
    [browser] = await Promise.all([launchBrowser(), built]);
    page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
    page.setDefaultTimeout(pageTimeoutMs);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signIn(page, 'ana@demo.example');
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const row = (text: string) => page.getByRole('row').filter({ hasText: text });

  test('see the demo statement, reconcile it: Acme applied, Jones Plumbing to the Inbox', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Bank', exact: true }).click();
    await page.getByRole('heading', { name: 'Bank', level: 1 }).waitFor();
    await row('ACME LTD').waitFor();
    for (const payer of ['ACME LTD', 'City Properties', 'Jones Plumbing Co', 'Demo Bank']) assert.equal(await row(payer).count(), 1, payer);
    assert.match(await row('City Properties').innerText(), /−\s*Money out:\s*\$1,800\.00/, 'money out has a minus sign, not only a colour');
    assert.match(await row('ACME LTD').innerText(), /\+\s*Money in:\s*\$2,400\.00[\s\S]*Unmatched/);
    assert.deepEqual(await unnamedControls(page), [], 'every control has a name');
    assert.deepEqual(await lowContrastText(page), [], 'all text is readable');
    await screenshot(page, 'bank-01-transactions');

    await page.getByRole('button', { name: 'Reconcile' }).click();
    const applied = page.getByTestId('reconcile-applied');
    await applied.waitFor();
    const appliedText = await applied.innerText();
    assert.match(appliedText, /\$2,400\.00 from ACME LTD/);
    assert.ok(appliedText.includes(invoices['Acme Ltd'] as string), `Acme's invoice ${invoices['Acme Ltd']}`);
    assert.match(appliedText, /Paid/);
    assert.match(appliedText, /100% sure/);
    const proposed = await page.getByTestId('reconcile-proposed').innerText();
    assert.match(proposed, /\$100\.00 from Jones Plumbing Co/);
    assert.ok(proposed.includes(invoices['Jones Plumbing'] as string), `Jones's invoice ${invoices['Jones Plumbing']}`);
    assert.match(proposed, /Part-payment/i);
    assert.match(await page.getByTestId('reconcile-unmatched').innerText(), /1 payment received stays unmatched/, 'the interest');
    await page.getByTestId('reconcile-applied').getByText('Why').click();
    await page.getByText(`the reference names ${invoices['Acme Ltd']}`).waitFor();
    await row('ACME LTD').getByText('Matched', { exact: true }).waitFor();
    assert.match(await row('ACME LTD').innerText(), new RegExp(`${invoices['Acme Ltd']}\\s+\\$2,400\\.00\\s+automatic`));
    assert.match(await row('Jones Plumbing Co').innerText(), /Waiting in the Inbox/);
    await screenshot(page, 'bank-02-reconciled');

    const filter = page.getByRole('group', { name: 'Show transactions' });
    await filter.getByRole('button', { name: 'Matched', exact: true }).click();
    await page.getByText('1 transaction', { exact: true }).waitFor();
    assert.equal(await row('ACME LTD').count(), 1);
    await filter.getByRole('button', { name: 'All' }).click();
    await page.getByText('4 transactions', { exact: true }).waitFor();

    await page.getByRole('link', { name: 'Review it in the Inbox' }).click();
    await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    const task = await t.app.database.db.selectFrom('approval_tasks').innerJoin('runs', 'runs.id', 'approval_tasks.run_id').select(['runs.workflow_id']).where('approval_tasks.status', '=', 'open').execute();
    assert.deepEqual(
      task.map((r) => r.workflow_id),
      ['bank-match-review'],
      'one review waits in the Inbox',
    );
  });

  test('import a CSV after mapping its columns; a bad date format names the line; a second import adds nothing', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Bank', exact: true }).click();
    await row('ACME LTD').waitFor();
    await page.getByRole('button', { name: 'Import a statement' }).click();
    const form = page.getByRole('form', { name: 'Import a statement' });
    await form.getByLabel('Statement file').setInputFiles(csv);
    await form.getByRole('heading', { name: 'Which column is which' }).waitFor();
    assert.equal(await form.getByLabel('Format', { exact: true }).inputValue(), 'csv');
    assert.equal(await form.getByLabel('Columns separated by').inputValue(), ';');
    assert.equal(await form.getByLabel('Counterparty').inputValue(), 'Payer', 'guessed from the header');
    assert.equal(await form.getByLabel('Description').inputValue(), 'Purpose');
    assert.equal(await form.getByLabel('Money in (credit)').inputValue(), 'Money in');
    assert.equal(await form.getByLabel('Money out (debit)').inputValue(), 'Money out');
    assert.equal(await form.getByLabel('Currency', { exact: true }).inputValue(), 'USD', "the currency of the account's earlier lines");
    const importButton = form.getByRole('button', { name: 'Import statement' });
    assert.equal(await importButton.isDisabled(), true, 'not before the date column and account are known');
    await form.getByText('To import, choose the date column, the account.').waitFor();

    await form.getByLabel('Date', { exact: true }).selectOption('Booking day');
    assert.equal(await form.getByLabel('Date format').inputValue(), 'DD.MM.YYYY', 'read from the dates');
    await form.getByLabel('Account').fill('DE89 3704 0044 0532 0130 00');
    await form.getByLabel('Date format').selectOption('MM/DD/YYYY');
    await importButton.click();
    const error = form.getByRole('alert');
    await error.getByText('Line 3: "20.11.2026" is not a date written MM/DD/YYYY (column "Booking day")').waitFor();
    assert.deepEqual(await unnamedControls(page), [], 'every control in the form has a name');
    await screenshot(page, 'bank-03-import-error');

    await form.getByLabel('Date format').selectOption('DD.MM.YYYY');
    await importButton.click();
    await page.getByTestId('import-outcome').filter({ hasText: '2 new, 0 already imported' }).waitFor();
    await row('Bright Dental').waitFor();
    assert.match(await row('Bright Dental').innerText(), /\+\s*Money in:\s*\$1,250\.50/);
    assert.match(await row('Bank fees').innerText(), /−\s*Money out:\s*\$4\.50/);
    await screenshot(page, 'bank-04-imported');

    await form.getByLabel('Statement file').setInputFiles(csv);
    await form.getByLabel('Date', { exact: true }).selectOption('Booking day');
    await importButton.click();
    await page.getByTestId('import-outcome').filter({ hasText: '0 new, 2 already imported' }).waitFor();
    const stored = await t.app.database.db.selectFrom('bank_transactions').select(({ fn }) => fn.countAll<number>().as('n')).where('account', '=', 'DE89370400440532013000').executeTakeFirstOrThrow();
    assert.equal(Number(stored.n), 2, 'the same lines are not stored twice');
  });

  test('match a payment by hand: too much for the invoice is refused, the right amount is applied', async () => {
    const dental = invoices['Bright Dental'] as string;
    await row('Bright Dental').getByRole('button', { name: 'Match $1,250.50 from Bright Dental by hand' }).click();
    const dialog = page.getByRole('dialog', { name: 'Match $1,250.50 from Bright Dental' });
    await dialog.getByRole('checkbox', { name: new RegExp(dental) }).check();
    const amount = dialog.getByLabel(`Amount paid on ${dental}`);
    assert.equal(await amount.inputValue(), '1200.50', 'what the invoice still owes');
    await dialog.getByText('$1,200.50 of $1,250.50 allocated; $50.00 stays unallocated.').waitFor();
    await amount.fill('1250.50');
    await dialog.getByRole('button', { name: 'Match', exact: true }).click();
    await dialog.getByRole('alert').getByText(`${dental} has 1200.50 USD left to pay; 1250.50 is more than that`).waitFor();
    await screenshot(page, 'bank-05-match-error');
    await amount.fill('1200.50');
    await dialog.getByRole('button', { name: 'Match', exact: true }).click();
    await page.getByTestId('match-outcome').filter({ hasText: `Matched $1,250.50 from Bright Dental to ${dental}` }).waitFor();
    await row('Bright Dental').getByText('Matched', { exact: true }).waitFor();
    assert.match(await row('Bright Dental').innerText(), /by hand/);
    const doc = await t.app.database.db.selectFrom('documents').select('status').where('number', '=', dental).executeTakeFirstOrThrow();
    assert.equal(doc.status, 'paid');
    await screenshot(page, 'bank-06-matched');
    assert.deepEqual(pageErrors, [], 'no script errors');
  });

  test('a viewer on a phone sees the transactions but cannot change them', async () => {
    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
    phone.setDefaultTimeout(pageTimeoutMs);
    await signIn(phone, 'val@demo.example');
    await phone.getByRole('button', { name: 'Open menu' }).click();
    await phone.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Bank', exact: true }).click();
    await phone.getByRole('row').filter({ hasText: 'Bright Dental' }).waitFor();
    for (const name of ['Reconcile', 'Import a statement', /^Match .* by hand$/]) assert.equal(await phone.getByRole('button', { name }).count(), 0, `no ${String(name)} button`);
    const width = await phone.evaluate('document.documentElement.scrollWidth');
    assert.ok(Number(width) <= 390, `nothing wider than the phone (${String(width)}px)`);
    assert.deepEqual(await lowContrastText(phone), [], 'all text is readable');
    await screenshot(phone, 'bank-07-phone-viewer');
    await phone.context().close();
  });
});

describe('a business without bank transactions yet', { skip }, () => {
  let t: TestApp;
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    const built = ensureWebBuilt();
    t = await openTestApp('sqlite', { realClock: true });
    await t.app.governance.addUser({ email: 'ana@new.example', name: 'Ana Owner', role: 'owner', password });
    server = await listen(t.app);
    [browser] = await Promise.all([launchBrowser(), built]);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  test('says what a statement is and where to get one; an OFX file needs no mapping', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
    page.setDefaultTimeout(pageTimeoutMs);
    await page.goto(`${server.url}/bank`);
    await page.getByLabel('Email').fill('ana@new.example');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Bank', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'No bank transactions yet' }).waitFor();
    await page.getByText(/look for Export, Download transactions or Statements/).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Reconcile' }).isDisabled(), true, 'nothing to reconcile yet');
    const form = page.getByRole('form', { name: 'Import a statement' });
    await form.getByLabel('Statement file').waitFor();
    assert.deepEqual(await lowContrastText(page), [], 'all text is readable');
    await screenshot(page, 'bank-00-empty');
    await form.getByLabel('Statement file').setInputFiles(fileURLToPath(new URL('../fixtures/bank/checking-2026-01.ofx', import.meta.url)));
    await form.getByText('An OFX file names its account and currency: there is nothing to map.').waitFor();
    assert.equal(await form.getByLabel('Format', { exact: true }).inputValue(), 'ofx');
    await form.getByRole('button', { name: 'Import statement' }).click();
    try {
      await page.getByTestId('import-outcome').filter({ hasText: '4 new, 0 already imported' }).waitFor();
    } catch (error) {
      await screenshot(page, 'bank-failed-ofx-import');
      throw new Error(`No import outcome; the form says: ${(await form.innerText()).slice(0, 1500)}`, { cause: error });
    }
    await page.getByRole('row').filter({ hasText: 'ACME LTD' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Reconcile' }).isDisabled(), false);
    await page.context().close();
  });
});
