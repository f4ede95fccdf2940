/**
 * Settings kept in the database: the business profile printed on documents and shown on pay
 * pages, the outgoing mail server and the AI provider. Anyone signed in reads them (secrets only
 * as "set or not"); an owner changes and tests them.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { OpsLoop } from '../app.ts';
import { mailSettings, mailSettingsInput, MailTestError, resolveMail, saveMailSettings, sendTestEmail, storedView, type StoredMail } from '../actions/index.ts';
import { aiSettings, aiSettingsInput, AiTestError, saveAiSettings, storedAiView, testAiProvider } from '../ai/providers/index.ts';
import { messageOf, ValidationError, type OpsLoopError } from '../core/errors.ts';
import { businessProfiles, businessSettingsInput, saveBusinessSettings } from '../domains/finance/index.ts';
import { appendAudit } from '../governance/index.ts';
import { userWith, type AppEnv } from './auth.ts';
import { readJson, validate } from './body.ts';
import { route } from './openapi.ts';

const mailTestBody = z.object({ to: z.email('is not an email address').optional() }).strict();
const aiTestBody = z.object({}).strict();

/** A field the save refused, named as the body's field like every other 400. */
function inBody(error: unknown): unknown {
  const path = error instanceof ValidationError ? error.details?.['path'] : undefined;
  if (!(error instanceof ValidationError) || typeof path !== 'string') return error;
  return new ValidationError(error.code, error.message, { details: { ...error.details, path: `body.${path}` }, cause: error });
}

/** A test that reached a server which failed: 502, with the error's words. */
const badGateway = (c: Context<AppEnv>, error: OpsLoopError) => c.json({ error: error.toJSON() }, 502);

export function mountSettingsApi(app: Hono<AppEnv>, opsloop: OpsLoop): void {
  const profiles = businessProfiles(opsloop.database, opsloop.config);
  const answer = async () => {
    const [business, stored] = await Promise.all([profiles.current(), profiles.stored()]);
    // The logo travels as base64 PNG, as it is stored and sent.
    const logo = business.logoPng === undefined || business.logoPng === null ? null : Buffer.from(business.logoPng).toString('base64');
    return { business: { ...business, logoPng: logo }, stored, environment: profiles.environment };
  };
  route(
    app,
    {
      method: 'get',
      path: '/api/settings/business',
      tag: 'settings',
      summary: 'The business profile: what documents show (business), what is stored in Settings (stored), and the environment defaults',
      role: 'viewer',
    },
    async (c) => {
      userWith(c, 'viewer');
      return c.json(await answer());
    },
  );
  route(
    app,
    {
      method: 'put',
      path: '/api/settings/business',
      tag: 'settings',
      summary: 'Store the business profile (name, address, email, phone, tax id, bank details, logo)',
      description: 'Replaces what is stored. A field left out, null or blank is not stored: the environment (OPSLOOP_BUSINESS_NAME, OPSLOOP_BANK_IBAN, …) applies to it.',
      role: 'owner',
      body: businessSettingsInput,
    },
    async (c) => {
      const user = userWith(c, 'owner');
      const body = validate(businessSettingsInput, await readJson(c));
      await opsloop.engine.committer.unit((tx) => saveBusinessSettings(tx, opsloop.database.dialect, body, `user:${user.email}`, opsloop.engine.clock.now()));
      profiles.invalidate();
      return c.json(await answer());
    },
  );
  mountMailSettings(app, opsloop);
  mountAiSettings(app, opsloop);
}

