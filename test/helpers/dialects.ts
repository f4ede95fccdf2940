/**
 * Every storage and engine test runs against every dialect. SQLite always; PostgreSQL when
 * OPSLOOP_TEST_POSTGRES_URL is set (CI sets it, and CI fails if it is missing rather than
 * silently skipping). OPSLOOP_TEST_DIALECTS=sqlite (or postgres) narrows a local run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export type DialectName = 'sqlite' | 'postgres';

export interface TestDatabase {
  dialect: DialectName;
  /** configuration for OpsLoop.open and environment for child processes */
  config: { dataDir: string; databaseUrl?: string; databaseSchema?: string };
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

const postgresUrl = process.env.OPSLOOP_TEST_POSTGRES_URL;

export function testDialects(): DialectName[] {
  const wanted = (process.env.OPSLOOP_TEST_DIALECTS ?? 'sqlite,postgres').split(',').map((d) => d.trim());
  const list: DialectName[] = [];
  if (wanted.includes('sqlite')) list.push('sqlite');
  if (wanted.includes('postgres')) {
    if (postgresUrl !== undefined && postgresUrl !== '') list.push('postgres');
    else if (process.env.CI === 'true' || process.env.CI === '1') {
      throw new Error('CI must test PostgreSQL: set OPSLOOP_TEST_POSTGRES_URL (or OPSLOOP_TEST_DIALECTS=sqlite to narrow on purpose)');
    }
  }
  return list;
}

export function postgresTestUrl(): string | undefined {
  return postgresUrl === '' ? undefined : postgresUrl;
}

/** A fresh, empty database: a temporary folder for SQLite, a new schema for PostgreSQL. */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloop-test-'));
  if (dialect === 'sqlite') {
    return {
      dialect,
      config: { dataDir },
      env: { OPSLOOP_DATA_DIR: dataDir },
      cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const url = postgresUrl;
  if (url === undefined) throw new Error('OPSLOOP_TEST_POSTGRES_URL is not set');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  return {
    dialect,
    config: { dataDir, databaseUrl: url, databaseSchema: schema },
    env: { OPSLOOP_DATA_DIR: dataDir, DATABASE_URL: url, OPSLOOP_DATABASE_SCHEMA: schema },
    cleanup: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
