/**
 * bench:engine — prints one JSON object.
 *  1. A webhook-triggered 4-step durable workflow (validate → compute → branch → respond) over
 *     HTTP at concurrency 1, 10 and 50 against `opsloop serve` on SQLite; every step journaled,
 *     committed with synchronous=FULL before the response. The same steps in a bare node:http
 *     handler (no persistence) run in the same benchmark for the ratio.
 *  2. On PostgreSQL (OPSLOOP_BENCH_POSTGRES_URL or OPSLOOP_TEST_POSTGRES_URL): the rate of
 *     completed queued runs with 1 and 2 `opsloop worker` processes.
 * Environment: BENCH_SECONDS (per level, default 8).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { sql } from 'kysely';
import { OpsLoop } from '../../src/app.ts';
import { createLogger } from '../../src/core/logger.ts';
import { drive, type LoadResult } from './load.ts';
import { benchWorkflow } from './workflow.ts';

const root = path.resolve(import.meta.dirname, '../..');
const seconds = Number(process.env.BENCH_SECONDS ?? '8');
const levels = [1, 10, 50];

function start(args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, args, { cwd: root, env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'error', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer): void => {
      out += d.toString();
      const match = ready.exec(out);
      if (match !== null) resolve({ child, line: match[0] });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const payload = (i: number): string => JSON.stringify({ customer: `c${i % 100}`, amount: (i * 37) % 2000 });

async function sqliteHttp(): Promise<{ opsloop: LoadResult[]; bare: LoadResult[] }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloop-bench-'));
  try {
    const setup = await OpsLoop.open({ env: {}, config: { dataDir }, logger: createLogger('silent') });
    await setup.engine.addWorkflow(benchWorkflow);
    await setup.close();
    const server = await start([path.join(root, 'src/cli/main.ts'), 'serve', '--port', '0'], { OPSLOOP_DATA_DIR: dataDir }, /http:\/\/[\d.]+:\d+/);
    const opsloop: LoadResult[] = [];
    try {
      await drive(`${server.line}/hooks/bench-order?wait=5000`, 10, 1500, payload);
      for (const c of levels) opsloop.push(await drive(`${server.line}/hooks/bench-order?wait=5000`, c, seconds * 1000, payload));
    } finally {
      await stop(server.child);
    }
    const bareServer = await start([path.join(import.meta.dirname, 'bare-server.ts')], {}, /listening on \d+/);
    const port = /\d+$/.exec(bareServer.line)?.[0] ?? '';
    const bare: LoadResult[] = [];
    try {
      await drive(`http://127.0.0.1:${port}/`, 10, 1000, payload);
      for (const c of levels) bare.push(await drive(`http://127.0.0.1:${port}/`, c, seconds * 1000, payload));
    } finally {
      await stop(bareServer.child);
    }
    return { opsloop, bare };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function postgresWorkers(url: string, workers: number, runs: number): Promise<{ workers: number; runs: number; seconds: number; perSecond: number }> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloop-bench-'));
  const config = { dataDir, databaseUrl: url, databaseSchema: schema };
  const app = await OpsLoop.open({ env: {}, config, logger: createLogger('silent') });
  try {
    await app.engine.addWorkflow(benchWorkflow);
    // Start the workers first; then queue all runs in one transaction and time until all are completed.
    const env = { DATABASE_URL: url, OPSLOOP_DATABASE_SCHEMA: schema, OPSLOOP_DATA_DIR: dataDir, OPSLOOP_WORKER_CONCURRENCY: '32', OPSLOOP_POLL_INTERVAL_MS: '50' };
    const children = await Promise.all(Array.from({ length: workers }, () => start([path.join(root, 'src/cli/main.ts'), 'worker'], env, /worker .* started/)));
    const now = Date.now();
    const t0 = performance.now();
    await app.database.db.transaction().execute(async (tx) => {
      for (let offset = 0; offset < runs; offset += 500) {
        const rows = Array.from({ length: Math.min(500, runs - offset) }, (_, i) => ({
          id: `${randomBytes(8).toString('hex')}-${offset + i}`,
          workflow_id: benchWorkflow.id, version: 1, status: 'queued', input: payload(offset + i), output: null, error: null,
          trigger: '{"type":"bench"}', idempotency_key: null, cursor: null, steps_done: 0, wake_at: now, wait_name: null, wait_key: null,
          lease_owner: null, lease_expires_at: null, created_at: now, updated_at: now, ended_at: null,
        }));
        await tx.insertInto('runs').values(rows).execute();
      }
      await sql`select pg_notify('opsloop_wake', '')`.execute(tx);
    });
    for (;;) {
      const row = await app.database.db.selectFrom('runs').select(({ fn }) => fn.countAll().as('n')).where('status', '=', 'completed').executeTakeFirstOrThrow();
      if (Number(row.n) >= runs) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const elapsed = (performance.now() - t0) / 1000;
    await Promise.all(children.map((c) => stop(c.child)));
    return { workers, runs, seconds: Math.round(elapsed * 100) / 100, perSecond: Math.round(runs / elapsed) };
  } finally {
    await app.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const sqlite = await sqliteHttp();
const at10 = sqlite.opsloop.find((r) => r.concurrency === 10);
const bare10 = sqlite.bare.find((r) => r.concurrency === 10);
const pgUrl = process.env.OPSLOOP_BENCH_POSTGRES_URL ?? process.env.OPSLOOP_TEST_POSTGRES_URL;
let postgres: unknown = 'skipped: set OPSLOOP_BENCH_POSTGRES_URL';
if (pgUrl !== undefined) {
  const runs = Number(process.env.BENCH_PG_RUNS ?? '10000');
  const one = await postgresWorkers(pgUrl, 1, runs);
  const two = await postgresWorkers(pgUrl, 2, runs);
  postgres = { queuedRuns: [one, two], twoVersusOne: Math.round((two.perSecond / one.perSecond) * 100) / 100 };
}
process.stdout.write(
  `${JSON.stringify(
    {
      benchmark: 'engine',
      machine: { cpus: os.cpus().length, node: process.version },
      workflow: '4 steps: validate → compute → branch on amount → respond; every step journaled, synchronous=FULL',
      sqliteWebhook: sqlite.opsloop,
      bareNodeHttp: sqlite.bare,
      ratioToBareAt10: at10 !== undefined && bare10 !== undefined ? Math.round((at10.perSecond / bare10.perSecond) * 1000) / 1000 : null,
      targets: { sqliteAt10PerSecond: 2000, sqliteAt10P99Ms: 20, postgresTwoVersusOne: 1.5 },
      postgres,
    },
    null,
    2,
  )}\n`,
);
