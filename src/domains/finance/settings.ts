/**
 * The business profile: who documents are from (name, address, email, phone, tax id) and the bank
 * details clients pay to. The owner keeps it in Settings — the `settings` table, key `business` —
 * and whatever is not stored there comes from the environment (OPSLOOP_BUSINESS_NAME,
 * OPSLOOP_BANK_IBAN, …). The bank details count as one field: stored bank details replace the
 * environment's as a whole, so an IBAN never ends up beside another account's sort code.
 *
 * The PDF, the document, reminder and receipt emails and the pay pages read the profile when they
 * render, through {@link BusinessProfiles}: cached for one second per process, and dropped at once
 * when this process saves a new one (another process sees it within the second).
 */
import { z } from 'zod';
import { isValidIban, type Config } from '../../core/config.ts';
import { ValidationError } from '../../core/errors.ts';
import type { Dialect } from '../../data/dialect.ts';
import { CachedSetting, definedFields, readSetting, writeSetting } from '../../data/settings.ts';
import { appendAudit } from '../../governance/index.ts';
import type { Queryable } from '../../workflow/store/runs.ts';
import type { BankDetails } from './pdf/index.ts';
import { unprintableCharacters } from './pdf/coverage.ts';
import { MAX_LOGO_BYTES, pngProblem } from './pdf/logo.ts';
import { businessProfile } from './paylinks/settings.ts';
import type { BusinessProfile } from './service.ts';

const settingsKey = 'business';

/** Absent, null and blank all mean "not stored: use the environment". */
const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((value) => {
      const trimmed = value?.replace(/\r\n?/g, '\n').trim() ?? '';
      return trimmed === '' ? undefined : trimmed;
    });

/** A field printed on documents must be printable by the PDF font (no CJK, no right-to-left yet). */
const printable = <T extends z.ZodType<string | undefined>>(schema: T) =>
  schema.superRefine((value, ctx) => {
    if (value === undefined) return;
    const missing = unprintableCharacters(value);
    if (missing.length > 0) ctx.addIssue({ code: 'custom', message: `cannot be printed on documents: the PDF font has no ${missing.slice(0, 5).map((c) => `"${c}"`).join(', ')}` });
  });

const bankInput = z
  .object({
    accountName: printable(text(200)),
    iban: text(50)
      .transform((value) => value?.replace(/\s+/g, '').toUpperCase())
      .refine((value) => value === undefined || isValidIban(value), 'is not a valid IBAN (the check digits do not match)'),
    bic: text(11)
      .transform((value) => value?.toUpperCase())
      .refine((value) => value === undefined || /^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(value), 'must be a BIC such as COBADEFFXXX'),
    accountNumber: printable(text(50)),
    sortCode: printable(text(20)),
  })
  .strict();

/** The body of PUT /api/settings/business: every field optional; what is left out comes from the environment. */
export const businessSettingsInput = z
  .object({
    name: printable(text(200)),
    address: printable(text(500)),
    email: text(254).refine((value) => value === undefined || z.email().safeParse(value).success, 'is not an email address'),
    phone: text(50).refine((value) => value === undefined || /^\+?[0-9 ()./-]{3,50}$/.test(value), 'must be a phone number such as +44 20 7946 0000'),
    taxId: printable(text(50)),
    bank: bankInput.nullish(),
    /** the logo printed on documents: a PNG, base64-encoded (null or "" removes it) */
    logoPng: z
      .string()
      .max(Math.ceil((MAX_LOGO_BYTES * 4) / 3) + 4, `must be a PNG of at most ${MAX_LOGO_BYTES} bytes`)
      .nullish()
      .transform((value) => (value === null || value === undefined || value.trim() === '' ? undefined : value.replace(/^data:image\/png;base64,/, '').replace(/\s+/g, '')))
      .superRefine((value, ctx) => {
        if (value === undefined) return;
        const problem = /^[A-Za-z0-9+/]+={0,2}$/.test(value) ? pngProblem(Buffer.from(value, 'base64')) : 'is not base64';
        if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
      }),
  })
  .strict();
export type BusinessSettingsInput = z.input<typeof businessSettingsInput>;

/** What the database holds: only the fields the owner set. */
export interface StoredBusiness {
  name?: string;
  address?: string;
  email?: string;
  phone?: string;
  taxId?: string;
  bank?: BankDetails;
  /** base64 PNG */
  logoPng?: string;
}

