/**
 * Browser sessions for the web app. POST /api/session signs in with email and password and sets
 * the `opsloop_session` cookie (HttpOnly, SameSite=Strict, Path=/, Secure over https or with
 * OPSLOOP_SECURE_COOKIES=true). The database keeps only a SHA-256 hash of the session id, so a
 * copy of the database does not sign anyone in. A session ends after 12 hours without use or 7
 * days after sign-in, whichever comes first. Each session has a CSRF token: the web app sends it
 * as X-CSRF-Token with every POST, PUT, PATCH and DELETE (checked in auth.ts).
 *
 * Failed sign-ins are rows in login_failures, so every process sharing the database counts the
 * same: after 5 failures for one email or one client address within 15 minutes, sign-in answers
 * 429 with Retry-After. A wrong email and a wrong password get the same answer, in about the same
 * time (an unknown email is still checked against a dummy hash).
 *
 * First start: while there are no users, POST /api/setup creates the owner and signs them in.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { sql } from 'kysely';
import { z } from 'zod';
import type { OpsLoop } from '../app.ts';
import { ConflictError, ErrorCategory, OpsLoopError } from '../core/errors.ts';
import { Dialect } from '../data/dialect.ts';
import { addUser, appendAudit, AuthError, countUsers, hashPassword, roles, toUser, verifyPassword, type User } from '../governance/index.ts';
import type { Queryable } from '../workflow/store/runs.ts';
import type { AppEnv } from './auth.ts';
import { readJson, validate } from './body.ts';
import { route } from './openapi.ts';

export const sessionCookie = 'opsloop_session';
export const csrfHeader = 'x-csrf-token';
/** A session ends after this long without a request. */
export const sessionIdleMs = 12 * 3_600_000;
/** … and this long after sign-in in any case. */
export const sessionMaxMs = 7 * 86_400_000;
/** last_seen_at is written at most this often per session (not on every request). */
const touchEveryMs = 60_000;
export const loginLimit = { failures: 5, windowMs: 15 * 60_000 } as const;

export class RateLimitedError extends OpsLoopError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super('LOGIN_RATE_LIMITED', ErrorCategory.tooManyRequests, message, { details: { retryAfterSeconds } });
    this.name = 'RateLimitedError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export interface ActiveSession {
  idHash: string;
  csrfToken: string;
  user: User;
}

const hashOf = (sessionId: string): string => createHash('sha256').update(sessionId).digest('hex');

/** Compares two strings in constant time (for the CSRF token). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The session behind a cookie value, or null when it is unknown, ended or its user is disabled. */
export async function findSession(db: Queryable, sessionId: string, now: number): Promise<ActiveSession | null> {
  if (sessionId === '' || sessionId.length > 200) return null;
  const idHash = hashOf(sessionId);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(['sessions.csrf_token', 'sessions.last_seen_at', 'sessions.expires_at'])
    .where('sessions.id_hash', '=', idHash)
    .executeTakeFirst();
  if (row === undefined || row.disabled === 1) return null;
  if (row.expires_at <= now || row.last_seen_at + sessionIdleMs <= now) return null;
  if (now - row.last_seen_at > touchEveryMs) await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
  return { idHash, csrfToken: row.csrf_token, user: toUser(row) };
}

async function createSession(tx: Queryable, userId: string, client: ClientInfo, now: number): Promise<{ sessionId: string; csrfToken: string }> {
  const sessionId = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  // Ended sessions go when someone signs in; nothing else needs them.
  await tx.deleteFrom('sessions').where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', now - sessionIdleMs)])).execute();
  await tx
    .insertInto('sessions')
    .values({ id_hash: hashOf(sessionId), user_id: userId, csrf_token: csrfToken, ip: client.ip, user_agent: client.userAgent, created_at: now, last_seen_at: now, expires_at: now + sessionMaxMs })
    .execute();
  return { sessionId, csrfToken };
}

/** Seconds until the oldest of the last `loginLimit.failures` failures leaves the window; null when under the limit. */
async function retryAfter(db: Queryable, column: 'email' | 'ip', value: string, now: number): Promise<number | null> {
  const rows = await db.selectFrom('login_failures').select('at').where(column, '=', value).where('at', '>', now - loginLimit.windowMs).orderBy('at', 'desc').limit(loginLimit.failures).execute();
  const oldest = rows[loginLimit.failures - 1];
  return oldest === undefined ? null : Math.max(1, Math.ceil((oldest.at + loginLimit.windowMs - now) / 1000));
}

