/**
 * Opens the one database OpsLoop runs on — embedded SQLite by default, PostgreSQL when a URL is
 * given — and migrates it. One schema and one repository layer serve both.
 */
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import pg from 'pg';
import { OpsLoopError, ErrorCategory } from '../core/errors.ts';
import type { Config } from '../core/config.ts';
import type { DB } from './schema.ts';
import { Dialect } from './dialect.ts';
import { migrations } from './migrations/index.ts';
import { openSqlite } from './sqlite.ts';
import { PreparingClient } from './prepared-client.ts';

export interface Database {
  readonly db: Kysely<DB>;
  readonly dialect: Dialect;
  /** PostgreSQL only: the pool, for LISTEN/NOTIFY clients. */
  readonly pool: pg.Pool | undefined;
  readonly schema: string | undefined;
  /**
   * Resolves when every commit made before the call is on disk. On SQLite this is the group
   * fsync of the WAL; PostgreSQL's COMMIT is already durable (synchronous_commit=on).
   */
  sync(): Promise<void>;
  close(): Promise<void>;
}

const int8Oid = 20;

/** Opens (but does not migrate) the database named by the configuration. */
export function openDatabase(config: Pick<Config, 'databaseUrl' | 'databaseSchema' | 'sqlitePath'>, options: { poolSize?: number } = {}): Database {
  if (config.databaseUrl !== undefined) {
    const pool = new pg.Pool({
      Client: PreparingClient,
      connectionString: config.databaseUrl,
      max: options.poolSize ?? 10,
      ...(config.databaseSchema === undefined ? {} : { options: `-c search_path=${config.databaseSchema}` }),
      // Instants are epoch milliseconds in bigint columns: read them as numbers (safe to 2^53).
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === int8Oid ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
      },
    });
    pool.on('error', () => {
      // An idle client lost its connection; the pool replaces it. Queries report their own errors.
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      dialect: Dialect.postgres,
      pool,
      schema: config.databaseSchema,
      sync: () => Promise.resolve(),
      close: () => db.destroy(),
    };
  }
  const { database, syncer } = openSqlite(config.sqlitePath);
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database }) });
  return {
    db,
    dialect: Dialect.sqlite,
    pool: undefined,
    schema: undefined,
    sync: () => syncer.sync(),
    close: async () => {
      await syncer.close();
      await db.destroy();
    },
  };
}

/** Applies every pending migration; safe to call from several processes at once. */
export async function migrateToLatest(database: Database): Promise<{ applied: string[] }> {
  const { db, dialect } = database;
  if (dialect === Dialect.postgres && database.schema !== undefined) {
    await sql`create schema if not exists ${sql.id(database.schema)}`.execute(db);
  }
  const migrator = new Migrator({
    db,
    provider: {
      getMigrations: () =>
        Promise.resolve(
          Object.fromEntries(
            Object.entries(migrations).map(([name, m]): [string, Migration] => [name, { up: (k) => m.up(k, dialect) }]),
          ),
        ),
    },
    ...(database.schema === undefined ? {} : { migrationTableSchema: database.schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    throw new OpsLoopError('DATABASE_MIGRATION_FAILED', ErrorCategory.unavailable, `Database migration failed: ${String((error as Error).message ?? error)}`, { cause: error });
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/** Errors worth another try at start-up: the server is starting, restarting, or full. */
function isTransient(error: unknown): boolean {
  const causes: unknown[] = [error, (error as { cause?: unknown } | null)?.cause];
  return causes.some((e) => {
    const code = (e as { code?: unknown } | null)?.code;
    const message = (e as { message?: unknown } | null)?.message;
    if (typeof code !== 'string') return false;
    // Connection refused/reset; PostgreSQL classes 08 (connection), 40 (rolled back: deadlock,
    // serialization), 53 (out of resources, e.g. too many clients), 55 (lock not available),
    // 57 (server shutting down or starting); concurrent DDL ("tuple concurrently updated"). The
    // migrator looks for its table by listing the tables of every schema, so a schema or table
    // dropped meanwhile by someone else on the server fails that look-up (3F000, 42P01) though
    // nothing is wrong with ours.
    return (
      code === 'ECONNREFUSED' ||
      code === 'ECONNRESET' ||
      code === 'SQLITE_BUSY' ||
      code === '3F000' ||
      code === '42P01' ||
      /^(08|40|53|55|57)/.test(code) ||
      (code === 'XX000' && typeof message === 'string' && message.includes('concurrently'))
    );
  });
}

/** Opens and migrates: what `serve`, `worker` and the CLI do first. Transient failures are retried briefly. */
export async function connectDatabase(config: Config, options: { poolSize?: number } = {}): Promise<Database> {
  for (let attempt = 1; ; attempt += 1) {
    const database = openDatabase(config, options);
    try {
      await migrateToLatest(database);
      return database;
    } catch (error) {
      await database.close();
      if (attempt >= 5 || !isTransient(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}
