/** Settings kept in the database: the business profile printed on documents and shown on pay pages. */
import type { Hono } from 'hono';
import type { OpsLoop } from '../app.ts';
import { businessProfiles, businessSettingsInput, saveBusinessSettings } from '../domains/finance/index.ts';
import { userWith, type AppEnv } from './auth.ts';
import { readJson, validate } from './body.ts';
import { route } from './openapi.ts';

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
}
