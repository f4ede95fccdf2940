/**
 * The outgoing mail server, kept in Settings — the `settings` table, key `mail` — over the
 * environment (SMTP_URL, OPSLOOP_MAIL_FROM). The server (host, port, security, user name and
 * password) counts as one field: a stored host replaces SMTP_URL as a whole, so the environment's
 * password is never sent to another server. The sender's address and name are stored apart.
 *
 * Every email effect sends with the settings in force at send time and governance asks whether
 * mail is on before it queues a notification, both through {@link MailSettings}: read from the
 * database at most once a second per process, dropped at once when this process saves.
 * The password is write-only: answers only say whether one is set.
 */
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { SMTPTransportOptions } from 'nodemailer/lib/smtp-transport';
import { z } from 'zod';
import type { Config } from '../core/config.ts';
import { ErrorCategory, OpsLoopError, ValidationError } from '../core/errors.ts';
import { CachedSetting, definedFields, readSetting, writeSetting } from '../data/settings.ts';
import type { Queryable } from '../workflow/store/runs.ts';
import type { MailConfig, MailConfigSource, MailSender } from './email.ts';

const settingsKey = 'mail';

export const MailSecurity = {
  /** plain connection upgraded with STARTTLS, which is required (usually port 587) */
  starttls: 'starttls',
  /** TLS from the first byte (usually port 465) */
  tls: 'tls',
  /** no encryption at all: only for a relay on the same machine or network (port 25) */
  none: 'none',
} as const;
export type MailSecurity = (typeof MailSecurity)[keyof typeof MailSecurity];

const defaultPort: Record<MailSecurity, number> = { starttls: 587, tls: 465, none: 25 };

/** Where a value in force comes from. */
export type SettingSource = 'settings' | 'environment';

/** What the database holds: only the fields the owner set. */
export interface StoredMail {
  host?: string;
  port?: number;
  security?: MailSecurity;
  username?: string;
  password?: string;
  from?: string;
  fromName?: string;
}

/** Mail settings as answers show them: never the password, only whether one is set. */
export interface MailView {
  /** a server is set (in Settings or SMTP_URL): email effects can send, notifications are queued */
  configured: boolean;
  host: string | null;
  port: number | null;
  security: MailSecurity | null;
  username: string | null;
  passwordSet: boolean;
  /** the sender's address */
  from: string | null;
  fromName: string | null;
  /** per field: Settings, the environment, or null when nothing sets it */
  sources: Record<'host' | 'port' | 'security' | 'username' | 'password' | 'from' | 'fromName', SettingSource | null>;
}

/** The environment's side: SMTP_URL and OPSLOOP_MAIL_FROM. */
export interface MailEnvironment {
  smtpUrl: string | undefined;
  from: string;
}

interface ServerFields {
  host: string;
  port: number;
  security: MailSecurity;
  username: string | null;
  passwordSet: boolean;
}

/** SMTP_URL as fields, for showing it (the URL itself is what nodemailer gets). */
function serverOfUrl(smtpUrl: string): ServerFields | null {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    return null;
  }
  const tls = url.protocol === 'smtps:';
  const security: MailSecurity = tls ? 'tls' : url.searchParams.get('ignoreTLS') === 'true' ? 'none' : 'starttls';
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? (tls ? 465 : 587) : Number(url.port),
    security,
    username: url.username === '' ? null : decodeURIComponent(url.username),
    passwordSet: url.password !== '',
  };
}

/** "Name <address>" → its parts; a bare address has no name. */
function parseSender(from: string): { name: string | null; address: string | null } {
  const [first] = addressparser(from, { flatten: true });
  return { name: first?.name === undefined || first.name === '' ? null : first.name, address: first?.address === undefined || first.address === '' ? null : first.address };
}

