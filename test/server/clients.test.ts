/**
 * The clients API: the list with what each client owes per currency, one client with its
 * documents, and changing a client's details — admins only, every bad field named, nothing
 * written half-way, every change audited.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHttpApp } from '../../src/server/index.ts';
import { openTestApp, userWithToken, type TestApp } from '../helpers/app.ts';
import { testDialects } from '../helpers/dialects.ts';

type Json = Record<string, unknown>;
interface Client {
  id: string;
  name: string;
  email: string | null;
  currency: string | null;
  paymentTermsDays: number | null;
  reminderCadence: string | null;
  notes: string | null;
  openBalance: { currency: string; amount: string }[];
  invoiceCount: number;
  lastInvoiceDate: string | null;
}

for (const dialect of testDialects()) {
  describe(`the clients API on ${dialect}`, () => {
    let t: TestApp;
    let app: ReturnType<typeof createHttpApp>;
    const as: Record<string, Record<string, string>> = {};
    const call = async (who: string | null, method: string, path: string, body?: unknown) => {
      const res = await app.request(path, { method, headers: { ...(who === null ? {} : as[who]), 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: res.status, json: (await res.json()) as Json };
    };
    const draft = async (sentence: string, today: string) => ((await call('admin', 'POST', '/api/documents/draft', { sentence, today })).json.document as { id: string; number: string }).id;
    const errorOf = (json: Json) => json.error as { code: string; message: string; details?: { path?: string } };
    let acme: Client;

    before(async () => {
      t = await openTestApp(dialect);
      app = createHttpApp(t.app);
      for (const role of ['owner', 'admin', 'viewer'] as const) as[role] = (await userWithToken(t.app, `${role}@example.com`, role)).headers;
      // Acme: two invoices sent (USD and EUR), one part-paid; a draft and a void one do not count.
      const first = await draft('Invoice Acme Ltd $2,500 for website development due in 14 days', '2026-01-05');
      const second = await draft('Invoice Acme Ltd 400 EUR for hosting', '2026-02-01');
      const drafted = await draft('Invoice Acme Ltd $99 for a domain', '2026-02-03');
      const voided = await draft('Invoice Acme Ltd $50 for nothing', '2026-03-01');
      for (const id of [first, second]) assert.equal((await call('admin', 'POST', `/api/documents/${id}/link`)).status, 200);
      assert.equal((await call('admin', 'POST', `/api/documents/${first}/payments`, { amount: '1000.00', paidOn: '2026-01-10' })).status, 201);
      assert.equal((await call('admin', 'POST', `/api/documents/${voided}/void`, { reason: 'typed by mistake' })).status, 200);
      assert.ok(drafted);
      // Bright Bakery: a quote only.
      await draft('Quote Bright Bakery €1,200 for a new logo, valid 30 days', '2026-01-20');
    });
    after(async () => t.close());

    test('needs credentials; a viewer sees every client with what they owe', async () => {
      assert.equal((await call(null, 'GET', '/api/clients')).status, 401);
      const res = await call('viewer', 'GET', '/api/clients');
      assert.equal(res.status, 200);
      const clients = res.json.clients as Client[];
      assert.deepEqual(clients.map((c) => c.name), ['Acme Ltd', 'Bright Bakery']);
      acme = clients[0] as Client;
      assert.deepEqual(acme.openBalance, [
        { currency: 'EUR', amount: '400.00' },
        { currency: 'USD', amount: '1500.00' },
      ]);
      assert.equal(acme.invoiceCount, 3, 'the draft counts, the void one does not');
      assert.equal(acme.lastInvoiceDate, '2026-02-03');
      assert.deepEqual([acme.email, acme.currency, acme.paymentTermsDays, acme.reminderCadence], [null, null, null, null]);
      const bakery = clients[1] as Client;
      assert.deepEqual([bakery.openBalance, bakery.invoiceCount, bakery.lastInvoiceDate], [[], 0, null]);
    });

    test('one client comes with its documents, newest first', async () => {
      const res = await call('viewer', 'GET', `/api/clients/${acme.id}`);
      assert.equal(res.status, 200);
      assert.equal((res.json.client as Client).name, 'Acme Ltd');
      assert.deepEqual((res.json.documents as { number: string; status: string }[]).map((d) => `${d.number} ${d.status}`), ['INV-2026-0004 void', 'INV-2026-0003 draft', 'INV-2026-0002 sent', 'INV-2026-0001 partially_paid']);
      const missing = await call('viewer', 'GET', '/api/clients/no-such-client');
      assert.equal(missing.status, 404);
      assert.equal(errorOf(missing.json).code, 'CLIENT_NOT_FOUND');
    });

    test('only an admin changes a client; each bad field is named and nothing is written', async () => {
      const forbidden = await call('viewer', 'PATCH', `/api/clients/${acme.id}`, { email: 'ap@acme.example' });
      assert.equal(forbidden.status, 403);
      const bad: [Json, string][] = [
        [{ email: 'not an email' }, 'body.email'],
        [{ email: 'ap@acme.example', reminderCadence: '7,x' }, 'body.reminderCadence'],
        [{ reminderCadence: '-3,0,500' }, 'body.reminderCadence'],
        [{ currency: 'EURO' }, 'body.currency'],
        [{ currency: 'XYZ' }, 'body.currency'],
        [{ paymentTermsDays: -1 }, 'body.paymentTermsDays'],
        [{ paymentTermsDays: 14.5 }, 'body.paymentTermsDays'],
        [{ name: 'Renamed' }, 'body'],
      ];
      for (const [body, path] of bad) {
        const res = await call('admin', 'PATCH', `/api/clients/${acme.id}`, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(errorOf(res.json).details?.path, path, `${JSON.stringify(body)}: ${errorOf(res.json).message}`);
      }
      assert.match(errorOf((await call('admin', 'PATCH', `/api/clients/${acme.id}`, { reminderCadence: '-3,0,500' })).json).message, /between -90 and 365/);
      const after = (await call('viewer', 'GET', `/api/clients/${acme.id}`)).json.client as Client;
      assert.equal(after.email, null, 'the email of the refused change was not written');
      assert.equal((await call('admin', 'PATCH', '/api/clients/no-such-client', { email: 'a@b.example' })).status, 404);
    });

    test('a change is saved and audited; null puts the business default back', async () => {
      const res = await call('admin', 'PATCH', `/api/clients/${acme.id}`, { email: 'AP@acme.example ', currency: 'usd', paymentTermsDays: 30, reminderCadence: '-1, 7,14', notes: 'Pays late in August' });
      assert.equal(res.status, 200, JSON.stringify(res.json));
      const client = res.json.client as Client;
      assert.deepEqual([client.email, client.currency, client.paymentTermsDays, client.reminderCadence, client.notes], ['AP@acme.example', 'USD', 30, '-1, 7,14', 'Pays late in August']);
      assert.equal(((await call('viewer', 'GET', '/api/clients')).json.clients as Client[])[0]?.paymentTermsDays, 30);

      const audit = (await call('viewer', 'GET', `/api/audit?subject=${acme.id}`)).json.entries as { action: string; actor: string; data: { before: Json; after: Json } }[];
      const change = audit.find((e) => e.action === 'record.changed');
      assert.ok(change, 'the change is in the audit trail');
      assert.equal(change.actor, 'user:admin@example.com');
      assert.deepEqual(change.data.before, { email: null, currency: null, paymentTermsDays: null, reminderCadence: null, notes: null });
      assert.equal(change.data.after.reminderCadence, '-1, 7,14');

      const cleared = (await call('admin', 'PATCH', `/api/clients/${acme.id}`, { reminderCadence: null, notes: '' })).json.client as Client;
      assert.deepEqual([cleared.reminderCadence, cleared.notes, cleared.email], [null, null, 'AP@acme.example'], 'only the fields sent change');
    });
  });
}