export interface ClientInfo {
  /** the peer's address; null when unknown (in-process requests) */
  ip: string | null;
  userAgent: string | null;
}

/**
 * Who is asking. Behind `trustedProxies` reverse proxies, each appends the address it got the
 * request from to X-Forwarded-For, so the client is the entry that many places from the right
 * (entries further left are whatever the client sent, and prove nothing). A header shorter than
 * that means the request did not come through all of them: its leftmost entry is the best known.
 */
export function clientOf(c: Context<AppEnv>, trustedProxies: number): ClientInfo {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  let ip = env?.incoming?.socket?.remoteAddress ?? null;
  if (trustedProxies > 0) {
    const forwarded = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    if (forwarded.length > 0) ip = (forwarded[Math.max(0, forwarded.length - trustedProxies)] ?? ip)?.slice(0, 100) ?? null;
  }
  return { ip, userAgent: c.req.header('user-agent')?.slice(0, 300) ?? null };
}

/**
 * Refuses a request whose Origin header names another site than the Host it was sent to. Behind
 * a reverse proxy that rewrites Host, the X-Forwarded-Host it sets counts too (a page on another
 * site cannot send that header: CORS is closed, so the browser would not send the request).
 */
export function checkSameOrigin(c: Context<AppEnv>): void {
  const origin = c.req.header('origin');
  if (origin === undefined) return;
  const hosts = [c.req.header('host') ?? new URL(c.req.url).host, ...(c.req.header('x-forwarded-host')?.split(',') ?? [])].map((h) => h.trim().toLowerCase());
  let originHost = '';
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    // "null" or garbage: never the same origin.
  }
  if (!hosts.includes(originHost)) throw new AuthError('ORIGIN_MISMATCH', `This request comes from ${origin}, not from this server (${hosts[0] ?? ''}); requests from other sites are refused`, 'forbidden');
}

function wantsSecureCookie(opsloop: OpsLoop, c: Context<AppEnv>): boolean {
  if (opsloop.config.secureCookies === 'true') return true;
  if (new URL(c.req.url).protocol === 'https:') return true;
  return c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https';
}

const sessionUser = z.object({ email: z.string(), role: z.enum(roles), name: z.string().optional() });
/** The answer of sign-in, setup and GET /api/session. */
export const sessionResponse = z.object({ user: sessionUser, csrfToken: z.string().describe('send it as X-CSRF-Token with every POST, PUT, PATCH and DELETE') });
export type SessionResponse = z.infer<typeof sessionResponse>;

const loginBody = z.object({ email: z.string().min(1, 'is required').max(320), password: z.string().min(1, 'is required').max(200) }).strict();
const setupBody = z
  .object({
    email: z.email(),
    password: z.string().min(10, 'must be at least 10 characters').max(200),
    name: z.string().min(1).max(200).optional(),
  })
  .strict();

function answer(user: User, csrfToken: string): SessionResponse {
  return { user: { email: user.email, role: user.role, name: user.name }, csrfToken };
}

// A real scrypt hash to check unknown emails against, so they take as long as known ones.
let dummyHash: Promise<string> | undefined;

