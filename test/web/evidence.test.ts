/**
 * A read document in the Inbox, in Chromium: the card shows the invoice's page with each field's
 * evidence highlighted where it was read, the fields beside it (below it on a phone); focusing a
 * field marks its box and hovering a box marks its field. A reading of plain text shows the
 * fields alone. Saved as test-output/screenshots/20-inbox-read-evidence.png.
 *
 * An invoice that arrives by email shows its PDF attachment's page with the boxes (23-inbox-read-email.png);
 * a bill in the text of an email shows its fields and says in words that there is no page.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { openTestApp, type TestApp } from '../helpers/app.ts';
import { browserSkipReason, ensureWebBuilt, launchBrowser, lowContrastText, openSignedIn, screenshot, unnamedControls } from '../helpers/browser.ts';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { listen, type RunningServer } from '../../src/server/index.ts';
import { renderDocumentPdf } from '../../src/domains/finance/pdf/index.ts';
import { acmeInvoice } from '../fixtures/invoices.ts';

const skip = browserSkipReason();
const password = 'correct horse battery';

/** A dairy's invoice, as OpsLoop prints invoices: its total £373.20 at the right margin. */
function dairyInvoice(): Promise<Buffer> {
  return renderDocumentPdf({
    kind: 'invoice',
    number: 'MSD-311',
    issueDate: '2026-03-05',
    dueDate: '2026-04-04',
    currency: 'GBP',
    locale: 'en-GB',
    business: { name: 'Mill Street Dairy Ltd', address: '4 Mill Street\nBath BA1 1AA', email: 'accounts@dairy.example', bank: { iban: 'GB33BUKB20201555555555' } },
    client: { name: 'Corner Bakery', address: '3 Mill Lane\nBristol BS1 4DJ' },
    lines: [
      { description: 'Milk 20 l', quantity: '12', unitPrice: '18.50', taxRate: '0', amount: '222.00' },
      { description: 'Cream 5 l', quantity: '6', unitPrice: '21.00', taxRate: '20', amount: '126.00' },
    ],
    subtotal: '348.00',
    taxTotal: '25.20',
    total: '373.20',
  });
}

