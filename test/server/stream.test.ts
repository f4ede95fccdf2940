/** Live updates over a real socket: the inbox count and run changes as server-sent events, read from the database. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OpsLoop } from '../../src/app.ts';
import { createLogger } from '../../src/core/logger.ts';
import { listen, type RunningServer } from '../../src/server/index.ts';
import { liveFeed } from '../../src/server/stream.ts';
import { openTestApp, userWithToken, type TestApp } from '../helpers/app.ts';
import { testDialects } from '../helpers/dialects.ts';

interface ServerEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Reads server-sent events from a response as they arrive. */
class EventReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = '';
  readonly comments: string[] = [];

  constructor(res: Response) {
    assert.ok(res.body);
    this.#reader = res.body.getReader();
  }

  /** Events read but not yet taken. */
  readonly #pending: ServerEvent[] = [];

  /** The first event not yet taken that `wanted` accepts (waiting for it up to `timeoutMs`). */
  async next(wanted: (e: ServerEvent) => boolean, timeoutMs = 5000): Promise<ServerEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let end = this.#buffer.indexOf('\n\n');
      while (end !== -1) {
        const lines = this.#buffer.slice(0, end).split('\n');
        this.#buffer = this.#buffer.slice(end + 2);
        for (const l of lines) if (l.startsWith(':')) this.comments.push(l);
        const event = lines.find((l) => l.startsWith('event:'))?.slice(6).trim();
        const data = lines.find((l) => l.startsWith('data:'))?.slice(5).trim();
        if (event !== undefined && data !== undefined) this.#pending.push({ event, data: JSON.parse(data) as Record<string, unknown> });
        end = this.#buffer.indexOf('\n\n');
      }
      const index = this.#pending.findIndex(wanted);
      if (index !== -1) return this.#pending.splice(index, 1)[0] as ServerEvent;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no such event in time; got ${JSON.stringify(this.#pending)}`);
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([this.#reader.read(), new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), left)))]);
      clearTimeout(timer);
      if (chunk === null) throw new Error(`no such event in time; got ${JSON.stringify(this.#pending)}`);
      if (chunk.done) throw new Error('the stream ended');
      this.#buffer += this.#decoder.decode(chunk.value, { stream: true });
    }
  }
}

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

for (const dialect of testDialects()) {
  describe(`live updates on ${dialect}`, () => {
    let t: TestApp;
    let server: RunningServer;
    let token: Record<string, string>;
    before(async () => {
      t = await openTestApp(dialect, { realClock: true, config: { port: 0 } });
      server = await listen(t.app);
      token = (await userWithToken(t.app, 'admin@example.com', 'admin')).headers;
      await t.app.engine.addWorkflow({ id: 'pay', steps: [{ id: 'ok', type: 'approval', title: 'Pay?' }, { id: 'done', type: 'end', output: { paid: true } }] });
    });
    after(async () => {
      await server.close();
      await t.close();
    });

    test('needs credentials', async () => {
      const res = await fetch(`${server.url}/api/stream`);
      assert.equal(res.status, 401);
    });

    test('the open inbox count on connect and when an approval opens; run changes; clients share one poller and leave cleanly', async () => {
      const abort = new AbortController();
      const res = await fetch(`${server.url}/api/stream`, { headers: token, signal: abort.signal });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
      const events = new EventReader(res);
      assert.deepEqual((await events.next((e) => e.event === 'inbox')).data, { open: 0 });

      // A browser with a session cookie listens too.
      await t.app.governance.addUser({ email: 'viewer@example.com', role: 'viewer', password: 'a long password' });
      const signIn = await fetch(`${server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'viewer@example.com', password: 'a long password' }) });
      assert.equal(signIn.status, 200);
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const browserAbort = new AbortController();
      const browser = new EventReader(await fetch(`${server.url}/api/stream`, { headers: { cookie }, signal: browserAbort.signal }));
      assert.deepEqual((await browser.next((e) => e.event === 'inbox')).data, { open: 0 });
      assert.equal(liveFeed(t.app).listeners, 2, 'one poller, two listeners');

      const started = await fetch(`${server.url}/api/workflows/pay/runs`, { method: 'POST', headers: { ...token, 'content-type': 'application/json' }, body: JSON.stringify({ wait: 2000 }) });
      const runId = ((await started.json()) as { run: { id: string } }).run.id;
      assert.deepEqual((await events.next((e) => e.event === 'inbox')).data, { open: 1 });
      assert.deepEqual((await browser.next((e) => e.event === 'inbox')).data, { open: 1 });
      const change = await events.next((e) => e.event === 'run' && e.data.id === runId && e.data.status === 'waiting');
      assert.equal(change.data.workflowId, 'pay');
      assert.ok(!Number.isNaN(Date.parse(String(change.data.updatedAt))));

      // Another process on the same database decides: the change is seen through the database.
      const other = await OpsLoop.open({ env: {}, config: { ...t.db.config, workerId: 'other-process' }, logger: createLogger('silent') });
      try {
        const [task] = await other.governance.listApprovals();
        assert.ok(task);
        await other.governance.decide(task.id, await other.governance.findUser('admin@example.com'), { decision: 'approve' });
      } finally {
        await other.close();
      }
      assert.deepEqual((await events.next((e) => e.event === 'inbox')).data, { open: 0 });
      await t.app.worker.drain();
      await events.next((e) => e.event === 'run' && e.data.id === runId && e.data.status === 'completed');

      browserAbort.abort();
      await until(() => liveFeed(t.app).listeners === 1);
      abort.abort();
      await until(() => liveFeed(t.app).listeners === 0);
    });
  });
}