function mountMailSettings(app: Hono<AppEnv>, opsloop: OpsLoop): void {
  const mail = mailSettings(opsloop.database, opsloop.config);
  const environment = { smtpUrl: opsloop.config.smtpUrl, from: opsloop.config.mailFrom };
  const answer = async () => {
    let stored: StoredMail = {};
    let problem: string | null = null;
    try {
      stored = await mail.stored();
    } catch (error) {
      problem = messageOf(error);
    }
    return { mail: resolveMail(environment, stored).view, stored: storedView(stored), environment: mail.environment, problem };
  };
  route(
    app,
    {
      method: 'get',
      path: '/api/settings/mail',
      tag: 'settings',
      summary: 'The outgoing mail server: the settings in force (mail, each field with its source), what is stored in Settings, and the environment defaults; never the password',
      role: 'viewer',
    },
    async (c) => {
      userWith(c, 'viewer');
      return c.json(await answer());
    },
  );
  route(
    app,
    {
      method: 'put',
      path: '/api/settings/mail',
      tag: 'settings',
      summary: 'Store the outgoing mail server (host, port, security, user name, password) and the sender',
      description:
        'Replaces what is stored. A field left out, null or blank is not stored: SMTP_URL and OPSLOOP_MAIL_FROM apply to it; a stored host replaces SMTP_URL as a whole. The password is write-only: left out keeps the stored one (unless the host changes), null or "" removes it.',
      role: 'owner',
      body: mailSettingsInput,
    },
    async (c) => {
      const user = userWith(c, 'owner');
      const body = validate(mailSettingsInput, await readJson(c));
      const actor = `user:${user.email}`;
      await opsloop.engine.committer.unit(async (tx) => {
        const now = opsloop.engine.clock.now();
        const { audit } = await saveMailSettings(tx, body, actor, now);
        await appendAudit(tx, opsloop.database.dialect, [{ actor, action: 'settings.changed', subjectType: 'settings', subjectId: 'mail', data: audit }], now);
      });
      mail.invalidate();
      return c.json(await answer());
    },
  );
  route(
    app,
    {
      method: 'post',
      path: '/api/settings/mail/test',
      tag: 'settings',
      summary: 'Send a test email now with the settings in force (to the address given, or to you) and answer with what the server said',
      description: 'Sent directly, not through the outbox; gives up after 15 s. 400 EMAIL_NOT_CONFIGURED when no server is set; 502 EMAIL_TEST_FAILED says what went wrong (connection refused, authentication failed, …).',
      role: 'owner',
      body: mailTestBody,
      errors: { 502: 'The mail server could not be reached or refused the message; the message says how' },
    },
    async (c) => {
      const user = userWith(c, 'owner');
      const body = validate(mailTestBody, await readJson(c));
      const stored = await mail.stored();
      try {
        return c.json({ sent: await sendTestEmail(resolveMail(environment, stored), body.to ?? user.email, user.email) });
      } catch (error) {
        if (error instanceof MailTestError) return badGateway(c, error);
        throw error;
      }
    },
  );
}

function mountAiSettings(app: Hono<AppEnv>, opsloop: OpsLoop): void {
  const ai = aiSettings(opsloop.database);
  const answer = async () => {
    const [{ view }, stored] = await Promise.all([ai.current(), ai.stored().catch(() => ({}))]);
    return { ai: view, stored: storedAiView(stored), environment: ai.environmentView };
  };
  route(
    app,
    {
      method: 'get',
      path: '/api/settings/ai',
      tag: 'settings',
      summary: 'The AI provider: the settings in force (ai, each field with its source, and a problem that keeps it from being used), what is stored in Settings, and the environment defaults; never the API key',
      role: 'viewer',
    },
    async (c) => {
      userWith(c, 'viewer');
      return c.json(await answer());
    },
  );
  route(
    app,
    {
      method: 'put',
      path: '/api/settings/ai',
      tag: 'settings',
      summary: 'Store the AI provider: built-in only, or an OpenAI-compatible server (base URL, model, API key, timeout, prices)',
      description:
        'Replaces what is stored. A field left out, null or blank is not stored: OPENAI_BASE_URL, OPENAI_MODEL, OPENAI_API_KEY and OPSLOOP_AI_* apply to it (the environment\'s key only with the environment\'s base URL). The API key is write-only: left out keeps the stored one (unless the base URL changes), null or "" removes it. Skills use the new settings from their next call.',
      role: 'owner',
      body: aiSettingsInput,
    },
    async (c) => {
      const user = userWith(c, 'owner');
      const body = validate(aiSettingsInput, await readJson(c));
      const actor = `user:${user.email}`;
      await opsloop.engine.committer.unit(async (tx) => {
        const now = opsloop.engine.clock.now();
        const { audit } = await saveAiSettings(tx, ai.environment, body, actor, now).catch((error: unknown) => {
          throw inBody(error);
        });
        await appendAudit(tx, opsloop.database.dialect, [{ actor, action: 'settings.changed', subjectType: 'settings', subjectId: 'ai', data: audit }], now);
      });
      ai.invalidate();
      return c.json(await answer());
    },
  );
  route(
    app,
    {
      method: 'post',
      path: '/api/settings/ai/test',
      tag: 'settings',
      summary: 'Ask the configured model one tiny structured question and answer with the model, the latency and the tokens used',
      description: 'One attempt, at most 15 s. 400 AI_PROVIDER_BUILTIN when the built-in models are in use, AI_CONFIG_INVALID when the settings cannot be used; 502 AI_TEST_FAILED says what went wrong (unreachable, 401, model not found, …).',
      role: 'owner',
      body: aiTestBody,
      errors: { 502: 'The AI server could not be reached or refused the request; the message says how' },
    },
    async (c) => {
      userWith(c, 'owner');
      validate(aiTestBody, await readJson(c));
      try {
        return c.json({ result: await testAiProvider(await ai.current()) });
      } catch (error) {
        if (error instanceof AiTestError) return badGateway(c, error);
        throw error;
      }
    },
  );
}
