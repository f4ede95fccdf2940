/**
 * Configuration, declared once. Precedence: explicit option > environment variable > default.
 * Validated at start-up: a bad value fails loudly with the name of the variable.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { ValidationError } from './errors.ts';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** ISO 13616: the account moved to the end, letters as numbers, the whole mod 97 is 1. */
export function isValidIban(value: string): boolean {
  const iban = value.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban)) return false;
  const digits = (iban.slice(4) + iban.slice(0, 4)).replace(/[A-Z]/g, (ch) => String(ch.charCodeAt(0) - 55));
  return BigInt(digits) % 97n === 1n;
}

/** Every setting, with its environment variable and default. */
const configSchema = z.object({
  /** DATABASE_URL: `postgres://…` for PostgreSQL; unset means the embedded SQLite file. */
  databaseUrl: z.string().min(1).optional(),
  /** OPSLOOP_DATABASE_SCHEMA: PostgreSQL schema to use (search_path); default the server's. */
  databaseSchema: z.string().regex(/^[a-z_][a-z0-9_]*$/i, 'must be a plain identifier').optional(),
  /** OPSLOOP_DATA_DIR: folder for the SQLite file and other local data. */
  dataDir: z.string().min(1).default('./data'),
  /** PORT: HTTP port of `opsloop serve`. */
  port: int(0, 65535).default(3000),
  /** HOST: interface to listen on; 0.0.0.0 to accept connections from other machines. */
  host: z.string().min(1).default('127.0.0.1'),
  /** OPSLOOP_WORKER_ID: name of this process in leases; default host:pid:random. */
  workerId: z.string().min(1).optional(),
  /** OPSLOOP_LEASE_SECONDS: how long a claimed run stays with a worker without a heartbeat. */
  leaseSeconds: int(1, 3600).default(30),
  /** OPSLOOP_POLL_INTERVAL_MS: how often a worker looks for due work when nothing woke it. */
  pollIntervalMs: int(10, 60_000).default(1000),
  /** OPSLOOP_WORKER_CONCURRENCY: runs one process advances at the same time. */
  workerConcurrency: int(1, 256).default(16),
  /** OPSLOOP_MAX_BODY_BYTES: largest accepted request body (webhooks and API). */
  maxBodyBytes: int(1024, 100 * 1024 * 1024).default(1024 * 1024),
  /** OPSLOOP_WEBHOOK_WAIT_MAX_MS: the longest a webhook caller may wait for a run's result. */
  webhookWaitMaxMs: int(0, 300_000).default(30_000),
  /** OPSLOOP_OUTBOX_MAX_ATTEMPTS: deliveries of one external effect before it becomes an exception. */
  outboxMaxAttempts: int(1, 100).default(10),
  /** OPSLOOP_PLUGINS: comma-separated module paths that register extra actions and skills. */
  plugins: z.array(z.string().min(1)).default([]),
  /** SMTP_URL: outgoing mail server, e.g. smtp://user:pass@mail.example.com:587; unset = no email unless Settings → Email sets a server (which then replaces this one). */
  smtpUrl: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  /** OPSLOOP_MAIL_FROM: the sender of OpsLoop's emails, unless Settings → Email sets one. */
  mailFrom: z.string().min(3).default('OpsLoop <opsloop@localhost>'),
  /** OPSLOOP_TIMEZONE: the business's time zone (due dates, the daily digest). */
  timezone: z.string().default('UTC'),
  /** OPSLOOP_DIGEST_HOUR: local hour of the daily email of what waits for each person. */
  digestHour: int(0, 23).default(8),
  /** OPSLOOP_BUSINESS_NAME, _ADDRESS, _EMAIL: who the documents are from (until Settings holds it). */
  businessName: z.string().min(1).default('Your Business'),
  businessAddress: z.string().optional(),
  businessEmail: z.email().optional(),
  /** OPSLOOP_PUBLIC_URL: the address clients reach OpsLoop at, for pay links in emails and PDFs; default http://localhost:<PORT>. */
  publicUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) address such as https://pay.example.com' }).optional(),
  /** OPSLOOP_BANK_ACCOUNT_NAME, _IBAN, _BIC, _ACCOUNT_NUMBER, _SORT_CODE: where clients pay by bank transfer (pay pages, invoice PDFs). */
  bankAccountName: z.string().max(200).optional(),
  bankIban: z.string().refine(isValidIban, 'is not a valid IBAN (the check digits do not match)').optional(),
  bankBic: z.string().regex(/^[A-Za-z]{6}[A-Za-z0-9]{2}([A-Za-z0-9]{3})?$/, 'must be a BIC such as COBADEFFXXX').optional(),
  bankAccountNumber: z.string().max(50).optional(),
  bankSortCode: z.string().max(20).optional(),
  /** STRIPE_SECRET_KEY: turns on "Pay by card" (Stripe Checkout) on pay pages. */
  stripeSecretKey: z.string().regex(/^(sk|rk)_\w+$/, 'must be a Stripe secret key (sk_… or rk_…)').optional(),
  /** STRIPE_WEBHOOK_SECRET: the signing secret of the Stripe webhook endpoint /pay/webhooks/stripe; required with STRIPE_SECRET_KEY. */
  stripeWebhookSecret: z.string().regex(/^whsec_\w+$/, 'must be a Stripe webhook signing secret (whsec_…)').optional(),
  /** STRIPE_API_URL: where Stripe's API is reached; default https://api.stripe.com (tests point it at a local fake). */
  stripeApiUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) address' }).optional(),
  /** STRIPE_TIMEOUT_MS: the longest one call to Stripe may take before the pay page shows an error. */
  stripeTimeoutMs: int(100, 120_000).default(10_000),
  /** OPSLOOP_REMINDER_CADENCE: payment reminders, in days relative to the due date (a client can have its own). */
  reminderCadence: z.string().regex(/^\s*-?\d{1,3}(\s*,\s*-?\d{1,3})*\s*$/, 'must be days relative to the due date, e.g. "-3,0,7,14,30"').default('-3,0,7,14,30'),
  /** OPSLOOP_REMINDER_HOUR: the local hour reminders go out. */
  reminderHour: int(0, 23).default(9),
  /** OPSLOOP_RECONCILE_THRESHOLD: bank matches at or above this confidence are applied without asking; the default for Settings → Bank reconciliation, which overrides it. */
  reconcileThreshold: z.coerce.number().min(0).max(1).default(0.9),
  /** OPSLOOP_DEMO: seed a demo business into a new, empty data folder on `opsloop serve` (true/false). */
  demo: z.enum(['true', 'false']).default('true'),
  /** OPSLOOP_SECURE_COOKIES: mark the session cookie Secure even when requests reach OpsLoop over plain http (behind a TLS proxy) (true/false). */
  secureCookies: z.enum(['true', 'false']).default('false'),
  /**
   * OPSLOOP_TRUST_PROXY: how many reverse proxies stand in front of OpsLoop (0 = none). With N, the
   * client's address is the N-th from the right in X-Forwarded-For (the sign-in limit and the
   * session record use it); with 0 the header is ignored, so a client cannot pick its own address.
   */
  trustProxy: int(0, 10).default(0),
  /** LOG_LEVEL: silent, error, warn, info or debug. */
  logLevel: z.enum(['silent', 'error', 'warn', 'info', 'debug']).default('info'),
});

