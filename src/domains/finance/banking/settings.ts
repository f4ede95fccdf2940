/**
 * Bank reconciliation settings: the confidence at or above which a match is applied without
 * asking. The owner keeps it in Settings — the `settings` table, key `banking` — and when nothing
 * is stored there OPSLOOP_RECONCILE_THRESHOLD applies (D27, D31).
 *
 * Every reconciliation reads it through {@link BankingSettings}: cached for one second per process
 * and dropped at once when this process saves (another process sees a change within the second).
 * The cache holds only what is stored, so the environment's value stays the caller's to give.
 */
import { z } from 'zod';
import { ValidationError } from '../../../core/errors.ts';
import type { Dialect } from '../../../data/dialect.ts';
import { CachedSetting, readSetting, writeSetting } from '../../../data/settings.ts';
import { appendAudit } from '../../../governance/index.ts';
import type { Queryable } from '../../../workflow/store/runs.ts';

const settingsKey = 'banking';

/** Below this a stored threshold would auto-apply matches resting on the amount or the name alone. */
export const minReconcileThreshold = 0.5;

const thresholdMessage = `must be a number from ${minReconcileThreshold} to 1 (0.9 = 90 %; 1 = always ask a person)`;

/** The body of PUT /api/settings/banking. */
export const bankingSettingsInput = z
  .object({
    /** matches at least this sure (0.5–1) are applied without asking; 1 sends every match to a person; null or left out = OPSLOOP_RECONCILE_THRESHOLD */
    reconcileThreshold: z.number({ error: thresholdMessage }).min(minReconcileThreshold, thresholdMessage).max(1, thresholdMessage).nullish(),
  })
  .strict();
export type BankingSettingsInput = z.input<typeof bankingSettingsInput>;

/** What the database holds: only what the owner set. */
export interface StoredBanking {
  reconcileThreshold?: number;
}

/** Where a value in force comes from. */
export type BankingSource = 'settings' | 'environment';

/** The settings in force. */
export interface BankingView {
  reconcileThreshold: number;
  sources: { reconcileThreshold: BankingSource };
}

/** GET and PUT /api/settings/banking answer with this. */
export interface BankingSettingsAnswer {
  /** the settings in force, each with where it comes from */
  banking: BankingView;
  /** what is stored in Settings */
  stored: StoredBanking;
  /** what applies when nothing is stored (OPSLOOP_RECONCILE_THRESHOLD) */
  environment: { reconcileThreshold: number };
  /** the stored settings could not be read: reconciliation refuses to run until they are saved again */
  problem: string | null;
}

const storedSchema = z.object({ reconcileThreshold: z.number().min(minReconcileThreshold).max(1).optional() }).strict();

/** Pure: the settings in force — what is stored over the environment's. */
export function resolveBanking(environmentThreshold: number, stored: StoredBanking): BankingView {
  return stored.reconcileThreshold === undefined
    ? { reconcileThreshold: environmentThreshold, sources: { reconcileThreshold: 'environment' } }
    : { reconcileThreshold: stored.reconcileThreshold, sources: { reconcileThreshold: 'settings' } };
}

/**
 * The stored settings. A row that cannot be read is SETTINGS_UNREADABLE rather than "nothing
 * stored": falling back to the environment could apply payments the owner wanted to check.
 */
export async function readStoredBanking(db: Queryable): Promise<StoredBanking> {
  const stored = await readSetting(db, settingsKey, storedSchema, 'The bank reconciliation settings stored in the database cannot be read: save them again in Settings → Bank reconciliation');
  return stored?.reconcileThreshold === undefined ? {} : { reconcileThreshold: stored.reconcileThreshold };
}

/**
 * Validates and stores the settings (replacing what was stored), audited in the same transaction
 * as `settings.changed`. A bad field is a ValidationError whose `details.path` names it.
 */
export async function saveBankingSettings(tx: Queryable, dialect: Dialect, raw: unknown, actor: string, now: number): Promise<StoredBanking> {
  const parsed = bankingSettingsInput.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    throw new ValidationError('BANKING_SETTINGS_INVALID', `Bank reconciliation ${path}: ${issue?.message ?? 'invalid'}`, { details: { path } });
  }
  const stored: StoredBanking = parsed.data.reconcileThreshold === null || parsed.data.reconcileThreshold === undefined ? {} : { reconcileThreshold: parsed.data.reconcileThreshold };
  // Settings that cannot be read are replaced: saving is how the owner repairs them.
  const before = await readStoredBanking(tx).catch(() => ({}));
  await writeSetting(tx, settingsKey, stored, actor, now);
  await appendAudit(tx, dialect, [{ actor, action: 'settings.changed', subjectType: 'settings', subjectId: settingsKey, data: { before, after: stored } }], now);
  return stored;
}

/** The stored bank reconciliation settings, read from the database at most once a second per process. */
export class BankingSettings {
  readonly #stored: CachedSetting<StoredBanking>;

  constructor(db: Queryable, ttlMs = 1000) {
    this.#stored = new CachedSetting(db, readStoredBanking, ttlMs);
  }

  stored(): Promise<StoredBanking> {
    return this.#stored.get();
  }

  /** The settings in force, given the environment's threshold (OPSLOOP_RECONCILE_THRESHOLD). */
  async current(environmentThreshold: number): Promise<BankingView> {
    return resolveBanking(environmentThreshold, await this.stored());
  }

  /** Drops the cache (after a save in this process). */
  invalidate(): void {
    this.#stored.invalidate();
  }
}

// One per database, like the business profile: reconciliation, the HTTP server and the CLI share it.
const perDatabase = new WeakMap<object, BankingSettings>();

/** The bank reconciliation settings of this application (keyed by its database object). */
export function bankingSettings(database: { db: Queryable }): BankingSettings {
  let settings = perDatabase.get(database);
  if (settings === undefined) {
    settings = new BankingSettings(database.db);
    perDatabase.set(database, settings);
  }
  return settings;
}