function compact(parsed: z.output<typeof businessSettingsInput>): StoredBusiness {
  const stored: StoredBusiness = {};
  for (const key of ['name', 'address', 'email', 'phone', 'taxId', 'logoPng'] as const) {
    const value = parsed[key];
    if (value !== undefined) stored[key] = value;
  }
  const bank: BankDetails = {};
  for (const [key, value] of Object.entries(parsed.bank ?? {}) as [keyof BankDetails, string | undefined][]) if (value !== undefined) bank[key] = value;
  if (Object.keys(bank).length > 0) stored.bank = bank;
  return stored;
}

/** Pure: the profile in force — stored fields over the environment's. */
export function resolveBusiness(environment: BusinessProfile, stored: StoredBusiness): BusinessProfile {
  return {
    name: stored.name ?? environment.name,
    address: stored.address ?? environment.address ?? null,
    email: stored.email ?? environment.email ?? null,
    phone: stored.phone ?? environment.phone ?? null,
    taxId: stored.taxId ?? environment.taxId ?? null,
    bank: stored.bank ?? environment.bank ?? null,
    logoPng: stored.logoPng === undefined ? (environment.logoPng ?? null) : Buffer.from(stored.logoPng, 'base64'),
    publicUrl: environment.publicUrl ?? null,
  };
}

const storedSchema = z.object({
  name: z.string().optional(),
  address: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  taxId: z.string().optional(),
  bank: z.object({ accountName: z.string().optional(), iban: z.string().optional(), bic: z.string().optional(), accountNumber: z.string().optional(), sortCode: z.string().optional() }).optional(),
  logoPng: z.string().optional(),
});

export async function readStoredBusiness(db: Queryable): Promise<StoredBusiness> {
  const stored = await readSetting(db, settingsKey, storedSchema, 'The business profile stored in the database cannot be read: save it again in Settings → Business');
  return stored === undefined ? {} : (definedFields(stored) as StoredBusiness);
}

/**
 * Validates and stores the business profile (replacing what was stored), audited in the same
 * transaction. A bad field is a ValidationError whose `details.path` names it ("bank.iban").
 */
export async function saveBusinessSettings(tx: Queryable, dialect: Dialect, raw: unknown, actor: string, now: number): Promise<StoredBusiness> {
  const parsed = businessSettingsInput.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    throw new ValidationError('BUSINESS_SETTINGS_INVALID', `Business profile ${path}: ${issue?.message ?? 'invalid'}`, { details: { path } });
  }
  const stored = compact(parsed.data);
  const before = await readStoredBusiness(tx);
  await writeSetting(tx, settingsKey, stored, actor, now);
  await appendAudit(tx, dialect, [{ actor, action: 'settings.changed', subjectType: 'settings', subjectId: settingsKey, data: { before, after: stored } }], now);
  return stored;
}

/** Where renderers get the business profile from (see {@link BusinessProfiles}). */
export interface BusinessSource {
  current(): Promise<BusinessProfile>;
}

/** The business profile in force, read from the database at most once a second per process. */
export class BusinessProfiles implements BusinessSource {
  readonly #environment: BusinessProfile;
  readonly #stored: CachedSetting<StoredBusiness>;

  constructor(db: Queryable, environment: BusinessProfile, ttlMs = 1000) {
    this.#environment = environment;
    this.#stored = new CachedSetting(db, readStoredBusiness, ttlMs);
  }

  /** The environment's profile: what applies to every field not stored. */
  get environment(): BusinessProfile {
    return this.#environment;
  }

  /** The fields stored in the database (cached like the profile). */
  stored(): Promise<StoredBusiness> {
    return this.#stored.get();
  }

  async current(): Promise<BusinessProfile> {
    return resolveBusiness(this.#environment, await this.stored());
  }

  /** Drops the cache (after a save in this process). */
  invalidate(): void {
    this.#stored.invalidate();
  }
}

// One per database: the app, the HTTP server and the CLI share it without a global; it goes with the database object.
const perDatabase = new WeakMap<object, BusinessProfiles>();

/** The business profiles of this application (keyed by its database object). */
export function businessProfiles(database: { db: Queryable }, config: Config): BusinessProfiles {
  let profiles = perDatabase.get(database);
  if (profiles === undefined) {
    profiles = new BusinessProfiles(database.db, businessProfile(config));
    perDatabase.set(database, profiles);
  }
  return profiles;
}
