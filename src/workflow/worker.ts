/**
 * The worker loop: claims due runs (leases; SKIP LOCKED on PostgreSQL), advances them, keeps
 * their leases alive, fires schedules and drives the outbox. It sleeps until poked — by a commit
 * in this process, or a PostgreSQL NOTIFY from another — or until the poll interval passes.
 */
import type pg from 'pg';
import { messageOf } from '../core/errors.ts';
import { Dialect } from '../data/dialect.ts';
import type { Engine } from './engine.ts';
import { wakeChannel } from './events.ts';
import { fireDueSchedules } from './schedules.ts';
import { claimRuns, releaseRun, renewLeases } from './store/runs.ts';
import { RunStatus } from './states.ts';

export interface WorkerOptions {
  /** how many runs (and deliveries) this worker advances at once; default OPSLOOP_WORKER_CONCURRENCY */
  concurrency?: number;
}

export class Worker {
  readonly #engine: Engine;
  readonly #concurrency: number;
  #running = false;
  #loop: Promise<void> | null = null;
  #sleepTimer: NodeJS.Timeout | null = null;
  #wakeSleeper: (() => void) | null = null;
  #poked = false;
  #lastRenewal = 0;
  #lastScheduleCheck = Number.NEGATIVE_INFINITY;
  #lastOutboxCheck = Number.NEGATIVE_INFINITY;
  #outboxPoked = true;
  #listenClient: pg.PoolClient | null = null;
  #unsubscribe: (() => void) | null = null;
  readonly #periodic: (() => Promise<void>)[] = [];

  constructor(engine: Engine, options: WorkerOptions = {}) {
    this.#engine = engine;
    this.#concurrency = options.concurrency ?? engine.settings.workerConcurrency;
  }

  /** Starts the loop in the background. */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    const { database } = this.#engine;
    if (database.dialect === Dialect.sqlite) await this.#recoverSingleProcess();
    this.#unsubscribe = this.#engine.onWake((what) => this.poke(what));
    if (database.pool !== undefined) {
      try {
        const client = await database.pool.connect();
        client.on('notification', () => {
          this.#outboxPoked = true;
          this.poke();
        });
        client.on('error', () => undefined);
        await client.query(`LISTEN ${wakeChannel}`);
        this.#listenClient = client;
      } catch (error) {
        this.#engine.logger.warn({ error: messageOf(error) }, 'LISTEN failed; relying on polling');
      }
    }
    this.#loop = this.#run();
  }

  /**
   * SQLite serves one process: whatever a previous, dead process had leased is taken back now
   * instead of after the lease lapses.
   */
  async #recoverSingleProcess(): Promise<void> {
    const { db } = this.#engine.database;
    const owner = this.#engine.settings.workerId;
    await db.updateTable('runs').set({ lease_expires_at: 0 }).where('status', '=', RunStatus.running).where('lease_owner', '<>', owner).execute();
    await db.updateTable('outbox').set({ lease_expires_at: 0 }).where('status', '=', 'sending').where('lease_owner', '<>', owner).execute();
  }

  /** Work to do about once per poll interval (and on every drain), e.g. escalating overdue tasks. */
  addPeriodic(work: () => Promise<void>): void {
    this.#periodic.push(work);
  }

  poke(what: 'runs' | 'outbox' = 'runs'): void {
    if (what === 'outbox') this.#outboxPoked = true;
    this.#poked = true;
    this.#wakeSleeper?.();
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let worked = false;
      try {
        worked = await this.tick();
      } catch (error) {
        this.#engine.logger.error({ error: messageOf(error) }, 'worker tick failed');
      }
      if (!this.#running) break;
      if (!worked) await this.#sleep(this.#engine.settings.pollIntervalMs);
    }
  }

  #sleep(ms: number): Promise<void> {
    if (this.#poked) {
      this.#poked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        if (this.#sleepTimer !== null) clearTimeout(this.#sleepTimer);
        this.#sleepTimer = null;
        this.#wakeSleeper = null;
        this.#poked = false;
        resolve();
      };
      this.#wakeSleeper = done;
      this.#sleepTimer = setTimeout(done, ms);
    });
  }

  /**
   * One pass over due work. Runs are claimed on every pass; schedules and the outbox are checked
   * when poked for them or once per poll interval (`force`: always, for drains).
   * Returns whether anything was found.
   */
  async tick(force = false): Promise<boolean> {
    const engine = this.#engine;
    const now = engine.clock.now();
    const leaseMs = engine.settings.leaseSeconds * 1000;
    if (now - this.#lastRenewal >= leaseMs / 3) {
      this.#lastRenewal = now;
      if (engine.active.size > 0) await renewLeases(engine.database.db, engine.settings.workerId, now, leaseMs);
    }
    const free = this.#concurrency - engine.active.size;
    // Claim in batches: when busy, wait until a quarter of the slots are free rather than
    // spending a claim query on every run that finishes.
    const batch = force || engine.active.size === 0 || free >= Math.max(1, Math.floor(this.#concurrency / 4)) ? free : 0;
    const claimed = await claimRuns(engine.database.db, engine.database.dialect, engine.settings.workerId, now, leaseMs, batch);
    for (const row of claimed) {
      void engine
        .advanceClaimed(row)
        .catch(async (error: unknown) => {
          engine.logger.warn({ runId: row.id, error: messageOf(error) }, 'run could not be advanced; releasing it');
          await releaseRun(engine.database.db, row.id, engine.settings.workerId, engine.clock.now() + 1000).catch(() => undefined);
        })
        // A free slot: look for more work now rather than after the poll interval.
        .finally(() => this.poke());
    }
    const interval = engine.settings.pollIntervalMs;
    const wallNow = performance.now();
    let fired: string[] = [];
    if (force || wallNow - this.#lastScheduleCheck >= interval) {
      this.#lastScheduleCheck = wallNow;
      fired = await fireDueSchedules(engine.database, now, Math.max(60_000, interval * 2), engine.hooks);
      for (const work of this.#periodic) await work();
    }
    let dispatched = 0;
    if (force || this.#outboxPoked || wallNow - this.#lastOutboxCheck >= interval) {
      this.#outboxPoked = false;
      this.#lastOutboxCheck = wallNow;
      dispatched = await engine.dispatcher.dispatchDue(this.#concurrency - engine.dispatcher.busy);
      // More may be due than there were free slots.
      if (dispatched > 0) this.#outboxPoked = true;
    }
    return claimed.length > 0 || fired.length > 0 || dispatched > 0;
  }

  /** Processes everything that is due now, and waits for it: for tests and one-shot commands. */
  async drain(maxPasses = 1000): Promise<void> {
    const engine = this.#engine;
    for (let pass = 0; pass < maxPasses; pass += 1) {
      const worked = await this.tick(true);
      await Promise.allSettled([...engine.active.values()]);
      await engine.dispatcher.idle();
      await engine.committer.drain();
      if (!worked && engine.active.size === 0 && engine.dispatcher.busy === 0) return;
    }
  }

  /** Stops claiming; waits (up to `graceMs`) for runs in progress; lets go of the rest. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#unsubscribe?.();
    this.#wakeSleeper?.();
    await this.#loop;
    const engine = this.#engine;
    const pending = Promise.allSettled([...engine.active.values(), engine.dispatcher.idle()]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([pending, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    if (timer !== undefined) clearTimeout(timer);
    if (this.#listenClient !== null) {
      this.#listenClient.release();
      this.#listenClient = null;
    }
  }
}
