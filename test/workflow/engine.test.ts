/** The engine's guarantees, on every dialect, with simulated time (no sleeping). */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NonRetriableError, RetryAfterError } from '../../src/core/errors.ts';
import { defineWorkflow, type Gate, type Registry } from '../../src/workflow/index.ts';
import { openTestApp, day, hour, type TestApp } from '../helpers/app.ts';
import { testDialects } from '../helpers/dialects.ts';
import { startReceiver, type Receiver } from '../helpers/receiver.ts';

interface Calls {
  [name: string]: number;
}

function registerTestActions(registry: Registry, calls: Calls, flaky: { failuresLeft: number; error?: () => Error }): void {
  registry.registerAction({
    name: 'test.count',
    description: 'counts its calls',
    pure: true,
    run: (input: unknown) => {
      const name = String((input as { name?: unknown }).name ?? 'count');
      calls[name] = (calls[name] ?? 0) + 1;
      return { calls: calls[name] };
    },
  });
  registry.registerAction({
    name: 'test.flaky',
    description: 'fails while failuresLeft > 0',
    run: () => {
      calls.flaky = (calls.flaky ?? 0) + 1;
      if (flaky.failuresLeft > 0) {
        flaky.failuresLeft -= 1;
        throw flaky.error?.() ?? new Error('the service is down');
      }
      return { ok: true };
    },
  });
  registry.registerAction({
    name: 'test.write-then-fail',
    description: 'writes an outbox effect, an event, then fails: nothing of it may remain',
    run: async (_input: unknown, ctx) => {
      ctx.effect('http', { url: 'http://127.0.0.1:9/never' });
      await ctx.emit('half.done', 'k', {});
      throw new NonRetriableError('refused');
    },
  });
}

