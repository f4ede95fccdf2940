/**
 * The mail server and the AI provider in Settings: with nothing in the environment, an owner
 * stores an SMTP server and the next email leaves through it and notifications turn on; the test
 * email reports what the server said, or why it failed; an OpenAI-compatible provider stored in
 * Settings is asked by the next skill call, and `builtin` stops that, all without a restart.
 * Secrets never come back and are not in the audit trail; bad input names its field.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { mailSettings } from '../../src/actions/index.ts';
import { aiSettings } from '../../src/ai/providers/index.ts';
import { createHttpApp } from '../../src/server/index.ts';
import { completion, apiError, startFakeOpenAi, type FakeOpenAi } from '../ai/providers/fake-openai.ts';
import { openTestApp, userWithToken, type TestApp } from '../helpers/app.ts';
import { testDialects } from '../helpers/dialects.ts';
import { startSmtpSink } from '../helpers/smtp.ts';

type Json = Record<string, unknown>;
interface ApiError {
  code: string;
  message: string;
  details?: { path?: string };
}

const password = 's3cret-smtp-Pa55';
const apiKey = 'sk-settings-Secret-Key';

/** A local SMTP server that wants a user name and password (over plain text: it is a test). */
async function startAuthSmtp(user: string, pass: string): Promise<{ port: number; messages: ParsedMail[]; logins: string[]; close(): Promise<void> }> {
  const messages: ParsedMail[] = [];
  const logins: string[] = [];
  const server = new SMTPServer({
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      logins.push(auth.username ?? '');
      if (auth.username === user && auth.password === pass) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.server.address() as net.AddressInfo).port, messages, logins, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitFor(check: () => boolean, what: string, drain: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await drain();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const readText = 'Northwind Traders\nInvoice NW-778\nTotal due 120.00';
const readAnswer = JSON.stringify({ vendor: 'Northwind Traders', address: null, documentNumber: 'NW-778', issueDate: null, dueDate: null, currency: null, subtotal: null, tax: null, total: '120.00' });

for (const dialect of testDialects()) {
  describe(`email and AI provider in Settings on ${dialect}`, () => {
    let t: TestApp;
    let app: ReturnType<typeof createHttpApp>;
    let smtp: Awaited<ReturnType<typeof startAuthSmtp>>;
    let fake: FakeOpenAi;
    const as: Record<string, Record<string, string>> = {};
    const call = async (who: string | null, method: string, path: string, body?: unknown) => {
      const res = await app.request(path, { method, headers: { ...(who === null ? {} : as[who]), 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const text = await res.text();
      return { status: res.status, text, json: JSON.parse(text) as Json };
    };
    const errorOf = (json: Json) => json.error as ApiError;
    const drain = () => t.app.worker.drain();
    const auditText = async () => JSON.stringify((await call('viewer', 'GET', '/api/audit?action=settings.changed')).json);
    const sendEmail = async (subject: string) => {
      await t.app.engine.startRun('mail-one', { subject });
      await drain();
    };
    const runRead = async () => {
      const { runId } = await t.app.engine.startRun('read-doc', { text: readText });
      const run = await t.app.engine.getRun(runId, { steps: true });
      // Done, or waiting for a person because the reading is unsure: either way the skill answered.
      assert.ok(run.status === 'completed' || run.status === 'waiting', JSON.stringify(run));
      assert.equal((run.steps?.[0]?.output as { total: string }).total, '120.00');
      return run.steps?.[0]?.meta as { provider: string };
    };

    before(async () => {
      smtp = await startAuthSmtp('mailer', password);
      fake = await startFakeOpenAi();
      // No SMTP_URL and no OPENAI_* in the environment: everything below comes from Settings.
      t = await openTestApp(dialect, { env: {}, config: { businessName: 'Northwind Design' } });
      app = createHttpApp(t.app);
      for (const role of ['owner', 'admin', 'viewer'] as const) as[role] = (await userWithToken(t.app, `${role}@example.com`, role)).headers;
      await t.app.engine.addWorkflow({ id: 'mail-one', steps: [{ id: 'mail', type: 'action', action: 'email.send', input: { to: 'ap@acme.example', subject: '{{ input.subject }}', text: 'Hello from OpsLoop' } }] });
      await t.app.engine.addWorkflow({ id: 'hold', steps: [{ id: 'ok', type: 'approval', title: 'Pay Acme?' }, { id: 'done', type: 'end' }] });
      await t.app.engine.addWorkflow({ id: 'read-doc', steps: [{ id: 'read', type: 'ai', skill: 'read', input: { text: '{{ input.text }}' }, tier: 'auto' }] });
    });
    after(async () => {
      await t.close();
      await smtp.close();
      await fake.close();
    });

    test('at first nothing is set: email is off, the built-in AI is in use; a viewer reads both and cannot change them', async () => {
      const mail = await call('viewer', 'GET', '/api/settings/mail');
      assert.equal(mail.status, 200);
      assert.equal((mail.json.mail as Json).configured, false);
      assert.equal(((mail.json.mail as Json).sources as Json).host, null);
      const ai = await call('viewer', 'GET', '/api/settings/ai');
      assert.deepEqual([(ai.json.ai as Json).provider, (ai.json.ai as Json).problem], ['builtin', null]);
      for (const who of ['viewer', 'admin']) {
        assert.equal((await call(who, 'PUT', '/api/settings/mail', { host: '127.0.0.1', port: smtp.port })).status, 403, who);
        assert.equal((await call(who, 'PUT', '/api/settings/ai', { provider: 'openai', baseUrl: fake.baseURL, model: 'fake-model' })).status, 403, who);
        assert.equal((await call(who, 'POST', '/api/settings/mail/test', {})).status, 403, who);
        assert.equal((await call(who, 'POST', '/api/settings/ai/test', {})).status, 403, who);
      }
      // Notifications are not queued while no server is set.
      const { runId } = await t.app.engine.startRun('hold', {});
      assert.equal((await t.app.engine.getRun(runId)).status, 'waiting');
      const queued = await t.app.database.db.selectFrom('outbox').select('id').where('kind', '=', 'email').execute();
      assert.equal(queued.length, 0, 'no notification email without a mail server');
    });

    test('bad input is a 400 naming the field, and nothing is stored', async () => {
      const badMail: [Json, string, RegExp][] = [
        [{ host: '127.0.0.1', port: 0 }, 'body.port', /between 1 and 65535/],
        [{ host: '127.0.0.1', port: 70000 }, 'body.port', /between 1 and 65535/],
        [{ host: 'smtp.example.com', from: 'not an email' }, 'body.from', /not an email address/],
        [{ host: 'smtp example com' }, 'body.host', /host name/],
        [{ host: 'smtp.example.com', security: 'ssl' }, 'body.security', /starttls, tls or none/],
        [{ port: 2525 }, 'body.host', /required when port is set/],
        [{ host: 'smtp.example.com', password: 'x' }, 'body.username', /required with a password/],
        [{ host: 'smtp.example.com', fromName: 'Evil\r\nBcc: all@example.com' }, 'body.fromName', /one line/],
        [{ hostname: 'smtp.example.com' }, 'body', /hostname/],
      ];
      for (const [body, path, message] of badMail) {
        const res = await call('owner', 'PUT', '/api/settings/mail', body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(errorOf(res.json).details?.path, path, res.text);
        assert.match(errorOf(res.json).message, message);
      }
      const badAi: [Json, string, RegExp][] = [
        [{ provider: 'openai', baseUrl: fake.baseURL }, 'body.model', /model/],
        [{ provider: 'openai', model: 'fake-model' }, 'body.baseUrl', /required/],
        [{ provider: 'openai', baseUrl: 'ftp://models.example.com/v1', model: 'm' }, 'body.baseUrl', /http\(s\) URL/],
        [{ provider: 'openai', baseUrl: 'not a url', model: 'm' }, 'body.baseUrl', /http\(s\) URL/],
        [{ provider: 'gpt' }, 'body.provider', /builtin or openai/],
        [{ provider: 'openai', baseUrl: fake.baseURL, model: 'm', timeoutMs: 5 }, 'body.timeoutMs', /at least 1000/],
        [{ provider: 'openai', baseUrl: fake.baseURL, model: 'm', priceInputPerMTok: -1 }, 'body.priceInputPerMTok', /non-negative/],
      ];
      for (const [body, path, message] of badAi) {
        const res = await call('owner', 'PUT', '/api/settings/ai', body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(errorOf(res.json).details?.path, path, res.text);
        assert.match(errorOf(res.json).message, message);
      }
      assert.deepEqual((await call('viewer', 'GET', '/api/settings/mail')).json.stored, { passwordSet: false }, 'nothing stored');
      assert.deepEqual((await call('viewer', 'GET', '/api/settings/ai')).json.stored, { apiKeySet: false }, 'nothing stored');
      const rows = await t.app.database.db.selectFrom('settings').select('key').execute();
      assert.deepEqual(rows, []);
      assert.doesNotMatch(await auditText(), /settings\.changed/);
    });

    test('a mail server saved in Settings sends the next email and turns notifications on; the password never comes back', async () => {
      const saved = await call('owner', 'PUT', '/api/settings/mail', { host: '127.0.0.1', port: smtp.port, security: 'none', username: 'mailer', password, from: 'billing@northwind.example', fromName: 'Northwind Billing' });
      assert.equal(saved.status, 200, saved.text);
      assert.doesNotMatch(saved.text, new RegExp(password));
      const mail = saved.json.mail as Json;
      assert.deepEqual([mail.configured, mail.host, mail.port, mail.security, mail.username, mail.passwordSet, mail.from, mail.fromName], [true, '127.0.0.1', smtp.port, 'none', 'mailer', true, 'billing@northwind.example', 'Northwind Billing']);
      assert.deepEqual(mail.sources, { host: 'settings', port: 'settings', security: 'settings', username: 'settings', password: 'settings', from: 'settings', fromName: 'settings' });
      const read = await call('viewer', 'GET', '/api/settings/mail');
      assert.doesNotMatch(read.text, new RegExp(password), 'GET never returns the password');
      assert.equal((read.json.stored as Json).passwordSet, true);

      await sendEmail('First through Settings');
      await waitFor(() => smtp.messages.some((m) => m.subject === 'First through Settings'), 'the email', drain);
      const first = smtp.messages.find((m) => m.subject === 'First through Settings');
      assert.equal(first?.from?.text, '"Northwind Billing" <billing@northwind.example>');
      assert.deepEqual(smtp.logins.slice(-1), ['mailer'], 'it signed in with the stored user name and password');

      // The notification path follows the settings: an approval now emails the owner and admin.
      const { runId } = await t.app.engine.startRun('hold', {});
      assert.equal((await t.app.engine.getRun(runId)).status, 'waiting');
      await waitFor(() => smtp.messages.some((m) => m.subject === 'Waiting for you: ok (hold)'), 'the approval notification', drain);

      // Saving without the password keeps it.
      const renamed = await call('owner', 'PUT', '/api/settings/mail', { host: '127.0.0.1', port: smtp.port, security: 'none', username: 'mailer', from: 'billing@northwind.example', fromName: 'Northwind Accounts' });
      assert.equal(renamed.status, 200, renamed.text);
      assert.equal((renamed.json.mail as Json).passwordSet, true);
      await sendEmail('Second through Settings');
      await waitFor(() => smtp.messages.some((m) => m.subject === 'Second through Settings'), 'the second email', drain);
      assert.equal(smtp.messages.find((m) => m.subject === 'Second through Settings')?.from?.text, '"Northwind Accounts" <billing@northwind.example>');

      const audit = await auditText();
      assert.doesNotMatch(audit, new RegExp(password), 'the audit trail records the change, not the secret');
      const entries = (await call('viewer', 'GET', '/api/audit?action=settings.changed')).json.entries as { actor: string; subjectId: string; data: Json }[];
      const mailEntries = entries.filter((e) => e.subjectId === 'mail');
      assert.equal(mailEntries.length, 2);
      assert.deepEqual(mailEntries.map((e) => e.data.password ?? 'unchanged').sort(), ['set', 'unchanged']);
      assert.ok(mailEntries.every((e) => e.actor === 'user:owner@example.com'));
    });

    test('the test email is sent now and reports what the server said; a wrong port or password is explained', async () => {
      const before = smtp.messages.length;
      const toMe = await call('owner', 'POST', '/api/settings/mail/test', {});
      assert.equal(toMe.status, 200, toMe.text);
      const sent = toMe.json.sent as { to: string; response: string; accepted: string[]; server: string };
      assert.equal(sent.to, 'owner@example.com', 'to the signed-in owner by default');
      assert.deepEqual(sent.accepted, ['owner@example.com']);
      assert.match(sent.response, /^250 /);
      assert.equal(sent.server, `127.0.0.1:${smtp.port}`);
      const arrived = smtp.messages.slice(before).find((m) => m.subject === 'OpsLoop test email');
      assert.ok(arrived, 'it arrived without going through the outbox');
      assert.match(arrived.text ?? '', /sent by owner@example.com/);
      const toOps = await call('owner', 'POST', '/api/settings/mail/test', { to: 'ops@northwind.example' });
      assert.equal(toOps.status, 200);
      assert.equal((toOps.json.sent as { to: string }).to, 'ops@northwind.example');
      const badTo = await call('owner', 'POST', '/api/settings/mail/test', { to: 'nobody' });
      assert.deepEqual([badTo.status, errorOf(badTo.json).details?.path], [400, 'body.to']);

      const nowhere = await closedPort();
      await call('owner', 'PUT', '/api/settings/mail', { host: '127.0.0.1', port: nowhere, security: 'none', username: 'mailer', password, from: 'billing@northwind.example' });
      const refused = await call('owner', 'POST', '/api/settings/mail/test', {});
      assert.equal(refused.status, 502, refused.text);
      assert.equal(errorOf(refused.json).code, 'EMAIL_TEST_FAILED');
      assert.match(errorOf(refused.json).message, new RegExp(`Connection refused by 127\\.0\\.0\\.1:${nowhere}`));

      await call('owner', 'PUT', '/api/settings/mail', { host: '127.0.0.1', port: smtp.port, security: 'none', username: 'mailer', password: 'wrong-password', from: 'billing@northwind.example' });
      const denied = await call('owner', 'POST', '/api/settings/mail/test', {});
      assert.equal(denied.status, 502, denied.text);
      assert.match(errorOf(denied.json).message, /Authentication failed at 127\.0\.0\.1:\d+/);
      assert.doesNotMatch(denied.text, /wrong-password/);
    });

    test('a changed host drops the kept password; clearing the server gives email back to the environment, here none', async () => {
      await call('owner', 'PUT', '/api/settings/mail', { host: '127.0.0.1', port: smtp.port, security: 'none', username: 'mailer', password, from: 'billing@northwind.example' });
      const moved = await call('owner', 'PUT', '/api/settings/mail', { host: 'localhost', port: smtp.port, security: 'none', username: 'mailer', from: 'billing@northwind.example' });
      assert.equal(moved.status, 200);
      assert.equal((moved.json.mail as Json).passwordSet, false, 'the password is not sent to another server unseen');

      // Another server: the next email goes there, not to the one before.
      const other = await startSmtpSink();
      try {
        await call('owner', 'PUT', '/api/settings/mail', { host: '127.0.0.1', port: Number(new URL(other.url).port), security: 'none', from: 'billing@northwind.example' });
        const before = smtp.messages.length;
        await sendEmail('To the other server');
        await waitFor(() => other.messages.some((m) => m.subject === 'To the other server'), 'the email at the other server', drain);
        assert.equal(smtp.messages.length, before, 'nothing went to the old server');
      } finally {
        await other.close();
      }

      const cleared = await call('owner', 'PUT', '/api/settings/mail', {});
      assert.equal(cleared.status, 200);
      assert.equal((cleared.json.mail as Json).configured, false);
      const test = await call('owner', 'POST', '/api/settings/mail/test', {});
      assert.deepEqual([test.status, errorOf(test.json).code], [400, 'EMAIL_NOT_CONFIGURED']);
      assert.match(errorOf(test.json).message, /Settings → Email/);

      await sendEmail('Nowhere to go');
      const row = await t.app.database.db.selectFrom('outbox').select(['status', 'last_error', 'payload']).where('kind', '=', 'email').where('payload', 'like', '%Nowhere to go%').executeTakeFirstOrThrow();
      assert.equal(row.status, 'dead', 'not retried');
      assert.match(row.last_error ?? '', /Email is not configured: set the mail server in Settings → Email, or SMTP_URL/);
    });

    test('an OpenAI-compatible provider saved in Settings is asked by the next skill call; builtin stops that', async () => {
      assert.equal((await runRead()).provider, 'builtin');
      assert.equal(fake.requests.length, 0, 'the built-in reader asks no one');

      const saved = await call('owner', 'PUT', '/api/settings/ai', { provider: 'openai', baseUrl: fake.baseURL, model: 'fake-model', apiKey, priceInputPerMTok: 1, priceOutputPerMTok: 2 });
      assert.equal(saved.status, 200, saved.text);
      assert.doesNotMatch(saved.text, new RegExp(apiKey));
      const ai = saved.json.ai as Json;
      assert.deepEqual([ai.provider, ai.baseUrl, ai.model, ai.apiKeySet, ai.problem], ['openai', fake.baseURL, 'fake-model', true, null]);
      assert.deepEqual(ai.sources, { provider: 'settings', baseUrl: 'settings', model: 'settings', apiKey: 'settings', timeoutMs: null, priceInputPerMTok: 'settings', priceOutputPerMTok: 'settings' });

      fake.script(completion(readAnswer, { promptTokens: 300, completionTokens: 40 }));
      await runRead();
      assert.equal(fake.requests.length, 1, 'the next call went to the provider in Settings, without a restart');
      assert.equal(fake.requests[0]?.body.model, 'fake-model');
      assert.equal(fake.requests[0]?.headers.authorization, `Bearer ${apiKey}`);

      // Back to the built-in models; the key is kept for later but not used.
      const builtin = await call('owner', 'PUT', '/api/settings/ai', { provider: 'builtin', baseUrl: fake.baseURL, model: 'fake-model' });
      assert.equal(builtin.status, 200, builtin.text);
      assert.deepEqual([(builtin.json.ai as Json).provider, (builtin.json.ai as Json).apiKeySet], ['builtin', true]);
      assert.equal((await runRead()).provider, 'builtin');
      assert.equal(fake.requests.length, 1, 'builtin: the server is not asked');

      const read = await call('viewer', 'GET', '/api/settings/ai');
      assert.doesNotMatch(read.text, new RegExp(apiKey));
      const audit = await auditText();
      assert.doesNotMatch(audit, new RegExp(apiKey), 'the audit trail records the change, not the key');
      assert.match(audit, /"apiKey":"set"/);
    });

    test('the AI connection test answers the model, latency and tokens, or says what went wrong', async () => {
      const builtin = await call('owner', 'POST', '/api/settings/ai/test', {});
      assert.deepEqual([builtin.status, errorOf(builtin.json).code], [400, 'AI_PROVIDER_BUILTIN']);

      await call('owner', 'PUT', '/api/settings/ai', { provider: 'openai', baseUrl: fake.baseURL, model: 'fake-model', apiKey });
      fake.reset();
      fake.script(completion(JSON.stringify({ answer: 'ok' }), { promptTokens: 12, completionTokens: 3 }));
      const ok = await call('owner', 'POST', '/api/settings/ai/test', {});
      assert.equal(ok.status, 200, ok.text);
      const result = ok.json.result as { model: string; answer: string; latencyMs: number; usage: { promptTokens: number; completionTokens: number } };
      assert.deepEqual([result.model, result.answer, result.usage.promptTokens, result.usage.completionTokens], ['fake-model', 'ok', 12, 3]);
      assert.ok(result.latencyMs >= 0);
      assert.equal(fake.requests.length, 1);

      fake.script(apiError(401, 'Incorrect API key provided: sk-set***Key.'));
      const unauthorized = await call('owner', 'POST', '/api/settings/ai/test', {});
      assert.equal(unauthorized.status, 502, unauthorized.text);
      assert.match(errorOf(unauthorized.json).message, /refused the API key \(HTTP 401\)/);

      fake.script(apiError(404, 'The model `fake-model` does not exist', {}, 'model_not_found'));
      const missing = await call('owner', 'POST', '/api/settings/ai/test', {});
      assert.equal(missing.status, 502);
      assert.match(errorOf(missing.json).message, /model "fake-model" was not found/);
      assert.equal(fake.requests.length, 3, 'one attempt each: a test does not retry');

      const nowhere = await closedPort();
      await call('owner', 'PUT', '/api/settings/ai', { provider: 'openai', baseUrl: `http://127.0.0.1:${nowhere}/v1`, model: 'fake-model' });
      const unreachable = await call('owner', 'POST', '/api/settings/ai/test', {});
      assert.equal(unreachable.status, 502, unreachable.text);
      assert.match(errorOf(unreachable.json).message, new RegExp(`Could not connect to http://127\\.0\\.0\\.1:${nowhere}/v1: connection refused`));
    });

    test('stored settings that cannot be used stop nothing: skills fall back, approvals open, and Settings shows why', async () => {
      const before = fake.requests.length;
      const settings = aiSettings(t.app.database);
      // As a hand edit of the database could leave it: openai without a model, then not JSON at all.
      for (const [value, problem] of [
        [JSON.stringify({ provider: 'openai', baseUrl: fake.baseURL }), /no model/],
        ['{not json', /cannot be read/],
      ] as const) {
        await t.app.database.db.updateTable('settings').set({ value }).where('key', '=', 'ai').execute();
        settings.invalidate();
        assert.equal((await runRead()).provider, 'builtin', 'the skill used its built-in reader');
        const shown = await call('viewer', 'GET', '/api/settings/ai');
        assert.equal(shown.status, 200);
        assert.match(String((shown.json.ai as Json).problem), problem);
      }
      assert.equal(fake.requests.length, before, 'nothing was sent anywhere');

      // Mail settings that cannot be read: shown, and approvals still open (without a notification).
      await t.app.database.db.updateTable('settings').set({ value: '{"host": 25}' }).where('key', '=', 'mail').execute();
      mailSettings(t.app.database, t.app.config).invalidate();
      const shownMail = await call('viewer', 'GET', '/api/settings/mail');
      assert.equal(shownMail.status, 200);
      assert.match(String(shownMail.json.problem), /cannot be read: save them again in Settings → Email/);
      const { runId } = await t.app.engine.startRun('hold', {});
      assert.equal((await t.app.engine.getRun(runId)).status, 'waiting');
      const repaired = await call('owner', 'PUT', '/api/settings/mail', { from: 'billing@northwind.example' });
      assert.equal(repaired.status, 200, 'saving again repairs them');
      assert.equal((await call('viewer', 'GET', '/api/settings/mail')).json.problem, null);
      const fixed = await call('owner', 'PUT', '/api/settings/ai', { provider: 'builtin' });
      assert.equal(fixed.status, 200);
      assert.equal((fixed.json.ai as Json).problem, null);
    });
  });
}

for (const dialect of testDialects()) {
  describe(`email settings over SMTP_URL on ${dialect}`, () => {
    let t: TestApp;
    let app: ReturnType<typeof createHttpApp>;
    let owner: Record<string, string>;
    before(async () => {
      t = await openTestApp(dialect, { env: {}, config: { smtpUrl: 'smtp://relay:pw-in-env@127.0.0.1:2525', mailFrom: 'Northwind <hello@northwind.example>' } });
      app = createHttpApp(t.app);
      owner = (await userWithToken(t.app, 'owner@example.com', 'owner')).headers;
    });
    after(async () => t.close());

    test('each field says it comes from the environment, without its password; a stored sender applies over OPSLOOP_MAIL_FROM only where set', async () => {
      const res = await app.request('/api/settings/mail', { headers: owner });
      const text = await res.text();
      assert.doesNotMatch(text, /pw-in-env/, 'not even the environment\'s password is shown');
      const mail = (JSON.parse(text) as { mail: Json }).mail;
      assert.deepEqual([mail.configured, mail.host, mail.port, mail.username, mail.passwordSet, mail.from, mail.fromName], [true, '127.0.0.1', 2525, 'relay', true, 'hello@northwind.example', 'Northwind']);
      assert.deepEqual(mail.sources, { host: 'environment', port: 'environment', security: 'environment', username: 'environment', password: 'environment', from: 'environment', fromName: 'environment' });

      const saved = await app.request('/api/settings/mail', { method: 'PUT', headers: { ...owner, 'content-type': 'application/json' }, body: JSON.stringify({ from: 'billing@northwind.example' }) });
      assert.equal(saved.status, 200);
      const after = (await saved.json()) as { mail: Json };
      assert.deepEqual([after.mail.host, after.mail.from, after.mail.fromName], ['127.0.0.1', 'billing@northwind.example', 'Northwind']);
      assert.deepEqual(after.mail.sources, { host: 'environment', port: 'environment', security: 'environment', username: 'environment', password: 'environment', from: 'settings', fromName: 'environment' });
    });
  });
}

describe('AI settings over OPENAI_* (sqlite)', () => {
  let t: TestApp;
  let app: ReturnType<typeof createHttpApp>;
  let owner: Record<string, string>;
  let envServer: FakeOpenAi;
  let otherServer: FakeOpenAi;
  const put = async (body: Json) => {
    const res = await app.request('/api/settings/ai', { method: 'PUT', headers: { ...owner, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(res.status, 200, await res.clone().text());
    return ((await res.json()) as { ai: Json }).ai;
  };
  const read = async () => {
    await t.app.engine.startRun('read-doc', { text: readText });
  };
  before(async () => {
    envServer = await startFakeOpenAi();
    otherServer = await startFakeOpenAi();
    t = await openTestApp('sqlite', { env: { OPENAI_BASE_URL: envServer.baseURL, OPENAI_MODEL: 'env-model', OPENAI_API_KEY: 'sk-env-key' } });
    app = createHttpApp(t.app);
    owner = (await userWithToken(t.app, 'owner@example.com', 'owner')).headers;
    await t.app.engine.addWorkflow({ id: 'read-doc', steps: [{ id: 'read', type: 'ai', skill: 'read', input: { text: '{{ input.text }}' }, tier: 'auto' }] });
  });
  after(async () => {
    await t.close();
    await envServer.close();
    await otherServer.close();
  });

  test('each field not stored comes from the environment, but its key goes only to its own server', async () => {
    envServer.script(completion(readAnswer));
    await read();
    assert.deepEqual([envServer.requests.at(-1)?.body.model, envServer.requests.at(-1)?.headers.authorization], ['env-model', 'Bearer sk-env-key'], 'nothing stored: as before');

    const modelOnly = await put({ model: 'settings-model' });
    assert.deepEqual([modelOnly.provider, (modelOnly.sources as Json).provider, (modelOnly.sources as Json).model, (modelOnly.sources as Json).apiKey], ['openai', 'environment', 'settings', 'environment']);
    envServer.script(completion(readAnswer));
    await read();
    assert.deepEqual([envServer.requests.at(-1)?.body.model, envServer.requests.at(-1)?.headers.authorization], ['settings-model', 'Bearer sk-env-key']);

    const elsewhere = await put({ baseUrl: otherServer.baseURL });
    assert.equal(elsewhere.apiKeySet, false, "the environment's key is not for this server");
    otherServer.script(completion(readAnswer));
    await read();
    assert.equal(otherServer.requests.length, 1);
    assert.notEqual(otherServer.requests[0]?.headers.authorization, 'Bearer sk-env-key');
    assert.equal(otherServer.requests[0]?.body.model, 'env-model');

    await put({ provider: 'builtin' });
    const asked = envServer.requests.length + otherServer.requests.length;
    await read();
    assert.equal(envServer.requests.length + otherServer.requests.length, asked, 'builtin: no server is asked, whatever the environment says');
  });
});
