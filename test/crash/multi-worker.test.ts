/**
 * PostgreSQL scale-out: two `opsloop worker` processes share 1,000 queued runs; every step is
 * executed exactly once (checked by a trace written outside the database), and both take part.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OpsLoop } from '../../src/app.ts';
import { createLogger } from '../../src/core/logger.ts';
import { createTestDatabase, testDialects } from '../helpers/dialects.ts';
import { repoRoot, sleep, spawnOpsLoop } from '../helpers/process.ts';

const runs = 1000;
const plugin = path.join(repoRoot, 'test/fixtures/record-plugin.ts');

describe('multiple workers on PostgreSQL', { skip: !testDialects().includes('postgres') && 'PostgreSQL is not configured for this run' }, () => {
  test(`2 worker processes, ${runs} runs, each executed once`, { timeout: 180_000 }, async (t) => {
    const db = await createTestDatabase('postgres');
    const recordFile = path.join(db.config.dataDir, 'executions.log');
    fs.writeFileSync(recordFile, '');
    const observer = await OpsLoop.open({ env: {}, config: { ...db.config, workerId: 'observer', plugins: [plugin] }, logger: createLogger('silent') });
    const env = { ...db.env, OPSLOOP_PLUGINS: plugin, OPSLOOP_TEST_RECORD_FILE: recordFile, OPSLOOP_POLL_INTERVAL_MS: '100', OPSLOOP_WORKER_CONCURRENCY: '8' };
    const workers = [spawnOpsLoop(['worker'], env), spawnOpsLoop(['worker'], env)];
    try {
      await observer.engine.addWorkflow({
        id: 'shared',
        steps: [
          { id: 'record', type: 'action', action: 'test.record' },
          { id: 'compute', type: 'action', action: 'core.set', input: { n: '{{ input.n * 2 }}' } },
          { id: 'again', type: 'action', action: 'test.record' },
          { id: 'done', type: 'end', output: '{{ steps.compute.n }}' },
        ],
      });
      await Promise.all(workers.map((w) => w.ready(/worker .* started/)));
      for (let i = 0; i < runs; i += 1) await observer.engine.startRun('shared', { n: i }, { execute: false });
      const deadline = Date.now() + 120_000;
      let completed = 0;
      while (Date.now() < deadline) {
        completed = Number((await observer.database.db.selectFrom('runs').select(({ fn }) => fn.countAll().as('n')).where('status', '=', 'completed').executeTakeFirstOrThrow()).n);
        if (completed === runs) break;
        await sleep(100);
      }
      assert.equal(completed, runs, `all runs completed; workers said: ${workers.map((w) => w.output().slice(-300)).join(' | ')}`);
      const lines = fs.readFileSync(recordFile, 'utf8').trim().split('\n');
      const byStep = new Map<string, number>();
      const byPid = new Map<string, number>();
      for (const line of lines) {
        const [runId, stepId, pid] = line.split(' ');
        byStep.set(`${runId} ${stepId}`, (byStep.get(`${runId} ${stepId}`) ?? 0) + 1);
        byPid.set(pid ?? '', (byPid.get(pid ?? '') ?? 0) + 1);
      }
      assert.equal(byStep.size, runs * 2, 'every recording step ran');
      const twice = [...byStep.entries()].filter(([, n]) => n > 1);
      assert.deepEqual(twice, [], 'no step ran twice');
      assert.equal(byPid.size, 2, 'both workers took part');
      t.diagnostic(`executions per worker: ${[...byPid.values()].join(' / ')}`);
    } finally {
      await Promise.all(workers.map((w) => w.kill('SIGTERM')));
      await observer.close();
      await db.cleanup();
    }
  });
});