/** Pure: the mail settings in force — stored over the environment's — and what nodemailer needs. */
export function resolveMail(environment: MailEnvironment, stored: StoredMail): { config: MailConfig; view: MailView } {
  const envSender = parseSender(environment.from);
  const fromSource: SettingSource = stored.from === undefined ? 'environment' : 'settings';
  const fromName = stored.fromName ?? envSender.name;
  const fromNameSource: SettingSource | null = stored.fromName !== undefined ? 'settings' : fromName === null ? null : 'environment';
  let from: MailSender;
  if (stored.from === undefined && stored.fromName === undefined) from = environment.from;
  else {
    const address = stored.from ?? envSender.address ?? environment.from;
    from = fromName === null ? address : { name: fromName, address };
  }
  const senderView = { from: stored.from ?? envSender.address ?? environment.from, fromName };

  if (stored.host !== undefined) {
    const security = stored.security ?? 'starttls';
    const port = stored.port ?? defaultPort[security];
    const transport: SMTPTransportOptions = {
      host: stored.host,
      port,
      secure: security === 'tls',
      requireTLS: security === 'starttls',
      ignoreTLS: security === 'none',
      ...(stored.username === undefined ? {} : { auth: { user: stored.username, pass: stored.password ?? '' } }),
    };
    const s = 'settings' as const;
    return {
      config: { transport, from },
      view: {
        configured: true,
        host: stored.host,
        port,
        security,
        username: stored.username ?? null,
        passwordSet: stored.password !== undefined,
        ...senderView,
        sources: { host: s, port: s, security: s, username: stored.username === undefined ? null : s, password: stored.password === undefined ? null : s, from: fromSource, fromName: fromNameSource },
      },
    };
  }
  const server = environment.smtpUrl === undefined ? null : serverOfUrl(environment.smtpUrl);
  const e = server === null ? null : ('environment' as const);
  return {
    config: { transport: environment.smtpUrl ?? null, from },
    view: {
      configured: environment.smtpUrl !== undefined,
      host: server?.host ?? null,
      port: server?.port ?? null,
      security: server?.security ?? null,
      username: server?.username ?? null,
      passwordSet: server?.passwordSet ?? false,
      ...senderView,
      sources: { host: e, port: e, security: e, username: server?.username === null ? null : e, password: server?.passwordSet === true ? e : null, from: fromSource, fromName: fromNameSource },
    },
  };
}

/** The stored fields as answers show them (the password as `passwordSet`). */
export function storedView(stored: StoredMail): Omit<StoredMail, 'password'> & { passwordSet: boolean } {
  const { password, ...rest } = stored;
  return { ...rest, passwordSet: password !== undefined };
}

// ---- input ----

/** Absent, null and blank all mean "not stored: use the environment". */
const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((value) => {
      const trimmed = value?.trim() ?? '';
      return trimmed === '' ? undefined : trimmed;
    });

const hostLabel = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
function isHostName(value: string): boolean {
  if (isIP(value) !== 0) return true;
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  return name.length <= 253 && name.split('.').every((label) => hostLabel.test(label));
}

/** The body of PUT /api/settings/mail. A field left out, null or blank is not stored — except the password, see below; the server fields need a host. */
export const mailSettingsInput = z
  .object({
    /** the SMTP server, e.g. smtp.example.com; blank = the server of SMTP_URL (the other server fields must then be blank too) */
    host: text(253)
      .transform((value) => value?.replace(/^\[(.*)\]$/, '$1'))
      .refine((value) => value === undefined || isHostName(value), 'must be a host name such as smtp.example.com, or an IP address'),
    /** default: 587 for starttls, 465 for tls, 25 for none */
    port: z.number().int('must be a whole number').min(1, 'must be between 1 and 65535').max(65535, 'must be between 1 and 65535').nullish().transform((value) => value ?? undefined),
    /** default starttls */
    security: z.enum([MailSecurity.starttls, MailSecurity.tls, MailSecurity.none], { error: 'must be starttls, tls or none' }).nullish().transform((value) => value ?? undefined),
    username: text(254),
    /** write-only: left out keeps the stored password (while host and user name stay the same); null or "" removes it */
    password: z
      .string()
      .max(1000, 'must be at most 1000 characters')
      .nullish()
      .transform((value) => (value === '' ? null : value)),
    /** the sender's address, e.g. billing@example.com */
    from: text(254).refine((value) => value === undefined || z.email().safeParse(value).success, 'is not an email address'),
    /** the sender's name, e.g. Northwind Design */
    fromName: text(200).refine((value) => value === undefined || !/[\r\n]/.test(value), 'must be one line'),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.host === undefined) {
      // Without a host the server is SMTP_URL's: a port or a password here would be ignored silently.
      const stray = (['port', 'security', 'username'] as const).find((key) => input[key] !== undefined) ?? (typeof input.password === 'string' ? 'password' : undefined);
      if (stray !== undefined) ctx.addIssue({ code: 'custom', path: ['host'], message: `is required when ${stray} is set (leave the server fields empty to use SMTP_URL)` });
    } else if (typeof input.password === 'string' && input.username === undefined) {
      ctx.addIssue({ code: 'custom', path: ['username'], message: 'is required with a password' });
    }
  });
