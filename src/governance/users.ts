/**
 * People and their permissions. Roles, strongest first: owner, admin, reviewer, viewer.
 * Passwords are hashed with scrypt (salted; parameters stored with the hash), API tokens are
 * random and stored only as SHA-256 hashes — a token is shown once, when it is created.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { z } from 'zod';
import { ConflictError, ErrorCategory, NotFoundError, OpsLoopError, ValidationError } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { Dialect } from '../data/dialect.ts';
import type { UserRow } from '../data/schema.ts';
import { appendAudit } from './audit.ts';
import type { Queryable } from '../workflow/store/runs.ts';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;

export const roles = ['owner', 'admin', 'reviewer', 'viewer'] as const;
export type Role = (typeof roles)[number];
const rank: Record<Role, number> = { owner: 4, admin: 3, reviewer: 2, viewer: 1 };

export function roleAtLeast(role: string, needed: Role): boolean {
  return (rank[role as Role] ?? 0) >= rank[needed];
}

export class AuthError extends OpsLoopError {
  constructor(code: string, message: string, category: 'unauthenticated' | 'forbidden' = 'unauthenticated') {
    super(code, category === 'unauthenticated' ? ErrorCategory.unauthenticated : ErrorCategory.forbidden, message);
    this.name = 'AuthError';
  }
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** the most this person may approve, in major units of `approvalLimitCurrency`; null: no limit */
  approvalLimit: number | null;
  approvalLimitCurrency: string | null;
  disabled: boolean;
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    approvalLimit: row.approval_limit_minor === null ? null : row.approval_limit_minor / 100,
    approvalLimitCurrency: row.approval_limit_currency,
    disabled: row.disabled === 1,
  };
}

const scryptParams = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 64, scryptParams);
  return `scrypt$${scryptParams.N}$${scryptParams.r}$${scryptParams.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || key === undefined) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: scryptParams.maxmem });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export const newUserSchema = z
  .object({
    email: z.email(),
    name: z.string().min(1).max(200).optional(),
    role: z.enum(roles),
    password: z.string().min(10, 'must be at least 10 characters').max(200).optional(),
    approvalLimit: z.number().nonnegative().optional(),
    approvalLimitCurrency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD').optional(),
  })
  .strict();
export type NewUser = z.infer<typeof newUserSchema>;

export async function addUser(tx: Queryable, input: NewUser, now: number): Promise<User> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError('USER_INVALID', `User ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, { details: { path: issue?.path.join('.') } });
  }
  const data = parsed.data;
  const email = data.email.toLowerCase();
  const existing = await tx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (existing !== undefined) throw new ConflictError('USER_EXISTS', `A user with the email ${email} already exists`);
  const row = {
    id: newId(),
    email,
    name: data.name ?? email.split('@')[0] ?? email,
    role: data.role,
    password_hash: data.password === undefined ? null : await hashPassword(data.password),
    approval_limit_minor: data.approvalLimit === undefined ? null : Math.round(data.approvalLimit * 100),
    approval_limit_currency: data.approvalLimit === undefined ? null : (data.approvalLimitCurrency ?? 'USD'),
    disabled: 0,
    created_at: now,
    updated_at: now,
  };
  await tx.insertInto('users').values(row).execute();
  return toUser(row);
}

export async function findUser(db: Queryable, emailOrId: string): Promise<User> {
  const row = await db.selectFrom('users').selectAll().where((eb) => eb.or([eb('email', '=', emailOrId.toLowerCase()), eb('id', '=', emailOrId)])).executeTakeFirst();
  if (row === undefined) throw new NotFoundError('USER_NOT_FOUND', `There is no user ${emailOrId} (see \`opsloop user add\`)`);
  return toUser(row);
}

export async function listUsers(db: Queryable): Promise<User[]> {
  return (await db.selectFrom('users').selectAll().orderBy('email').execute()).map(toUser);
}

