/**
 * Settings an owner keeps in the database (`settings` table, one JSON row per key: the business
 * profile, email, the AI provider, banking): reading a row against its schema, writing it, and a
 * per-process cache so the paths that consult a setting on every document, email or skill call
 * read the database at most once a second. A process drops its cache at once when it saves; other
 * processes see the change within the second.
 */
import { performance } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { ErrorCategory, OpsLoopError } from '../core/errors.ts';
import type { DB } from './schema.ts';

type Queryable = Kysely<DB>;

/**
 * The stored value of `key` checked against `schema`, or undefined when nothing is stored. A row
 * that is not valid JSON or does not fit is SETTINGS_UNREADABLE with `unreadable` as its message
 * (say where to save it again), never a half-read value.
 */
export async function readSetting<T>(db: Queryable, key: string, schema: z.ZodType<T>, unreadable: string): Promise<T | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  if (row === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(row.value);
  } catch {
    value = null;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new OpsLoopError('SETTINGS_UNREADABLE', ErrorCategory.internal, unreadable, { details: { key } });
  return parsed.data;
}

/** Stores `value` as the setting `key` (replacing it), in the caller's transaction. */
export async function writeSetting(tx: Queryable, key: string, value: unknown, actor: string, now: number): Promise<void> {
  const json = JSON.stringify(value);
  await tx
    .insertInto('settings')
    .values({ key, value: json, updated_by: actor, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_by: actor, updated_at: now }))
    .execute();
}

/** Drops the fields a stored object leaves undefined (what zod keeps as absent keys). */
export function definedFields<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * One setting read through a cache of `ttlMs` per process. A failed read is not kept: the next
 * call asks the database again.
 *
 * Inside a unit of work pass the transaction as `via`: on SQLite a read on the pool waits for the
 * connection that transaction holds, so a read still in flight is not waited for there, and a
 * stale cache is refreshed through the transaction instead.
 */
export class CachedSetting<T> {
  readonly #db: Queryable;
  readonly #read: (db: Queryable) => Promise<T>;
  readonly #ttlMs: number;
  #cached: { at: number; value: Promise<T>; settled: boolean } | null = null;

  constructor(db: Queryable, read: (db: Queryable) => Promise<T>, ttlMs = 1000) {
    this.#db = db;
    this.#read = read;
    this.#ttlMs = ttlMs;
  }

  get(via?: Queryable): Promise<T> {
    const at = performance.now();
    const cached = this.#cached;
    if (cached !== null && at - cached.at < this.#ttlMs && (via === undefined || cached.settled)) return cached.value;
    const entry = { at, value: this.#read(via ?? this.#db), settled: false };
    entry.value.then(
      () => {
        entry.settled = true;
      },
      () => {
        if (this.#cached === entry) this.#cached = null;
      },
    );
    this.#cached = entry;
    return entry.value;
  }

  /** Drops the cache (after a save in this process). */
  invalidate(): void {
    this.#cached = null;
  }
}