/** An email as a mail program sends it, as the read step is given it. */
async function emailed(text: string, attachments: { filename: string; content: Buffer; contentType: string }[] = []) {
  const eml = await new MailComposer({ from: 'Accounts <accounts@dairy.example>', to: 'ana@bakery.example', subject: 'Your invoice', text, attachments }).compile().build();
  return { document: { file: { contentBase64: eml.toString('base64'), filename: 'invoice-email.eml', contentType: 'message/rfc822' } } };
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

describe('a read document in the Inbox, in Chromium', { skip }, () => {
  let t: TestApp;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    const built = ensureWebBuilt();
    t = await openTestApp('sqlite', { realClock: true, config: { businessName: 'Corner Bakery' } });
    await t.app.governance.addUser({ email: 'ana@bakery.example', name: 'Ana Owner', role: 'owner', password });
    await t.app.engine.addWorkflow({ id: 'read-bills', name: 'Read bills', steps: [{ id: 'read', type: 'ai', skill: 'read', tier: 'review', input: '{{ input.document }}' }, { id: 'done', type: 'end' }] });
    // Older than the others, so the cards below keep their order in the Inbox.
    await t.app.engine.startRun('read-bills', await emailed('Bay Flour Mill\nInvoice No: BF-19\nDate: 04/03/2026\nTotal: 120.00'));
    await t.app.engine.startRun('read-bills', await emailed('Hello,\n\nplease find our invoice attached.\n\nMill Street Dairy', [{ filename: 'msd-311.pdf', content: await dairyInvoice(), contentType: 'application/pdf' }]));
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Newest first: the PDF's card comes first in the Inbox.
    await t.app.engine.startRun('read-bills', { document: { text: 'Harbour Fish Co\nInvoice No: HF-88\nDate: 02/03/2026\nTotal: 310.00' } });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const pdf = await acmeInvoice();
    await t.app.engine.startRun('read-bills', { document: { file: { contentBase64: pdf.toString('base64'), filename: 'acme-1042.pdf', contentType: 'application/pdf' } } });
    server = await listen(t.app);
    [browser] = await Promise.all([launchBrowser(), built]);
    page = await openSignedIn(browser, server.url, 'ana@bakery.example', password, { viewport: { width: 1280, height: 900 }, errors: pageErrors });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  const card = () => page.getByTestId('approval').filter({ hasText: 'INV-1042' });
  const image = () => card().getByRole('img', { name: 'Page 1 of acme-1042.pdf' });
  const totalBox = () => card().locator('.evidence-box[data-field="total"]');
  const totalField = () => card().locator('.read-fields [data-field="total"]');
  const rect = async (locator: ReturnType<Page['locator']>): Promise<Rect> => {
    const box = await locator.boundingBox();
    assert.ok(box !== null, 'the element is shown');
    return box;
  };

  test('the card shows the page, with the total highlighted where it is printed', async () => {
    await card().getByRole('heading', { name: 'Acme Supplies Ltd · INV-1042 · 1,234.56 EUR' }).waitFor();
    await image().waitFor();
    await page.waitForFunction("[...document.querySelectorAll('.page-frame img')].every((img) => img.complete && img.naturalWidth > 0)");
    assert.equal(await image().evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), 1190, 'the page is drawn at one pixel per unit');

    const highlight = card().getByRole('button', { name: /^Total: €?1,234\.56, read from/ });
    await highlight.waitFor();
    const pageRect = await rect(image());
    const box = await rect(highlight);
    assert.ok(box.x >= pageRect.x && box.y >= pageRect.y && box.x + box.width <= pageRect.x + pageRect.width + 1 && box.y + box.height <= pageRect.y + pageRect.height + 1, 'the highlight is on the page');
    // Scaled to the displayed page: the total's box is [966.69…1090.56] × [685.47…711.08] of 1190.56 × 1683.78.
    const scale = pageRect.width / 1190.56;
    assert.ok(Math.abs(box.x + box.width - (pageRect.x + 1090.56 * scale)) < 6, `right edge at the total (${JSON.stringify({ box, pageRect })})`);
    assert.ok(Math.abs(box.y - (pageRect.y + 685.47 * scale)) < 6, `top edge at the total (${JSON.stringify({ box, pageRect })})`);

    const fields = await rect(card().locator('.read-fields'));
    assert.ok(fields.x > pageRect.x + pageRect.width, 'the fields are beside the page');
    assert.match(await card().locator('.read-fields').innerText(), /Total\s+\d+%\s+€?1,234\.56/i);
  });

  test('focusing the total field marks its box, and hovering a box marks its field', async () => {
    assert.equal(await totalBox().getAttribute('data-active'), null, 'nothing is marked before');
    await totalField().focus();
    assert.equal(await totalBox().getAttribute('data-active'), 'true', 'the total box is marked');
    assert.match(await totalBox().getAttribute('class') ?? '', /\bactive\b/);
    assert.equal(await totalBox().locator('.evidence-tag').innerText(), 'Total');
    assert.equal(await card().locator('.evidence-box.active').count(), 1, 'only the total is marked');
    await screenshot(page, '20-inbox-read-evidence');

    // The keyboard moves on to the next field, and its box is marked instead.
    await page.keyboard.press('Tab');
    assert.equal(await totalBox().getAttribute('data-active'), null);
    await totalField().focus();

    await card().locator('.evidence-box[data-field="vendor"]').hover();
    assert.equal(await card().locator('.read-fields [data-field="vendor"]').getAttribute('data-active'), 'true', 'the vendor field is marked');
    // Choosing a box on the page takes the keyboard to its field.
    await card().locator('.evidence-box[data-field="documentNumber"]').click();
    assert.equal(await page.evaluate("document.activeElement?.getAttribute('data-field')"), 'documentNumber');
    assert.ok(await card().locator('.read-fields li.active [data-field="documentNumber"]').isVisible());
  });

  test('the Inbox with a page passes the accessibility basics', async () => {
    assert.deepEqual(await unnamedControls(page), [], 'every control, each highlight among them, has a name');
    assert.deepEqual(await lowContrastText(page), [], 'all text has contrast of at least 4.5:1');
    const names = (await card().locator('.evidence-box[aria-label]').evaluateAll((boxes) => boxes.map((b) => b.getAttribute('aria-label')))).map((label) => label?.split(':')[0]);
    assert.ok(names.includes('Total') && names.includes('Vendor') && names.includes('Document number'), `highlights are named by field: ${names.join(', ')}`);
  });

  test('a reading of plain text shows its fields without a page', async () => {
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    await page.keyboard.press('j');
    const text = page.getByTestId('approval').filter({ hasText: 'HF-88' });
    await text.locator('.read-fields').waitFor();
    assert.match(await text.locator('.read-fields').innerText(), /Total\s+(\d+%\s+)?310\.00/i);
    assert.equal(await text.locator('.page-frame').count(), 0, 'no page is shown');
    assert.equal(await text.locator('.error-note').count(), 0, 'and no error either');
    await screenshot(page, '22-inbox-read-text');
    await page.keyboard.press('k');
    await image().waitFor();
  });

  test('on a phone the fields are below the page', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await card().getByRole('heading').first().click();
    await image().waitFor();
    const pageRect = await rect(image());
    const fields = await rect(card().locator('.read-fields'));
    assert.ok(fields.y >= pageRect.y + pageRect.height, 'the fields come after the page');
    assert.ok(pageRect.width <= 390, 'the page fits the screen');
    await screenshot(page, '21-inbox-read-evidence-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    assert.deepEqual(pageErrors, [], 'no script errors');
  });

  test('an invoice sent by email shows the page of its PDF attachment, with the total highlighted where it is printed', async () => {
    const mail = page.getByTestId('approval').filter({ hasText: 'MSD-311' });
    await mail.getByRole('heading', { name: 'Mill Street Dairy Ltd · MSD-311 · 373.20 GBP' }).click();
    const attachment = mail.getByRole('img', { name: 'Page 1 of msd-311.pdf' });
    await attachment.waitFor();
    await page.waitForFunction("[...document.querySelectorAll('.page-frame img')].every((img) => img.complete && img.naturalWidth > 0)");
    assert.equal(await attachment.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), 1190, 'the attachment is drawn, one pixel per unit');
    assert.match(await mail.locator('.read-page-caption').innerText(), /Attached to the email: msd-311\.pdf/);
    assert.equal(await mail.locator('.read-no-page').count(), 0, 'no "no page" note');

    const highlight = mail.getByRole('button', { name: /^Total: £?373\.20, read from/ });
    await highlight.waitFor();
    await mail.locator('.read-fields [data-field="total"]').focus();
    assert.equal(await mail.locator('.evidence-box[data-field="total"]').getAttribute('data-active'), 'true', 'focusing the field marks its box');
    const pageRect = await rect(attachment);
    const box = await rect(highlight);
    assert.ok(box.x >= pageRect.x && box.y >= pageRect.y && box.x + box.width <= pageRect.x + pageRect.width + 1 && box.y + box.height <= pageRect.y + pageRect.height + 1, 'the highlight is on the page');
    // The total is printed at [990.36…1090.56] × [643.47…669.08] of 1190.56 × 1683.78.
    const scale = pageRect.width / 1190.56;
    assert.ok(Math.abs(box.x + box.width - (pageRect.x + 1090.56 * scale)) < 6, `right edge at the total (${JSON.stringify({ box, pageRect })})`);
    assert.ok(Math.abs(box.y - (pageRect.y + 643.47 * scale)) < 6, `top edge at the total (${JSON.stringify({ box, pageRect })})`);
    assert.match(await mail.locator('.read-fields').innerText(), /Vendor\s+\d+%\s+Mill Street Dairy Ltd/i, 'read from the PDF, not from the email text');
    await screenshot(page, '23-inbox-read-email');
  });

  test('a bill in the text of an email shows its fields and says in words that there is no page', async () => {
    const mail = page.getByTestId('approval').filter({ hasText: 'BF-19' });
    await mail.getByRole('heading').first().click();
    await mail.locator('.read-fields').waitFor();
    assert.match(await mail.locator('.read-fields').innerText(), /Total\s+(\d+%\s+)?120\.00/i);
    assert.equal(await mail.locator('.read-no-page').innerText(), 'Read from the text of the email, not from an attachment, so there is no page image to show.');
    assert.equal(await mail.locator('.page-frame').count(), 0, 'no page is shown');
    assert.equal(await mail.locator('.error-note').count(), 0, 'and no error either');
    assert.equal(await mail.locator('img').count(), 0, 'no broken image');
    assert.deepEqual(await unnamedControls(page), []);
    assert.deepEqual(await lowContrastText(page), []);
    await screenshot(page, '24-inbox-read-email-text');
    assert.deepEqual(pageErrors, [], 'no script errors');
  });
});