export async function countUsers(db: Queryable): Promise<number> {
  const row = await db.selectFrom('users').select(({ fn }) => fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates an API token for a user; the token itself is returned once and never stored. */
export async function createToken(tx: Queryable, userId: string, name: string, now: number): Promise<{ id: string; token: string; prefix: string }> {
  const token = `olp_${randomBytes(32).toString('base64url')}`;
  const id = newId();
  const prefix = token.slice(0, 12);
  await tx.insertInto('api_tokens').values({ id, user_id: userId, name, prefix, token_hash: tokenHash(token), created_at: now, last_used_at: null, revoked_at: null }).execute();
  return { id, token, prefix };
}

/** The user behind a bearer token, or an AUTH error. `firstUseToday` tells the caller to audit it. */
export async function authenticateToken(db: Queryable, token: string, now: number): Promise<{ user: User; tokenId: string; prefix: string; firstUseToday: boolean }> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('users')
    .select(['api_tokens.id as token_id', 'api_tokens.prefix', 'api_tokens.revoked_at', 'api_tokens.last_used_at'])
    .where('api_tokens.token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (row === undefined || row.revoked_at !== null) throw new AuthError('AUTH_INVALID', 'The API token is unknown or revoked (create one with `opsloop token create <email>`)');
  if (row.disabled === 1) throw new AuthError('AUTH_INVALID', `User ${row.email} is disabled`);
  const day = Math.floor(now / 86_400_000);
  const firstUseToday = row.last_used_at === null || Math.floor(row.last_used_at / 86_400_000) !== day;
  if (firstUseToday || now - (row.last_used_at ?? 0) > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.token_id).execute();
  }
  return { user: toUser(row), tokenId: row.token_id, prefix: row.prefix, firstUseToday };
}

export async function revokeToken(tx: Queryable, tokenId: string, now: number): Promise<void> {
  await tx.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', tokenId).execute();
}

/** An API token as its owner sees it: never the token itself, only the prefix it starts with. */
export interface TokenView {
  id: string;
  name: string;
  /** the first characters of the token, e.g. "olp_Ab12Cd34" */
  prefix: string;
  user: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** The tokens of a user that still work, newest first. */
export async function listTokens(db: Queryable, userId: string): Promise<TokenView[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id', 'api_tokens.name', 'api_tokens.prefix', 'users.email', 'api_tokens.created_at', 'api_tokens.last_used_at', 'api_tokens.revoked_at'])
    .where('api_tokens.user_id', '=', userId)
    .where('api_tokens.revoked_at', 'is', null)
    .orderBy('api_tokens.created_at', 'desc')
    .orderBy('api_tokens.id', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, prefix: r.prefix, user: r.email, createdAt: Number(r.created_at), lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at), revokedAt: r.revoked_at === null ? null : Number(r.revoked_at) }));
}

/**
 * Revokes a token: `by`'s own, or anyone's when `by` is an owner. Another person's token is "not
 * found" to everyone else, so token ids cannot be probed. Revoking twice changes nothing.
 * Audited in the transaction of the change.
 */
export async function revokeTokenBy(tx: Queryable, dialect: Dialect, tokenId: string, by: User, now: number): Promise<TokenView> {
  const row = await tx
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id', 'api_tokens.user_id', 'api_tokens.name', 'api_tokens.prefix', 'users.email', 'api_tokens.created_at', 'api_tokens.last_used_at', 'api_tokens.revoked_at'])
    .where('api_tokens.id', '=', tokenId)
    .executeTakeFirst();
  if (row === undefined || (row.user_id !== by.id && by.role !== 'owner')) throw new NotFoundError('TOKEN_NOT_FOUND', `You have no API token ${tokenId} (see GET /api/tokens)`);
  const view: TokenView = { id: row.id, name: row.name, prefix: row.prefix, user: row.email, createdAt: Number(row.created_at), lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at), revokedAt: row.revoked_at === null ? null : Number(row.revoked_at) };
  if (view.revokedAt !== null) return view;
  await tx.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', tokenId).where('revoked_at', 'is', null).execute();
  await appendAudit(tx, dialect, [{ actor: `user:${by.email}`, action: 'token.revoked', subjectType: 'user', subjectId: row.user_id, data: { tokenId, name: row.name, prefix: row.prefix, email: row.email } }], now);
  return { ...view, revokedAt: now };
}

/**
 * Disables or enables a user (an owner's decision, audited). A disabled user cannot sign in and
 * their tokens are refused; the caller ends their sessions in the same transaction. The last
 * enabled owner cannot be disabled — on PostgreSQL the enabled owners are locked first, so two
 * owners disabling each other at once cannot both succeed.
 */
export async function setUserDisabled(tx: Queryable, dialect: Dialect, email: string, disabled: boolean, by: User, now: number): Promise<User> {
  const target = await findUser(tx, email);
  if (target.disabled === disabled) return target;
  if (disabled && target.role === 'owner') {
    // Locked in one order, so two such changes wait for each other instead of deadlocking.
    let owners = tx.selectFrom('users').select('id').where('role', '=', 'owner').where('disabled', '=', 0).orderBy('id');
    if (dialect === Dialect.postgres) owners = owners.forUpdate();
    const enabled = await owners.execute();
    if (!enabled.some((o) => o.id !== target.id)) throw new ConflictError('LAST_OWNER', `${target.email} is the last owner and cannot be disabled; make someone else an owner first`);
  }
  await tx.updateTable('users').set({ disabled: disabled ? 1 : 0, updated_at: now }).where('id', '=', target.id).execute();
  await appendAudit(tx, dialect, [{ actor: `user:${by.email}`, action: disabled ? 'user.disabled' : 'user.enabled', subjectType: 'user', subjectId: target.id, data: { email: target.email, role: target.role } }], now);
  return { ...target, disabled };
}
