/**
 * The business profile in Settings: anyone signed in reads it, only an owner changes it, each bad
 * field is named and nothing is stored then; what is stored shows on the PDF, in the invoice email
 * and on the pay page from then on, and whatever is not stored still comes from the environment.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BusinessProfiles } from '../../src/domains/finance/index.ts';
import { createHttpApp } from '../../src/server/index.ts';
import { openTestApp, userWithToken, type TestApp } from '../helpers/app.ts';
import { testDialects } from '../helpers/dialects.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';
import { allText, imagesPerPage, logoPng } from '../domains/finance/pdf/helpers.ts';

type Json = Record<string, unknown>;
interface Profile {
  name: string;
  address: string | null;
  email: string | null;
  phone: string | null;
  taxId: string | null;
  bank: Record<string, string> | null;
}

const iban = 'GB29NWBK60161331926819';

for (const dialect of testDialects()) {
  describe(`the business profile in Settings on ${dialect}`, () => {
    let t: TestApp;
    let smtp: SmtpSink;
    let app: ReturnType<typeof createHttpApp>;
    const as: Record<string, Record<string, string>> = {};
    const call = async (who: string | null, method: string, path: string, body?: unknown) => {
      const res = await app.request(path, { method, headers: { ...(who === null ? {} : as[who]), 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: res.status, json: (await res.json()) as Json };
    };
    const errorOf = (json: Json) => json.error as { code: string; message: string; details?: { path?: string } };
    const pdfText = async (id: string) => {
      const res = await app.request(`/api/documents/${id}/pdf`, { headers: as.viewer });
      assert.equal(res.status, 200);
      return allText(new Uint8Array(await res.arrayBuffer()));
    };

    before(async () => {
      smtp = await startSmtpSink();
      t = await openTestApp(dialect, { config: { smtpUrl: smtp.url, businessName: 'Northwind Design', businessEmail: 'hello@northwind.example', publicUrl: 'https://pay.northwind.example' } });
      app = createHttpApp(t.app);
      for (const role of ['owner', 'admin', 'viewer'] as const) as[role] = (await userWithToken(t.app, `${role}@example.com`, role)).headers;
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });

    test('everyone signed in reads it; at first it is the environment\'s', async () => {
      assert.equal((await call(null, 'GET', '/api/settings/business')).status, 401);
      const res = await call('viewer', 'GET', '/api/settings/business');
      assert.equal(res.status, 200);
      const business = res.json.business as Profile;
      assert.deepEqual([business.name, business.email, business.bank], ['Northwind Design', 'hello@northwind.example', null]);
      assert.deepEqual(res.json.stored, {});
    });

    test('only an owner changes it; each bad field is named and nothing is stored', async () => {
      assert.equal((await call('admin', 'PUT', '/api/settings/business', { name: 'Harbour Studio' })).status, 403);
      const bad: [Json, string, RegExp][] = [
        [{ name: 'Harbour Studio', email: 'not an email' }, 'body.email', /not an email address/],
        [{ name: 'Harbour Studio', bank: { iban: 'GB00NWBK60161331926819' } }, 'body.bank.iban', /not a valid IBAN/],
        [{ bank: { bic: 'NOT A BIC' } }, 'body.bank.bic', /BIC/],
        [{ name: '港湾スタジオ' }, 'body.name', /cannot be printed/],
        [{ phone: 'call me' }, 'body.phone', /phone number/],
        [{ name: 'x'.repeat(201) }, 'body.name', /at most 200/],
        [{ logo: 'png' }, 'body', /logo/],
      ];
      for (const [body, path, message] of bad) {
        const res = await call('owner', 'PUT', '/api/settings/business', body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(errorOf(res.json).details?.path, path, JSON.stringify(res.json));
        assert.match(errorOf(res.json).message, message);
      }
      assert.deepEqual((await call('viewer', 'GET', '/api/settings/business')).json.stored, {}, 'nothing was stored');
    });

    test('the stored profile is on the PDF, in the invoice email and on the pay page; the rest is the environment\'s', async () => {
      const draft = (await call('admin', 'POST', '/api/documents/draft', { sentence: 'Invoice Acme Ltd $2,500 for website development due in 14 days', today: '2026-01-05' })).json.document as { id: string; number: string };
      assert.match(await pdfText(draft.id), /Northwind Design/, 'before: the environment\'s name');

      const saved = await call('owner', 'PUT', '/api/settings/business', {
        name: '  Harbour Studio Ltd ',
        address: '1 Quay Street\nBristol BS1 4DJ',
        phone: '+44 117 496 0000',
        taxId: 'GB123456789',
        bank: { accountName: 'Harbour Studio Ltd', iban: 'gb29 nwbk 6016 1331 9268 19', bic: 'nwbkgb2l' },
      });
      assert.equal(saved.status, 200, JSON.stringify(saved.json));
      const business = saved.json.business as Profile;
      assert.deepEqual([business.name, business.email, business.phone, business.taxId], ['Harbour Studio Ltd', 'hello@northwind.example', '+44 117 496 0000', 'GB123456789'], 'the email was not stored: the environment\'s applies');
      assert.deepEqual(business.bank, { accountName: 'Harbour Studio Ltd', iban, bic: 'NWBKGB2L' });
      assert.deepEqual(Object.keys(saved.json.stored as Json).sort(), ['address', 'bank', 'name', 'phone', 'taxId']);

      const text = await pdfText(draft.id);
      assert.match(text, /Harbour Studio Ltd/);
      assert.match(text, /Bristol BS1 4DJ/);
      assert.match(text, /GB123456789/);
      assert.doesNotMatch(text, /Northwind Design/);

      const sent = await call('admin', 'POST', `/api/documents/${draft.id}/send`, { to: 'ap@acme.example' });
      assert.equal(sent.status, 201);
      await t.app.worker.drain();
      const deadline = Date.now() + 10_000;
      while (!smtp.messages.some((m) => m.subject?.startsWith(`Invoice ${draft.number}`)) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        await t.app.worker.drain();
      }
      const mail = smtp.messages.find((m) => m.subject?.startsWith(`Invoice ${draft.number}`));
      assert.equal(mail?.subject, `Invoice ${draft.number} from Harbour Studio Ltd`);
      assert.match(mail?.text ?? '', /Kind regards,\nHarbour Studio Ltd/);
      const attached = mail?.attachments.find((a) => a.contentType === 'application/pdf');
      assert.ok(attached);
      const attachedText = await allText(new Uint8Array(attached.content));
      assert.match(attachedText, /Harbour Studio Ltd/);
      assert.match(attachedText, /GB29 NWBK 6016 1331 9268 19/, 'the stored IBAN, printed in groups');

      const payPath = new URL(/https:\/\/pay\.northwind\.example(\/pay\/\S+)/.exec(mail?.text ?? '')?.[0] ?? 'https://x/none').pathname;
      const page = await (await app.request(payPath)).text();
      assert.match(page, /From <strong>Harbour Studio Ltd<\/strong>/);
      assert.match(page, /GB29 NWBK 6016 1331 9268 19/);

      // Storing nothing gives every field back to the environment.
      const cleared = await call('owner', 'PUT', '/api/settings/business', {});
      assert.deepEqual([(cleared.json.business as Profile).name, (cleared.json.business as Profile).bank], ['Northwind Design', null]);
      assert.match(await pdfText(draft.id), /Northwind Design/);
      const audit = (await call('viewer', 'GET', '/api/audit?action=settings.changed')).json.entries as { actor: string }[];
      assert.deepEqual(audit.map((e) => e.actor), ['user:owner@example.com', 'user:owner@example.com']);
    });

    test('a logo stored in Settings is printed on documents; a file that is not a PNG is refused by name', async () => {
      const draft = (await call('admin', 'POST', '/api/documents/draft', { sentence: 'Quote Acme Ltd $900 for a logo refresh, valid 30 days', today: '2026-01-05' })).json.document as { id: string };
      const pdf = async () => new Uint8Array(await (await app.request(`/api/documents/${draft.id}/pdf`, { headers: as.viewer })).arrayBuffer());
      assert.equal((await imagesPerPage(await pdf()))[0], 0, 'no logo yet');
      const notPng = await call('owner', 'PUT', '/api/settings/business', { logoPng: Buffer.from('GIF89a not a png at all, really').toString('base64') });
      assert.equal(notPng.status, 400);
      assert.equal(errorOf(notPng.json).details?.path, 'body.logoPng');
      assert.match(errorOf(notPng.json).message, /is not a PNG image/);
      const current = (await call('owner', 'GET', '/api/settings/business')).json.stored as Json;
      const saved = await call('owner', 'PUT', '/api/settings/business', { ...current, logoPng: Buffer.from(await logoPng()).toString('base64') });
      assert.equal(saved.status, 200, JSON.stringify(saved.json).slice(0, 300));
      assert.equal(typeof (saved.json.business as { logoPng: unknown }).logoPng, 'string');
      assert.equal((await imagesPerPage(await pdf()))[0], 1, 'the logo is on page 1');
      const removed = await call('owner', 'PUT', '/api/settings/business', { ...current, logoPng: null });
      assert.equal(removed.status, 200);
      assert.equal((await imagesPerPage(await pdf()))[0], 0, 'removed again');
    });

    test('a change made by another process is seen once the one-second cache has passed', async () => {
      const profiles = new BusinessProfiles(t.app.database.db, { name: 'From the environment' }, 100);
      assert.equal((await profiles.current()).name, 'From the environment');
      // Another process stores a name: this one still answers from its cache for a moment …
      await t.app.database.db.insertInto('settings').values({ key: 'business', value: JSON.stringify({ name: 'Stored elsewhere' }), updated_by: 'test', updated_at: 0 }).onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify({ name: 'Stored elsewhere' }) })).execute();
      assert.equal((await profiles.current()).name, 'From the environment');
      await new Promise((r) => setTimeout(r, 120));
      assert.equal((await profiles.current()).name, 'Stored elsewhere');
    });
  });
}
