/**
 * Starting on a PostgreSQL server that others use: the migrator looks for its table by listing
 * the tables of every schema, and a schema dropped meanwhile by someone else (another OpsLoop's
 * tests, another application) must not fail our start.
 */
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { loadConfig } from '../../src/core/config.ts';
import { connectDatabase } from '../../src/data/database.ts';
import { postgresTestUrl, testDialects } from '../helpers/dialects.ts';

describe('migrations on a shared PostgreSQL server', { skip: !testDialects().includes('postgres') && 'PostgreSQL is not configured for this run' }, () => {
  test('starting while other schemas are created and dropped around it', { timeout: 120_000 }, async () => {
    const url = postgresTestUrl() as string;
    let stop = false;
    // Someone else on the server: schemas full of tables, created and dropped in a loop.
    const churn = async (): Promise<void> => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        while (!stop) {
          const schema = `churn_${randomBytes(4).toString('hex')}`;
          await client.query(`create schema ${schema}`);
          for (let i = 0; i < 20; i += 1) await client.query(`create table ${schema}.t${i} (id serial primary key, v text)`);
          await client.query(`drop schema ${schema} cascade`);
        }
      } finally {
        await client.end();
      }
    };
    const churners = [churn(), churn()];
    const schemas: string[] = [];
    const failures: string[] = [];
    try {
      for (let i = 0; i < 12; i += 1) {
        const schema = `t_${randomBytes(6).toString('hex')}`;
        schemas.push(schema);
        try {
          const database = await connectDatabase(loadConfig({ databaseUrl: url, databaseSchema: schema, dataDir: '.' }, {}), { poolSize: 2 });
          await database.close();
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    } finally {
      stop = true;
      await Promise.all(churners);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      for (const schema of schemas) await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    }
    assert.deepEqual(failures, [], 'every start migrated its own schema');
  });
});
