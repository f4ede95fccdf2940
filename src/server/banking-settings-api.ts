/**
 * Settings → Bank reconciliation: the confidence at or above which bank matches are applied
 * without asking, stored over OPSLOOP_RECONCILE_THRESHOLD. Anyone signed in reads it; an owner
 * changes it. Mounted with the banking API; documented under the `settings` tag.
 */
import type { Hono } from 'hono';
import type { OpsLoop } from '../app.ts';
import { messageOf } from '../core/errors.ts';
import { bankingSettings, bankingSettingsInput, resolveBanking, saveBankingSettings, type BankingSettingsAnswer, type StoredBanking } from '../domains/finance/index.ts';
import { userWith, type AppEnv } from './auth.ts';
import { readJson, validate } from './body.ts';
import { route } from './openapi.ts';

export function mountBankingSettings(app: Hono<AppEnv>, opsloop: OpsLoop): void {
  const settings = bankingSettings(opsloop.database);
  const environment = { reconcileThreshold: opsloop.config.reconcileThreshold };
  const answer = async (): Promise<BankingSettingsAnswer> => {
    let stored: StoredBanking = {};
    let problem: string | null = null;
    try {
      stored = await settings.stored();
    } catch (error) {
      problem = messageOf(error);
    }
    return { banking: resolveBanking(environment.reconcileThreshold, stored), stored, environment, problem };
  };
  route(
    app,
    {
      method: 'get',
      path: '/api/settings/banking',
      tag: 'settings',
      summary: 'Bank reconciliation: the auto-apply threshold in force (banking, with its source), what is stored in Settings, and the environment default',
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
      path: '/api/settings/banking',
      tag: 'settings',
      summary: 'Store the bank reconciliation threshold: matches at least this sure (0.5–1) are applied without asking',
      description: 'Replaces what is stored. reconcileThreshold left out or null is not stored: OPSLOOP_RECONCILE_THRESHOLD applies. 1 sends every match to a person in the inbox. Every reconciliation from then on uses it (a call may still pass its own threshold).',
      role: 'owner',
      body: bankingSettingsInput,
    },
    async (c) => {
      const user = userWith(c, 'owner');
      const body = validate(bankingSettingsInput, await readJson(c));
      await opsloop.engine.committer.unit((tx) => saveBankingSettings(tx, opsloop.database.dialect, body, `user:${user.email}`, opsloop.engine.clock.now()));
      settings.invalidate();
      return c.json(await answer());
    },
  );
}