export type Config = Readonly<z.infer<typeof configSchema> & { workerId: string; sqlitePath: string; publicUrl: string }>;
export type ConfigInput = Partial<z.input<typeof configSchema>>;

const envNames: Record<keyof z.input<typeof configSchema>, string> = {
  databaseUrl: 'DATABASE_URL',
  databaseSchema: 'OPSLOOP_DATABASE_SCHEMA',
  dataDir: 'OPSLOOP_DATA_DIR',
  port: 'PORT',
  host: 'HOST',
  workerId: 'OPSLOOP_WORKER_ID',
  leaseSeconds: 'OPSLOOP_LEASE_SECONDS',
  pollIntervalMs: 'OPSLOOP_POLL_INTERVAL_MS',
  workerConcurrency: 'OPSLOOP_WORKER_CONCURRENCY',
  maxBodyBytes: 'OPSLOOP_MAX_BODY_BYTES',
  webhookWaitMaxMs: 'OPSLOOP_WEBHOOK_WAIT_MAX_MS',
  outboxMaxAttempts: 'OPSLOOP_OUTBOX_MAX_ATTEMPTS',
  plugins: 'OPSLOOP_PLUGINS',
  smtpUrl: 'SMTP_URL',
  mailFrom: 'OPSLOOP_MAIL_FROM',
  timezone: 'OPSLOOP_TIMEZONE',
  digestHour: 'OPSLOOP_DIGEST_HOUR',
  businessName: 'OPSLOOP_BUSINESS_NAME',
  businessAddress: 'OPSLOOP_BUSINESS_ADDRESS',
  businessEmail: 'OPSLOOP_BUSINESS_EMAIL',
  publicUrl: 'OPSLOOP_PUBLIC_URL',
  bankAccountName: 'OPSLOOP_BANK_ACCOUNT_NAME',
  bankIban: 'OPSLOOP_BANK_IBAN',
  bankBic: 'OPSLOOP_BANK_BIC',
  bankAccountNumber: 'OPSLOOP_BANK_ACCOUNT_NUMBER',
  bankSortCode: 'OPSLOOP_BANK_SORT_CODE',
  stripeSecretKey: 'STRIPE_SECRET_KEY',
  stripeWebhookSecret: 'STRIPE_WEBHOOK_SECRET',
  stripeApiUrl: 'STRIPE_API_URL',
  stripeTimeoutMs: 'STRIPE_TIMEOUT_MS',
  trustProxy: 'OPSLOOP_TRUST_PROXY',
  reminderCadence: 'OPSLOOP_REMINDER_CADENCE',
  reminderHour: 'OPSLOOP_REMINDER_HOUR',
  reconcileThreshold: 'OPSLOOP_RECONCILE_THRESHOLD',
  demo: 'OPSLOOP_DEMO',
  secureCookies: 'OPSLOOP_SECURE_COOKIES',
  logLevel: 'LOG_LEVEL',
};

