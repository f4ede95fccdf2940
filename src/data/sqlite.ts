/**
 * The embedded SQLite database: better-sqlite3 in WAL mode with synchronous=FULL, so a committed
 * step survives a power cut. Prepared statements are cached by SQL text: Kysely prepares on every
 * query, and re-preparing the same few statements is measurable on the engine's hot path.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

const statementCacheSize = 256;

export function openSqlite(file: string): { database: SqliteDatabase; raw: BetterSqlite3.Database } {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const raw = new BetterSqlite3(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
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
  return { database, raw };
}