export type MailSettingsInput = z.input<typeof mailSettingsInput>;

function invalid(path: string, message: string): ValidationError {
  return new ValidationError('MAIL_SETTINGS_INVALID', `Email settings ${path}: ${message}`, { details: { path } });
}

const storedSchema = z
  .object({
    host: z.string().optional(),
    port: z.number().optional(),
    security: z.enum([MailSecurity.starttls, MailSecurity.tls, MailSecurity.none]).optional(),
    username: z.string().optional(),
    password: z.string().optional(),
    from: z.string().optional(),
    fromName: z.string().optional(),
  })
  .strict();

export async function readStoredMail(db: Queryable): Promise<StoredMail> {
  const stored = await readSetting(db, settingsKey, storedSchema, 'The email settings stored in the database cannot be read: save them again in Settings → Email');
  return stored === undefined ? {} : (definedFields(stored) as StoredMail);
}

/**
 * Validates and stores the mail settings (replacing what was stored; a password left out is
 * kept while the host and user name stay the same). Returns what the audit entry records: before and after without the password, and
 * whether the password changed. A bad field is a ValidationError whose `details.path` names it.
 */
export async function saveMailSettings(tx: Queryable, raw: unknown, actor: string, now: number): Promise<{ stored: StoredMail; audit: Record<string, unknown> }> {
  const parsed = mailSettingsInput.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(issue?.path.join('.') ?? '', issue?.message ?? 'invalid');
  }
  const input = parsed.data;
  // Settings that cannot be read are replaced: saving is how the owner repairs them.
  const before = await readStoredMail(tx).catch(() => ({}) as StoredMail);
  const stored: StoredMail = {};
  if (input.host !== undefined) {
    stored.host = input.host;
    if (input.port !== undefined) stored.port = input.port;
    if (input.security !== undefined) stored.security = input.security;
    if (input.username !== undefined) stored.username = input.username;
    // A kept password stays with its server and user: pointing elsewhere must not carry it along unseen.
    const kept = before.host === stored.host && before.username === stored.username ? before.password : undefined;
    const password = input.password === undefined ? kept : (input.password ?? undefined);
    if (password !== undefined && stored.username !== undefined) stored.password = password;
  }
  if (input.from !== undefined) stored.from = input.from;
  if (input.fromName !== undefined) stored.fromName = input.fromName;

  await writeSetting(tx, settingsKey, stored, actor, now);
  const password = before.password === stored.password ? null : stored.password === undefined ? 'removed' : before.password === undefined ? 'set' : 'changed';
  return { stored, audit: { before: storedView(before), after: storedView(stored), ...(password === null ? {} : { password }) } };
}

// ---- the settings in force ----

/** The mail settings in force, read from the database at most once a second per process. */
export class MailSettings implements MailConfigSource {
  readonly #environment: MailEnvironment;
  readonly #stored: CachedSetting<StoredMail>;

  constructor(db: Queryable, environment: MailEnvironment, ttlMs = 1000) {
    this.#environment = { ...environment };
    this.#stored = new CachedSetting(db, readStoredMail, ttlMs);
  }