/**
 * Builds the configuration from explicit options, then the environment, then defaults.
 *
 * @example
 * const config = loadConfig({ port: 0 }, process.env);
 */
export function loadConfig(options: ConfigInput = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const merged: Record<string, unknown> = {};
  for (const [key, envName] of Object.entries(envNames)) {
    const explicit = (options as Record<string, unknown>)[key];
    if (explicit !== undefined) {
      merged[key] = explicit;
      continue;
    }
    const fromEnv = env[envName];
    if (fromEnv === undefined || fromEnv === '') continue;
    merged[key] = key === 'plugins' ? fromEnv.split(',').map((p) => p.trim()).filter(Boolean) : fromEnv;
  }
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    const envName = envNames[key as keyof typeof envNames] ?? key;
    throw new ValidationError('CONFIG_INVALID', `Configuration ${key} (${envName}) is invalid: ${issue?.message ?? 'bad value'}`, {
      details: { path: key, env: envName },
    });
  }
  const value = parsed.data;
  if (value.databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(value.databaseUrl)) {
    throw new ValidationError('CONFIG_INVALID', 'Configuration databaseUrl (DATABASE_URL) must start with postgres:// (unset it to use the embedded SQLite file)', {
      details: { path: 'databaseUrl', env: 'DATABASE_URL' },
    });
  }
  if (value.stripeSecretKey !== undefined && value.stripeWebhookSecret === undefined) {
    throw new ValidationError('CONFIG_INVALID', 'Configuration stripeWebhookSecret (STRIPE_WEBHOOK_SECRET) is missing: card payments need the webhook signing secret to learn that a payment went through', {
      details: { path: 'stripeWebhookSecret', env: 'STRIPE_WEBHOOK_SECRET' },
    });
  }
  return Object.freeze({
    ...value,
    publicUrl: (value.publicUrl ?? `http://localhost:${value.port}`).replace(/\/+$/, ''),
    plugins: [...value.plugins],
    workerId: value.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    sqlitePath: path.resolve(value.dataDir, 'opsloop.db'),
  });
}