/** Sign-in, sign-out and first-start setup; mount before the auth middleware (these are public). */
export function mountSessionRoutes(app: Hono<AppEnv>, opsloop: OpsLoop): void {
  const { database } = opsloop;
  const db = database.db;
  const now = () => opsloop.engine.clock.now();

  const startSession = async (c: Context<AppEnv>, session: { sessionId: string }) => {
    setCookie(c, sessionCookie, session.sessionId, { httpOnly: true, sameSite: 'Strict', path: '/', secure: wantsSecureCookie(opsloop, c), maxAge: Math.floor(sessionMaxMs / 1000) });
  };

  route(app, { method: 'post', path: '/api/session', tag: 'session', summary: 'Sign in (sets the session cookie)', role: 'public', body: loginBody, response: sessionResponse, errors: { 401: 'The email or password is wrong', 403: 'The Origin is another site', 429: 'Too many failed sign-ins: wait for Retry-After seconds' } }, async (c) => {
    checkSameOrigin(c);
    const body = validate(loginBody, await readJson(c));
    const email = body.email.trim().toLowerCase();
    const client = clientOf(c, opsloop.config.trustProxy);
    const at = now();
    const waits = await Promise.all([retryAfter(db, 'email', email, at), client.ip === null ? null : retryAfter(db, 'ip', client.ip, at)]);
    const wait = Math.max(...waits.map((w) => w ?? 0));
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      throw new RateLimitedError(`Too many failed sign-ins; try again in ${Math.ceil(wait / 60)} minute(s)`, wait);
    }
    const row = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
    dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    const ok = await verifyPassword(body.password, row?.password_hash ?? (await dummyHash));
    if (row === undefined || row.password_hash === null || row.disabled === 1 || !ok) {
      await db.insertInto('login_failures').values({ email, ip: client.ip ?? '', at }).execute();
      throw new AuthError('LOGIN_FAILED', 'The email or password is wrong');
    }
    const user = toUser(row);
    const session = await opsloop.engine.committer.unit(async (tx) => {
      await tx.deleteFrom('login_failures').where('email', '=', email).execute();
      await tx.deleteFrom('login_failures').where('at', '<=', at - loginLimit.windowMs).execute();
      const created = await createSession(tx, user.id, client, at);
      await appendAudit(tx, database.dialect, [{ actor: `user:${user.email}`, action: 'session.started', subjectType: 'user', subjectId: user.id, data: { ip: client.ip } }], at);
      return created;
    });
    await startSession(c, session);
    return c.json(answer(user, session.csrfToken));
  });

  route(app, { method: 'get', path: '/api/session', tag: 'session', summary: 'The signed-in user and the CSRF token (401 when not signed in)', role: 'public', response: sessionResponse, errors: { 401: 'Not signed in, or the session has ended' } }, async (c) => {
    const id = getCookie(c, sessionCookie);
    const session = id === undefined ? null : await findSession(db, id, now());
    if (session === null) {
      if (id !== undefined) deleteCookie(c, sessionCookie, { path: '/' });
      throw new AuthError('AUTH_REQUIRED', id === undefined ? 'Not signed in' : 'The session has ended; sign in again');
    }
    return c.json(answer(session.user, session.csrfToken));
  });

  route(app, { method: 'delete', path: '/api/session', tag: 'session', summary: 'Sign out', role: 'public', status: 204 }, async (c) => {
    checkSameOrigin(c);
    const id = getCookie(c, sessionCookie);
    if (id !== undefined) {
      const session = await findSession(db, id, now());
      await opsloop.engine.committer.unit(async (tx) => {
        await tx.deleteFrom('sessions').where('id_hash', '=', hashOf(id)).execute();
        if (session !== null) await appendAudit(tx, database.dialect, [{ actor: `user:${session.user.email}`, action: 'session.ended', subjectType: 'user', subjectId: session.user.id }], now());
      });
    }
    deleteCookie(c, sessionCookie, { path: '/', httpOnly: true, sameSite: 'Strict', secure: wantsSecureCookie(opsloop, c) });
    return c.body(null, 204);
  });

  route(app, { method: 'get', path: '/api/setup', tag: 'session', summary: 'Whether OpsLoop still needs its first user (the owner)', role: 'public', response: z.object({ needsOwner: z.boolean() }) }, async (c) => {
    return c.json({ needsOwner: (await countUsers(db)) === 0 });
  });

  route(
    app,
    { method: 'post', path: '/api/setup', tag: 'session', summary: 'Create the owner on first start and sign in (409 once anyone exists)', role: 'public', body: setupBody, response: sessionResponse, errors: { 403: 'The Origin is another site', 409: 'OpsLoop has users already: sign in instead' } },
    async (c) => {
      checkSameOrigin(c);
      const body = validate(setupBody, await readJson(c));
      const passwordHash = await hashPassword(body.password);
      const client = clientOf(c, opsloop.config.trustProxy);
      const { user, session } = await opsloop.engine.committer.unit(async (tx) => {
        // Two setups at once: the second waits here and then sees the first one's owner.
        if (database.dialect === Dialect.postgres) await sql`lock table users in share row exclusive mode`.execute(tx);
        if ((await countUsers(tx)) > 0) throw new ConflictError('SETUP_DONE', 'OpsLoop already has its owner; sign in instead');
        const at = now();
        const owner = await addUser(tx, { email: body.email, role: 'owner', ...(body.name === undefined ? {} : { name: body.name }) }, at);
        await tx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', owner.id).execute();
        await appendAudit(tx, database.dialect, [{ actor: 'setup', action: 'user.added', subjectType: 'user', subjectId: owner.id, data: { email: owner.email, role: owner.role } }], at);
        return { user: owner, session: await createSession(tx, owner.id, client, at) };
      });
      await startSession(c, session);
      return c.json(answer(user, session.csrfToken));
    },
  );
}

/** Ends every session of a user at once (they were disabled); returns how many there were. */
export async function endSessionsOf(tx: Queryable, userId: string): Promise<number> {
  const result = await tx.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