  /** The environment's settings: what applies when nothing is stored. */
  get environment(): MailView {
    return resolveMail(this.#environment, {}).view;
  }

  /** The stored fields (cached); inside a transaction pass it as `via` (see {@link CachedSetting}). */
  stored(via?: Queryable): Promise<StoredMail> {
    return this.#stored.get(via);
  }

  async current(): Promise<MailConfig> {
    return resolveMail(this.#environment, await this.stored()).config;
  }

  async view(): Promise<MailView> {
    return resolveMail(this.#environment, await this.stored()).view;
  }

  /**
   * Whether a server is configured, so notification emails are worth queueing. Stored settings
   * that cannot be read count as none: a notification must not fail the work it is about.
   */
  async enabled(via?: Queryable): Promise<boolean> {
    let stored: StoredMail;
    try {
      stored = await this.stored(via);
    } catch (error) {
      if (error instanceof OpsLoopError && error.code === 'SETTINGS_UNREADABLE') return false;
      throw error;
    }
    return resolveMail(this.#environment, stored).view.configured;
  }

  /** Drops the cache (after a save in this process). */
  invalidate(): void {
    this.#stored.invalidate();
  }
}

// One per database, like the business profile: the app, the HTTP server and the CLI share it.
const perDatabase = new WeakMap<object, MailSettings>();

/** The mail settings of this application (keyed by its database object). */
export function mailSettings(database: { db: Queryable }, config: Pick<Config, 'smtpUrl' | 'mailFrom'>): MailSettings {
  let settings = perDatabase.get(database);
  if (settings === undefined) {
    settings = new MailSettings(database.db, { smtpUrl: config.smtpUrl, from: config.mailFrom });
    perDatabase.set(database, settings);
  }
  return settings;
}

// ---- the test email ----

/** A test that could not deliver: the message says what went wrong, in words. */
export class MailTestError extends OpsLoopError {
  constructor(code: string, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(code, ErrorCategory.unavailable, message, options);
    this.name = 'MailTestError';
  }
}

const testTimeoutMs = 15_000;

/** What the server at `where` did, in words, from a nodemailer error. */
export function describeSmtpError(error: unknown, where: string): string {
  const e = error as { code?: string; responseCode?: number; response?: string; message?: string; command?: string; cause?: unknown };
  const text = `${e.message ?? ''} ${String((e.cause as { code?: unknown } | undefined)?.code ?? '')}`;
  const said = e.response === undefined ? '' : `: the server said "${e.response.trim()}"`;
  if (/ECONNREFUSED/.test(text)) return `Connection refused by ${where}: no mail server listens there (check the host and port)`;
  if (e.code === 'EDNS' || /ENOTFOUND|EAI_AGAIN/.test(text)) return `The host name of ${where} could not be resolved (check the host)`;
  if (e.code === 'ETIMEDOUT' || /timeout|timed out/i.test(text)) return `No answer from ${where} in time (check the host, port and firewall)`;
  if (e.code === 'EAUTH') return `Authentication failed at ${where}: the user name or password was refused${said}`;
  if (e.code === 'ENOAUTH') return `${where} wants a user name and password: set them`;
  if (e.code === 'ETLS' || e.code === 'EREQUIRETLS' || /certificate|SSL|TLS/i.test(text)) return `The secure connection to ${where} failed (${(e.message ?? '').trim()}): check the security setting (STARTTLS on 587, TLS on 465)`;
  if (e.code === 'EENVELOPE') return `${where} refused the sender or recipient${said}`;
  if (e.responseCode !== undefined) return `${where} refused the message${said}`;
  return `Sending through ${where} failed: ${(e.message ?? String(error)).trim()}`;
}

/**
 * Sends one test message now, directly (not through the outbox), with a fresh connection that
 * gives up after 15 s. Throws EMAIL_NOT_CONFIGURED (no server) or a MailTestError saying what the
 * server did.
 */
export async function sendTestEmail(settings: { config: MailConfig; view: MailView }, to: string, sentBy: string): Promise<{ to: string; server: string; response: string; accepted: string[]; rejected: string[]; latencyMs: number }> {
  const { config, view } = settings;
  if (config.transport === null) throw new ValidationError('EMAIL_NOT_CONFIGURED', 'Email is not configured: set the mail server in Settings → Email (or SMTP_URL where OpsLoop runs) and save first');
  const where = view.host === null ? 'the mail server' : `${view.host}:${view.port ?? ''}`;
  const timeouts = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: testTimeoutMs };
  const transport = nodemailer.createTransport(typeof config.transport === 'string' ? { url: config.transport, ...timeouts } : { ...config.transport, ...timeouts });
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const info = await Promise.race([
      transport.sendMail({
        from: config.from,
        to,
        subject: 'OpsLoop test email',
        text: `This is a test message from OpsLoop, sent by ${sentBy} from Settings → Email.\nIf you can read it, OpsLoop can send email: invoices, reminders and notifications will arrive like this one.\n`,
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error(`no answer in ${testTimeoutMs / 1000} s`), { code: 'ETIMEDOUT' })), testTimeoutMs);
      }),
    ]);
    const addresses = (list: unknown): string[] => (Array.isArray(list) ? list.map((a) => (typeof a === 'string' ? a : String((a as { address?: unknown }).address ?? ''))) : []);
    return { to, server: where, response: info.response, accepted: addresses(info.accepted), rejected: addresses(info.rejected), latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    throw new MailTestError('EMAIL_TEST_FAILED', describeSmtpError(error, where), { cause: error, details: { server: where, ...((error as { responseCode?: number }).responseCode === undefined ? {} : { responseCode: (error as { responseCode?: number }).responseCode }) } });
  } finally {
    clearTimeout(timer);
    transport.close();
  }
}
