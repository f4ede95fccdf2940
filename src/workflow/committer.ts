/**
 * Group commit. Units of work (a step's journal entry, the run's new state, its records and
 * outbox rows) are committed in as few transactions as possible without weakening durability.
 *
 * SQLite has one writer, so units that arrive together are run one after another inside ONE
 * transaction, each under its own savepoint: a unit that throws is rolled back alone, the others
 * commit, and every caller is answered only after the commit is on disk (the WAL fsync, done off
 * the event loop — see data/sqlite.ts). While one batch waits for its fsync the next one is
 * already being built and committed.
 *
 * PostgreSQL: units arriving together also share a transaction (a few batches in flight on the
 * pool), without savepoints — they would cost two round trips per unit. If the batch fails, each
 * of its units is run again alone in its own transaction, so one bad unit fails alone. A unit's
 * work is re-runnable by design: it computes everything it writes inside the callback.
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../data/database.ts';
import { Dialect } from '../data/dialect.ts';
import type { DB } from '../data/schema.ts';

export type Unit<T> = (tx: Transaction<DB>) => Promise<T>;

interface Pending {
  work: Unit<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const maxBatch = 128;
const maxPgBatch = 64;
const maxPgBatchesInFlight = 3;

export class Committer {
  readonly #database: Database;
  #queue: Pending[] = [];
  #flushing = false;
  #scheduled = false;
  #syncing = 0;
  #pgQueue: Pending[] = [];
  #pgScheduled = false;
  #pgInFlight = 0;

  constructor(database: Database) {
    this.#database = database;
  }

  /** Runs `work` in a transaction (shared with other units on SQLite); resolves after commit. */
  unit<T>(work: Unit<T>): Promise<T> {
    if (this.#database.dialect === Dialect.postgres) {
      return new Promise<T>((resolve, reject) => {
        this.#pgQueue.push({ work, resolve: resolve as (v: unknown) => void, reject });
        this.#schedulePg();
      });
    }
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      this.#schedule();
    });
  }

  #schedulePg(): void {
    if (this.#pgScheduled || this.#pgInFlight >= maxPgBatchesInFlight) return;
    this.#pgScheduled = true;
    setImmediate(() => {
      this.#pgScheduled = false;
      void this.#flushPg();
    });
  }

  async #flushPg(): Promise<void> {
    if (this.#pgQueue.length === 0) return;
    this.#pgInFlight += 1;
    const batch = this.#pgQueue.splice(0, maxPgBatch);
    if (this.#pgQueue.length > 0) this.#schedulePg();
    try {
      if (batch.length === 1) {
        const [only] = batch as [Pending];
        await this.#runAlone(only);
        return;
      }
      let values: unknown[] = [];
      try {
        values = await this.#database.db.transaction().execute(async (tx) => {
          const out: unknown[] = [];
          for (const pending of batch) out.push(await pending.work(tx));
          return out;
        });
      } catch {
        // Something in the batch failed and nothing of it was committed: run each unit alone.
        await Promise.all(batch.map((pending) => this.#runAlone(pending)));
        return;
      }
      batch.forEach((pending, i) => pending.resolve(values[i]));
    } finally {
      this.#pgInFlight -= 1;
      if (this.#pgQueue.length > 0) this.#schedulePg();
    }
  }

  /**
   * One unit in its own transaction. A deadlock, a serialization failure or a unique-key race
   * with another process (e.g. two creating the same client) is retried a few times: the unit
   * runs again from the start and sees what the other committed.
   */
  async #runAlone(pending: Pending): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        pending.resolve(await this.#database.db.transaction().execute(pending.work));
        return;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (attempt >= 5 || !(code === '40P01' || code === '40001' || code === '23505')) {
          pending.reject(error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      }
    }
  }

  #schedule(): void {
    if (this.#flushing || this.#scheduled) return;
    this.#scheduled = true;
    // Let the units produced in this turn of the event loop join the same commit.
    setImmediate(() => {
      this.#scheduled = false;
      void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    if (this.#flushing || this.#queue.length === 0) return;
    this.#flushing = true;
    const batch = this.#queue.splice(0, maxBatch);
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      const committed = this.#database.db.transaction().execute(async (tx) => {
        const single = batch.length === 1;
        for (const pending of batch) {
          if (single) {
            try {
              outcomes.push({ ok: true, value: await pending.work(tx) });
            } catch (error) {
              outcomes.push({ ok: false, error });
              throw error;
            }
            continue;
          }
          await sql`savepoint unit`.execute(tx);
          try {
            const value = await pending.work(tx);
            await sql`release savepoint unit`.execute(tx);
            outcomes.push({ ok: true, value });
          } catch (error) {
            await sql`rollback to savepoint unit`.execute(tx);
            await sql`release savepoint unit`.execute(tx);
            outcomes.push({ ok: false, error });
          }
        }
      });
      await committed;
      // Let the next batch start while this one waits for the disk.
      this.#flushing = false;
      if (this.#queue.length > 0) this.#schedule();
      this.#syncing += 1;
      try {
        await this.#database.sync();
      } finally {
        this.#syncing -= 1;
      }
      batch.forEach((pending, i) => {
        const outcome = outcomes[i];
        if (outcome?.ok === true) pending.resolve(outcome.value);
        else pending.reject(outcome?.ok === false ? outcome.error : new Error('unit was not run'));
      });
    } catch (error) {
      // The commit itself failed (or the single unit threw): nothing of this batch is stored.
      batch.forEach((pending, i) => {
        const outcome = outcomes[i];
        pending.reject(outcome?.ok === false ? outcome.error : error);
      });
    } finally {
      if (this.#flushing) {
        this.#flushing = false;
        if (this.#queue.length > 0) this.#schedule();
      }
    }
  }

  /** Waits until every queued unit is committed or failed. */
  async drain(): Promise<void> {
    while (this.#queue.length > 0 || this.#flushing || this.#scheduled || this.#syncing > 0 || this.#pgQueue.length > 0 || this.#pgScheduled || this.#pgInFlight > 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
