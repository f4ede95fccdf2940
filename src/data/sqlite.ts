/**
 * The embedded SQLite database (better-sqlite3, WAL).
 *
 * Durability: a commit is acknowledged to anyone — an HTTP caller, the next step, the outbox
 * dispatcher — only after the WAL holding it is fsynced, the same guarantee as
 * synchronous=FULL (a committed step survives a power cut). The difference is WHERE the fsync
 * happens: SQLite runs with synchronous=NORMAL (no fsync inside COMMIT) and {@link WalSyncer}
 * fsyncs the WAL file in libuv's thread pool, one fsync covering every commit made before it.
 * The event loop keeps serving while the disk flushes; on a disk where an fsync takes 3 ms this
 * is the difference between blocking 3 ms per commit and not at all (docs/decisions.md).
 *
 * Prepared statements are cached by SQL text: Kysely prepares on every query, and re-preparing
 * the same few statements is measurable on the engine's hot path.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

const statementCacheSize = 256;

/**
 * Group fsync of a WAL file: `sync()` resolves once an fsync that began after the call is done.
 * Up to `maxConcurrent` fsyncs may overlap, so a commit waits for one fsync, not for the one
 * under way plus its own; callers arriving while all are busy share the next one.
 */
export class WalSyncer {
  readonly #walPath: string;
  readonly #maxConcurrent: number;
  #fd: Promise<fs.promises.FileHandle | null> | null = null;
  readonly #inFlight = new Set<Promise<void>>();
  #next: Promise<void> | null = null;
  #closed = false;
  #checkedAt = 0;

  constructor(databaseFile: string, maxConcurrent = 1) {
    this.#walPath = `${databaseFile}-wal`;
    this.#maxConcurrent = maxConcurrent;
  }

  sync(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (this.#inFlight.size < this.#maxConcurrent) {
      const started: Promise<void> = this.#fsync().finally(() => this.#inFlight.delete(started));
      this.#inFlight.add(started);
      return started;
    }
    // Every fsync under way may have started before the caller's commit: share the next one.
    this.#next ??= Promise.race(this.#inFlight).then(
      () => {
        this.#next = null;
        return this.sync();
      },
      () => {
        this.#next = null;
        return this.sync();
      },
    );
    return this.#next;
  }

  #open(): Promise<fs.promises.FileHandle | null> {
    this.#fd ??= fs.promises.open(this.#walPath, 'r+').catch((error: NodeJS.ErrnoException) => {
      this.#fd = null;
      // No WAL file: nothing was written in WAL mode that a checkpoint has not already synced.
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    return this.#fd;
  }

  async #fsync(): Promise<void> {
    const fd = await this.#open();
    if (fd === null) return;
    await fd.sync();
    // The WAL file is only removed when the last connection closes; if that happened (another
    // process), sync the new one too. Checked once a second: it is rare and fstat is not free.
    const now = performance.now();
    if (now - this.#checkedAt < 1000) return;
    this.#checkedAt = now;
    const stat = await fd.stat();
    if (stat.nlink === 0) {
      this.#fd = null;
      await fd.close();
      await this.#fsync();
    }
  }

  async close(): Promise<void> {
    await this.#next;
    await Promise.allSettled(this.#inFlight);
    this.#closed = true;
    const fd = await this.#fd;
    this.#fd = null;
    await fd?.close();
  }
}

export interface OpenSqlite {
  database: SqliteDatabase;
  raw: BetterSqlite3.Database;
  syncer: WalSyncer;
}

export function openSqlite(file: string): OpenSqlite {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const raw = new BetterSqlite3(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  const syncer = new WalSyncer(file);
  const cache = new Map<string, BetterSqlite3.Statement>();
  const database: SqliteDatabase = {
    close: () => {
      cache.clear();
      raw.close();
    },
    prepare(sql: string): SqliteStatement {
      let stmt = cache.get(sql);
      if (stmt === undefined) {
        stmt = raw.prepare(sql);
        if (cache.size >= statementCacheSize) {
          const oldest = cache.keys().next().value;
          if (oldest !== undefined) cache.delete(oldest);
        }
        cache.set(sql, stmt);
      }
      return stmt as unknown as SqliteStatement;
    },
  };
  return { database, raw, syncer };
}
