/**
 * Live updates for the web app: GET /api/stream is a server-sent event stream.
 *
 *   event: inbox   data {"open": n}   open approvals + open exceptions; on connect and on change
 *   event: run     data {"id", "workflowId", "status", "updatedAt"}   when a run changes
 *   : heartbeat    a comment every 15 s, so proxies keep the connection open
 *
 * Several OpsLoop processes may share one database, so changes are read from the database, not
 * from in-process hooks: one poller per OpsLoop (shared by all its clients, running only while
 * someone listens) counts the open inbox and reads the runs updated since its last tick, once a
 * second. Runs are read a little behind the newest change seen (a transaction that started
 * earlier may commit later), and a run is announced again only when its status or time changed.
 */
import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { OpsLoop } from '../app.ts';
import type { Queryable } from '../workflow/store/runs.ts';
import type { AppEnv } from './auth.ts';
import { route } from './openapi.ts';

export interface RunChange {
  id: string;
  workflowId: string;
  status: string;
  updatedAt: string;
}

export interface FeedListener {
  inbox(open: number): void;
  run(change: RunChange): void;
}

const heartbeatMs = 15_000;
/** how far behind the newest change runs are read again */
const lagMs = 3_000;
/** at most this many run changes per tick (a UI hint, not a log: the page can always reload) */
const maxRunsPerTick = 500;

/** Open approvals plus open exceptions: what the Inbox shows. */
export async function openInboxCount(db: Queryable): Promise<number> {
  const [approvals, exceptions] = await Promise.all([
    db.selectFrom('approval_tasks').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'open').executeTakeFirstOrThrow(),
    db.selectFrom('exceptions').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'open').executeTakeFirstOrThrow(),
  ]);
  return Number(approvals.n) + Number(exceptions.n);
}

/** The one poller of an OpsLoop; clients subscribe and unsubscribe. */
export class LiveFeed {
  readonly #opsloop: OpsLoop;
  readonly #intervalMs: number;
  readonly #listeners = new Set<FeedListener>();
  #timer: NodeJS.Timeout | null = null;
  #open: number | null = null;
  /** the newest updated_at seen */
  #watermark = 0;
  /** run id -> what was last announced (status@updatedAt) and its updated_at */
  readonly #seen = new Map<string, { key: string; at: number }>();
  #primed: Promise<void> | null = null;

  constructor(opsloop: OpsLoop, intervalMs = 1000) {
    this.#opsloop = opsloop;
    this.#intervalMs = intervalMs;
  }

  get listeners(): number {
    return this.#listeners.size;
  }

  /** The open inbox count (the poller's latest, or read now). */
  async inboxCount(): Promise<number> {
    return this.#open ?? openInboxCount(this.#opsloop.database.db);
  }

  /** Starts the poller with the first listener; the returned function unsubscribes (the last stops it). */
  subscribe(listener: FeedListener): () => void {
    this.#listeners.add(listener);
    if (this.#timer === null) {
      this.#primed = this.#prime();
      this.#timer = setInterval(() => void this.#tick(), this.#intervalMs);
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0 && this.#timer !== null) {
        clearInterval(this.#timer);
        this.#timer = null;
        this.#open = null;
        this.#seen.clear();
      }
    };
  }

  /** Remembers the recent runs without announcing them: a new listener wants what changes next. */
  async #prime(): Promise<void> {
    try {
      const db = this.#opsloop.database.db;
      const newest = await db.selectFrom('runs').select((eb) => eb.fn.max('updated_at').as('at')).executeTakeFirst();
      this.#watermark = Number(newest?.at ?? 0);
      for (const row of await this.#recentRuns()) this.#seen.set(row.id, { key: `${row.status}@${row.updated_at}`, at: row.updated_at });
      this.#open = await openInboxCount(db);
    } catch (error) {
      this.#opsloop.logger.warn({ err: error }, 'live updates: could not read the database');
    }
  }

  /** The runs changed lately, oldest first; when more than the limit changed, the newest of them. */
  async #recentRuns() {
    const rows = await this.#opsloop.database.db
      .selectFrom('runs')
      .select(['id', 'workflow_id', 'status', 'updated_at'])
      .where('updated_at', '>=', this.#watermark - lagMs)
      .orderBy('updated_at', 'desc')
      .limit(maxRunsPerTick)
      .execute();
    return rows.reverse();
  }

  #ticking = false;

  async #tick(): Promise<void> {
    if (this.#ticking) return;
    this.#ticking = true;
    try {
      await this.#primed;
      const db = this.#opsloop.database.db;
      const [open, runs] = await Promise.all([openInboxCount(db), this.#recentRuns()]);
      for (const row of runs) {
        const key = `${row.status}@${row.updated_at}`;
        if (this.#seen.get(row.id)?.key === key) continue;
        this.#seen.set(row.id, { key, at: row.updated_at });
        if (row.updated_at > this.#watermark) this.#watermark = row.updated_at;
        const change: RunChange = { id: row.id, workflowId: row.workflow_id, status: row.status, updatedAt: new Date(row.updated_at).toISOString() };
        for (const listener of this.#listeners) listener.run(change);
      }
      for (const [id, seen] of this.#seen) if (seen.at < this.#watermark - lagMs) this.#seen.delete(id);
      if (open !== this.#open) {
        this.#open = open;
        for (const listener of this.#listeners) listener.inbox(open);
      }
    } catch (error) {
      this.#opsloop.logger.warn({ err: error }, 'live updates: could not read the database');
    } finally {
      this.#ticking = false;
    }
  }
}

const feeds = new WeakMap<OpsLoop, LiveFeed>();

/** The poller of this OpsLoop, shared by every app and client of the process. */
export function liveFeed(opsloop: OpsLoop): LiveFeed {
  let feed = feeds.get(opsloop);
  if (feed === undefined) {
    feed = new LiveFeed(opsloop);
    feeds.set(opsloop, feed);
  }
  return feed;
}

export function mountStream(app: Hono<AppEnv>, opsloop: OpsLoop): void {
  route(
    app,
    {
      method: 'get',
      path: '/api/stream',
      tag: 'live',
      summary: 'Live updates (server-sent events): inbox counts and run changes',
      description: 'Events: `inbox` with {"open": number} on connect and whenever it changes; `run` with {"id", "workflowId", "status", "updatedAt"} when a run changes; a comment line every 15 s.',
      role: 'viewer',
      produces: 'text/event-stream',
    },
    (c) => {
      const feed = liveFeed(opsloop);
      return streamSSE(c, async (stream) => {
        let closed = false;
        let done = (): void => {};
        const ended = new Promise<void>((resolve) => {
          done = resolve;
        });
        // Writes are queued in order; one that fails means the client has gone.
        const send = (event: string, data: unknown) => {
          if (closed) return;
          stream.writeSSE({ event, data: JSON.stringify(data) }).catch(() => stream.abort());
        };
        const unsubscribe = feed.subscribe({ inbox: (open) => send('inbox', { open }), run: (change) => send('run', change) });
        const heartbeat = setInterval(() => {
          if (!closed) stream.write(': heartbeat\n\n').catch(() => stream.abort());
        }, heartbeatMs);
        stream.onAbort(() => {
          closed = true;
          clearInterval(heartbeat);
          unsubscribe();
          done();
        });
        send('inbox', { open: await feed.inboxCount() });
        await ended;
      });
    },
  );
}
