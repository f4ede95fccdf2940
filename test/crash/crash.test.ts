/**
 * Crash test: a real `opsloop worker` process runs 200 workflows whose steps post to a local
 * HTTP receiver through the outbox. It is killed with SIGKILL at random moments several times
 * and restarted. At the end every run has finished, every effect arrived, and no idempotency key
 * was processed twice by the receiver (which honours the key, as a careful API does).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OpsLoop } from '../../src/app.ts';
import { createLogger } from '../../src/core/logger.ts';
import { createTestDatabase, testDialects } from '../helpers/dialects.ts';
import { sleep, spawnOpsLoop } from '../helpers/process.ts';
import { startReceiver } from '../helpers/receiver.ts';

const runs = 200;
const kills = 5;

for (const dialect of testDialects()) {
  describe(`crash safety on ${dialect}`, () => {
    test(`${runs} runs survive ${kills} SIGKILLs: all finish, every effect arrives, none is processed twice`, { timeout: 180_000 }, async (t) => {
      const db = await createTestDatabase(dialect);
      const receiver = await startReceiver({ delayMs: () => Math.floor(Math.random() * 8) });
      const observer = await OpsLoop.open({ env: {}, config: { ...db.config, workerId: 'observer' }, logger: createLogger('silent') });
      try {
        await observer.engine.addWorkflow({
          id: 'crashy',
          steps: [
            { id: 'first', type: 'action', action: 'http.request', input: { url: `${receiver.url}/first`, body: { run: '{{ run.id }}', step: 'first' } } },
            { id: 'pause', type: 'wait', duration: '300ms' },
            { id: 'second', type: 'action', action: 'http.request', input: { url: `${receiver.url}/second`, body: { run: '{{ run.id }}', step: 'second' } } },
            { id: 'done', type: 'end', output: { ok: true } },
          ],
        });
        const ids: string[] = [];
        for (let i = 0; i < runs; i += 1) ids.push((await observer.engine.startRun('crashy', { n: i }, { execute: false })).runId);

        const env = { ...db.env, OPSLOOP_LEASE_SECONDS: '2', OPSLOOP_POLL_INTERVAL_MS: '50', OPSLOOP_WORKER_CONCURRENCY: '8' };
        const progress: string[] = [];
        const completed = async () =>
          Number((await observer.database.db.selectFrom('runs').select(({ fn }) => fn.countAll().as('n')).where('status', '=', 'completed').executeTakeFirstOrThrow()).n);
        for (let k = 0; k < kills; k += 1) {
          const worker = spawnOpsLoop(['worker'], env);
          await worker.ready(/worker .* started/);
          await sleep(150 + Math.floor(Math.random() * 500));
          await worker.kill('SIGKILL');
          progress.push(`kill ${k + 1}: ${await completed()} completed, ${receiver.processed.size} effects`);
        }
        const last = spawnOpsLoop(['worker'], env);
        await last.ready(/worker .* started/);
        const deadline = Date.now() + 120_000;
        while (Date.now() < deadline) {
          const delivered = Number(
            (await observer.database.db.selectFrom('outbox').select(({ fn }) => fn.countAll().as('n')).where('status', '=', 'delivered').executeTakeFirstOrThrow()).n,
          );
          if ((await completed()) === runs && delivered === runs * 2) break;
          await sleep(100);
        }
        await last.kill('SIGTERM');

        const statuses = await observer.database.db.selectFrom('runs').select(['id', 'status']).execute();
        assert.equal(statuses.filter((r) => r.status === 'completed').length, runs, `every run finished (${progress.join('; ')}); last worker said: ${last.output().slice(-500)}`);
        const expectedKeys = new Set(ids.flatMap((id) => [`${id}:0:0`, `${id}:2:0`]));
        assert.equal(receiver.processed.size, runs * 2, 'every effect arrived');
        for (const key of receiver.processed.keys()) assert.ok(expectedKeys.has(key), `unexpected key ${key}`);
        const outbox = await observer.database.db.selectFrom('outbox').select(['idempotency_key', 'status']).execute();
        assert.equal(outbox.length, runs * 2, 'no effect was written twice (a re-run step would add a row)');
        const journal = await observer.database.db.selectFrom('run_steps').select(['run_id', 'seq', 'status']).where('status', '=', 'completed').execute();
        assert.equal(journal.length, runs * 4, 'each run journaled each of its 4 steps as completed exactly once');
        // Deliveries repeated after a kill were answered but not processed again.
        t.diagnostic(`repeats deduplicated by the receiver: ${receiver.repeats}; ${progress.join('; ')}`);
      } finally {
        await observer.close();
        await receiver.close();
        await db.cleanup();
      }
    });
  });
}