for (const dialect of testDialects()) {
  describe(`engine on ${dialect}`, () => {
    let t: TestApp;
    const calls: Calls = {};
    const flaky = { failuresLeft: 0, error: undefined as undefined | (() => Error) };
    let gateVerdict: 'continue' | 'approval' | 'exception' = 'continue';
    const gate: Gate = {
      check: () =>
        Promise.resolve(
          gateVerdict === 'continue'
            ? { decision: 'continue' }
            : gateVerdict === 'approval'
              ? { decision: 'approval', reasons: [{ rule: 'amount', message: 'amount over 1,000' }] }
              : { decision: 'exception', reasons: [{ rule: 'limit', message: 'send limit reached' }], owner: 'finance' },
        ),
    };
    let receiver: Receiver;

    before(async () => {
      t = await openTestApp(dialect, { register: (r) => registerTestActions(r, calls, flaky), gate });
      receiver = await startReceiver();
    });
    after(async () => {
      await receiver.close();
      await t.close();
    });

    const engine = () => t.app.engine;
    const drain = () => t.app.worker.drain();

    test('a run executes its steps in order, journals each, and ends with the output', async () => {
      await engine().addWorkflow(
        defineWorkflow({ id: 'sum' })
          .action('a', 'core.set', { input: { x: '{{ input.x }}' } })
          .action('b', 'core.set', { input: { y: '{{ steps.a.x * 2 }}' } })
          .end('done', { output: { result: '{{ steps.b.y + 1 }}' } })
          .build(),
      );
      const started = await engine().startRun('sum', { x: 20 });
      const run = await engine().getRun(started.runId, { steps: true });
      assert.equal(run.status, 'completed');
      assert.deepEqual(run.output, { result: 41 });
      assert.deepEqual(run.steps?.map((s) => `${s.stepId}:${s.status}`), ['a:completed', 'b:completed', 'done:completed']);
    });

    test('a failing step is retried with backoff, and earlier steps are not run again', async () => {
      flaky.failuresLeft = 2;
      flaky.error = undefined;
      calls.before = 0;
      calls.flaky = 0;
      await engine().addWorkflow(
        defineWorkflow({ id: 'flaky' })
          .action('before', 'test.count', { input: { name: 'before' } })
          .action('call', 'test.flaky', { retry: { maxAttempts: 5, initialDelay: '1m', maxDelay: '1h', factor: 2 } })
          .build(),
      );
      const { runId } = await engine().startRun('flaky', {});
      let run = await engine().getRun(runId);
      assert.equal(run.status, 'queued', 'after the first failure the run waits for its retry');
      const firstRetryAt = Date.parse(run.wakeAt ?? '');
      const delay = firstRetryAt - t.clock.now();
      assert.ok(delay >= 30_000 && delay <= 60_000, `first retry after half to one initial delay, got ${delay} ms`);
      await drain();
      assert.equal((await engine().getRun(runId)).status, 'queued', 'not retried before it is due');
      t.clock.advance(delay);
      await drain();
      run = await engine().getRun(runId);
      assert.equal(run.status, 'queued');
      t.clock.advance(hour);
      await drain();
      run = await engine().getRun(runId, { steps: true });
      assert.equal(run.status, 'completed');
      assert.equal(calls.before, 1, 'the finished step ran once');
      assert.equal(calls.flaky, 3);
      assert.deepEqual(run.steps?.filter((s) => s.stepId === 'call').map((s) => `${s.attempt}:${s.status}`), ['1:failed', '2:failed', '3:completed']);
    });

    test('when retries run out the run stops in a visible exception, and can be retried from that step', async () => {
      flaky.failuresLeft = 10;
      calls.before = 0;
      await engine().addWorkflow(
        defineWorkflow({ id: 'doomed' })
          .action('before', 'test.count', { input: { name: 'before' } })
          .action('call', 'test.flaky', { retry: { maxAttempts: 2, initialDelay: '1s', maxDelay: '1s', factor: 1 } })
          .action('after', 'test.count', { input: { name: 'after' } })
          .build(),
      );
      const { runId } = await engine().startRun('doomed', {});
      t.clock.advance(2000);
      await drain();
      let run = await engine().getRun(runId);
      assert.equal(run.status, 'exception');
      assert.match(JSON.stringify(run.error), /failed 2 time\(s\), no retries left: the service is down/);
      const open = await engine().listExceptions('open');
      assert.ok(open.some((e) => e.runId === runId && e.code === 'STEP_FAILED'), 'an exception row is open for the run');

      flaky.failuresLeft = 0;
      await engine().retry(runId);
      await drain();
      run = await engine().getRun(runId, { steps: true });
      assert.equal(run.status, 'completed');
      assert.equal(calls.before, 1);
      assert.ok(!(await engine().listExceptions('open')).some((e) => e.runId === runId), 'the exception is resolved');
    });

    test('a run in exception can be skipped past the failed step, or cancelled', async () => {
      flaky.failuresLeft = 100;
      flaky.error = () => new NonRetriableError('card declined');
      const skipped = await engine().startRun('doomed', {});
      assert.equal((await engine().getRun(skipped.runId)).status, 'exception', 'a NonRetriableError stops at once');
      await engine().skip(skipped.runId, { manual: true });
      await drain();
      const run = await engine().getRun(skipped.runId, { steps: true });
      assert.equal(run.status, 'completed');
      assert.deepEqual(run.steps?.map((s) => `${s.stepId}:${s.status}`), ['before:completed', 'call:failed', 'call:skipped', 'after:completed']);

      const cancelled = await engine().startRun('doomed', {});
      await engine().cancel(cancelled.runId, 'not needed');
      assert.equal((await engine().getRun(cancelled.runId)).status, 'cancelled');
      await assert.rejects(engine().retry(cancelled.runId), { code: 'RUN_STATE_CONFLICT' });
      flaky.error = undefined;
      flaky.failuresLeft = 0;
    });

    test('RetryAfterError sets the delay', async () => {
      flaky.failuresLeft = 1;
      flaky.error = () => new RetryAfterError('rate limited', 5 * 60_000);
      const { runId } = await engine().startRun('flaky', {});
      const run = await engine().getRun(runId);
      assert.equal(Date.parse(run.wakeAt ?? '') - t.clock.now(), 5 * 60_000);
      flaky.error = undefined;
    });

    test('a step whose action throws leaves nothing behind: no outbox row, no event', async () => {
      await engine().addWorkflow(defineWorkflow({ id: 'half' }).action('bad', 'test.write-then-fail').build());
      const { runId } = await engine().startRun('half', {});
      assert.equal((await engine().getRun(runId)).status, 'exception');
      const db = t.app.database.db;
      assert.equal((await db.selectFrom('outbox').select('id').where('run_id', '=', runId).execute()).length, 0);
      assert.equal((await db.selectFrom('events').select('id').where('name', '=', 'half.done').execute()).length, 0);
    });

    test('a week-long wait takes no real time, and the run resumes after it', async () => {
      await engine().addWorkflow(defineWorkflow({ id: 'sleepy' }).wait('week', { duration: '7d' }).action('later', 'core.set', { input: { done: true } }).build());
      const { runId } = await engine().startRun('sleepy', {});
      let run = await engine().getRun(runId);
      assert.equal(run.status, 'waiting');
      assert.equal(Date.parse(run.wakeAt ?? ''), t.clock.now() + 7 * day);
      t.clock.advance(6 * day);
      await drain();
      assert.equal((await engine().getRun(runId)).status, 'waiting');
      t.clock.advance(day);
      await drain();
      run = await engine().getRun(runId);
      assert.equal(run.status, 'completed');
      assert.deepEqual(run.output, { done: true });
    });

    test('a wait for an event is woken by the event with its correlation key only', async () => {
      await engine().addWorkflow(
        defineWorkflow({ id: 'pay' })
          .wait('paid', { event: 'payment.received', key: 'input.invoice', timeout: '30d', onTimeout: 'chase' })
          .end('thanks', { output: { paid: '{{ steps.paid.amount }}' } })
          .end('chase', { output: { chased: true } })
          .build(),
      );
      const a = await engine().startRun('pay', { invoice: 'INV-1' });
      const b = await engine().startRun('pay', { invoice: 'INV-2' });
      assert.equal((await engine().getRun(a.runId)).status, 'waiting');
      const emitted = await engine().emit('payment.received', 'INV-1', { amount: 250 });
      assert.deepEqual(emitted.woken, [a.runId]);
      await drain();
      assert.deepEqual((await engine().getRun(a.runId)).output, { paid: 250 });
      assert.equal((await engine().getRun(b.runId)).status, 'waiting', 'another key does not wake it');
      t.clock.advance(30 * day);
      await drain();
      const chased = await engine().getRun(b.runId, { steps: true });
      assert.deepEqual(chased.output, { chased: true });
      assert.equal(chased.steps?.[0]?.status, 'timed_out');
    });

    test('an event that arrived before the run reached its wait still counts', async () => {
      await engine().addWorkflow(
        defineWorkflow({ id: 'early' })
          .wait('nap', { duration: '1h' })
          .wait('paid', { event: 'payment.received', key: 'input.invoice', timeout: '1d', onTimeout: 'late' })
          .end('ok', { output: 'paid' })
          .end('late', { output: 'late' })
          .build(),
      );
      const { runId } = await engine().startRun('early', { invoice: 'INV-9' });
      await engine().emit('payment.received', 'INV-9', { amount: 1 });
      t.clock.advance(hour);
      await drain();
      assert.equal((await engine().getRun(runId)).output, 'paid');
    });

    test('an approval waits for a person: approve with an edit, reject, or time out', async () => {
      await engine().addWorkflow(
        defineWorkflow({ id: 'approve' })
          .action('draft', 'core.set', { input: { amount: '{{ input.amount }}' } })
          .approval('check', { data: '{{ steps.draft }}', timeout: '2d', onTimeout: 'escalate', onReject: 'dropped' })
          .end('sent', { output: { sent: '{{ steps.check.amount }}' } })
          .end('escalate', { output: 'escalated' })
          .end('dropped', { output: { dropped: '{{ steps.check.reason }}' } })
          .build(),
      );
      const approved = await engine().startRun('approve', { amount: 100 });
      assert.equal((await engine().getRun(approved.runId)).status, 'waiting');
      await assert.rejects(engine().signal(approved.runId, 'approval', { decision: 'maybe' }), { code: 'SIGNAL_INVALID' });
      await engine().signal(approved.runId, 'approval', { decision: 'approve', data: { amount: 90 }, by: 'ann' });
      await drain();
      const run = await engine().getRun(approved.runId, { steps: true });
      assert.deepEqual(run.output, { sent: 90 });
      assert.equal(run.steps?.[1]?.actor, 'person:ann');

      const rejected = await engine().startRun('approve', { amount: 100 });
      await engine().signal(rejected.runId, 'approval', { decision: 'reject', reason: 'wrong client' });
      await drain();
      assert.deepEqual((await engine().getRun(rejected.runId)).output, { dropped: 'wrong client' });

      const ignored = await engine().startRun('approve', { amount: 100 });
      t.clock.advance(2 * day);
      await drain();
      assert.equal((await engine().getRun(ignored.runId)).output, 'escalated');
      await assert.rejects(engine().signal(ignored.runId, 'approval', { decision: 'approve' }), { code: 'RUN_ENDED' });
    });

    test('the governance gate sees every proposing step: continue, ask a person, or raise an exception', async () => {
      await engine().addWorkflow(defineWorkflow({ id: 'gated' }).action('propose', 'core.set', { proposing: true, input: { total: '{{ input.total }}' } }).end('done', { output: '{{ steps.propose.total }}' }).build());
      gateVerdict = 'continue';
      assert.equal((await engine().getRun((await engine().startRun('gated', { total: 5 })).runId)).output, 5);
      gateVerdict = 'approval';
      const waiting = await engine().startRun('gated', { total: 5000 });
      const run = await engine().getRun(waiting.runId, { steps: true });
      assert.equal(run.status, 'waiting');
      assert.match(JSON.stringify(run.steps?.[0]?.meta), /amount over 1,000/);
      await engine().signal(waiting.runId, 'approval', { decision: 'approve' });
      await drain();
      assert.equal((await engine().getRun(waiting.runId)).output, 5000);
      gateVerdict = 'exception';
      const stopped = await engine().startRun('gated', { total: 5 });
      assert.equal((await engine().getRun(stopped.runId)).status, 'exception');
      assert.ok((await engine().listExceptions()).some((e) => e.runId === stopped.runId && e.owner === 'finance'));
      gateVerdict = 'continue';
    });

    test('a run keeps the definition version it started with', async () => {
      await engine().addWorkflow(defineWorkflow({ id: 'versioned' }).wait('w', { duration: '1d' }).end('e', { output: 'v1' }).build());
      const old = await engine().startRun('versioned', {});
      const saved = await engine().addWorkflow(defineWorkflow({ id: 'versioned' }).wait('w', { duration: '1d' }).end('e', { output: 'v2' }).build());
      assert.equal(saved.version, 2);
      const again = await engine().addWorkflow(defineWorkflow({ id: 'versioned' }).wait('w', { duration: '1d' }).end('e', { output: 'v2' }).build());
      assert.deepEqual([again.version, again.created], [2, false], 'same content, same version');
      const fresh = await engine().startRun('versioned', {});
      t.clock.advance(day);
      await drain();
      assert.equal((await engine().getRun(old.runId)).output, 'v1');
      assert.equal((await engine().getRun(fresh.runId)).output, 'v2');
    });

    test('the same idempotency key gives the same run', async () => {
      const first = await engine().startRun('sum', { x: 1 }, { idempotencyKey: 'order-77' });
      const second = await engine().startRun('sum', { x: 999 }, { idempotencyKey: 'order-77' });
      assert.equal(second.runId, first.runId);
      assert.equal(second.created, false);
      assert.deepEqual((await engine().getRun(first.runId)).output, { result: 3 });
    });

    test('an event trigger starts a run when its filter matches', async () => {
      await engine().addWorkflow(
        defineWorkflow({ id: 'on-big-payment', triggers: [{ type: 'event', event: 'payment.received', filter: 'event.payload.amount >= 1000' }] })
          .action('note', 'core.set', { input: { amount: '{{ input.amount }}' } })
          .build(),
      );
      const small = await engine().emit('payment.received', 'X', { amount: 10 });
      assert.equal(small.started.length, 0);
      const big = await engine().emit('payment.received', 'Y', { amount: 5000 });
      assert.equal(big.started.length, 1);
      await drain();
      const run = await engine().getRun(big.started[0]!);
      assert.deepEqual([run.status, run.output], ['completed', { amount: 5000 }]);
    });

    test('a schedule fires once per time, and a missed fire is skipped or run once, never in a burst', async () => {
      const count = async (id: string) => (await engine().listRuns({ workflowId: id })).length;
      t.clock.set('2026-02-02T07:59:00Z');
      await engine().addWorkflow(defineWorkflow({ id: 'daily', triggers: [{ type: 'schedule', cron: '0 9 * * *', timezone: 'Europe/Berlin', missed: 'skip' }] }).action('x', 'core.set').build());
      await engine().addWorkflow(defineWorkflow({ id: 'daily-once', triggers: [{ type: 'schedule', cron: '0 9 * * *', timezone: 'Europe/Berlin', missed: 'once' }] }).action('x', 'core.set').build());
      await drain();
      assert.equal(await count('daily'), 0, 'not before 09:00 Berlin (08:00 UTC in winter)');
      t.clock.set('2026-02-02T08:00:30Z');
      await drain();
      await drain();
      assert.equal(await count('daily'), 1);
      assert.equal(await count('daily-once'), 1);
      const [run] = await engine().listRuns({ workflowId: 'daily' });
      assert.equal((run?.input as { scheduledAt?: string }).scheduledAt, '2026-02-02T08:00:00.000Z');
      // OpsLoop is "down" for five days.
      t.clock.set('2026-02-07T12:00:00Z');
      await drain();
      assert.equal(await count('daily'), 1, 'skip: missed fires are skipped');
      assert.equal(await count('daily-once'), 2, 'once: one catch-up run, not five');
      const [latest] = await engine().listRuns({ workflowId: 'daily-once' });
      assert.equal((latest?.input as { scheduledAt?: string }).scheduledAt, '2026-02-07T08:00:00.000Z');
      t.clock.set('2026-02-08T08:00:10Z');
      await drain();
      assert.equal(await count('daily'), 2, 'and the next fire on time runs');
    });

    test('external effects go through the outbox, once, with an idempotency key from run and step', async () => {
      await engine().addWorkflow(
        defineWorkflow({ id: 'notify' })
          .action('post', 'http.request', { input: { url: `${receiver.url}/hook`, body: { order: '{{ input.order }}' } } })
          .build(),
      );
      const { runId } = await engine().startRun('notify', { order: 42 });
      await drain();
      const key = `${runId}:0:0`;
      assert.deepEqual(receiver.processed.get(key), { order: 42 });
      const row = await t.app.database.db.selectFrom('outbox').selectAll().where('run_id', '=', runId).executeTakeFirstOrThrow();
      assert.equal(row.status, 'delivered');
      assert.equal(row.external_id, `rcv-${key}`);
    });

    test('a failing delivery is retried, and after the last attempt becomes an exception — never dropped', async () => {
      let failures = 0;
      receiver.failWith = (_key, body) => ((body as { order?: number } | null)?.order === 500 ? (failures++, 503) : null);
      const { runId } = await engine().startRun('notify', { order: 500 });
      await drain();
      assert.equal(failures, 1);
      for (let i = 0; i < 12; i += 1) {
        t.clock.advance(2 * hour);
        await drain();
      }
      const row = await t.app.database.db.selectFrom('outbox').selectAll().where('run_id', '=', runId).executeTakeFirstOrThrow();
      assert.equal(row.status, 'dead');
      assert.equal(failures, 10, 'OPSLOOP_OUTBOX_MAX_ATTEMPTS deliveries');
      assert.ok((await engine().listExceptions()).some((e) => e.outboxId === row.id && String(e.message).includes('HTTP 503')));
      receiver.failWith = null;
    });

    test('a lapsed lease is taken over by another worker', async () => {
      await engine().addWorkflow(defineWorkflow({ id: 'lease' }).action('a', 'test.count', { input: { name: 'lease' } }).build());
      const { runId } = await engine().startRun('lease', {}, { execute: false });
      const db = t.app.database.db;
      // Another worker claimed it and died.
      await db.updateTable('runs').set({ status: 'running', lease_owner: 'dead-worker', lease_expires_at: t.clock.now() + 30_000 }).where('id', '=', runId).execute();
      await drain();
      assert.equal((await engine().getRun(runId)).status, 'running', 'not while the lease holds');
      t.clock.advance(31_000);
      await drain();
      assert.equal((await engine().getRun(runId)).status, 'completed');
    });

    test('bad input is refused with a named problem and nothing is written', async () => {
      const before = (await engine().listRuns({ limit: 500 })).length;
      await assert.rejects(engine().startRun('no-such-workflow', {}), { code: 'WORKFLOW_NOT_FOUND' });
      await assert.rejects(engine().startRun('sum', [] as unknown), { code: 'RUN_INPUT_INVALID' });
      await assert.rejects(engine().addWorkflow('id: x\nsteps:\n  - id: a\n    type: action\n    action: nope.nope\n'), /steps\[0\]\.action: unknown action "nope.nope"/);
      await assert.rejects(engine().signal('00000000-0000-0000-0000-000000000000', 'x', null), { code: 'RUN_NOT_FOUND' });
      assert.equal((await engine().listRuns({ limit: 500 })).length, before);
    });
  });
}
