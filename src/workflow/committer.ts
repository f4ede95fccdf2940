/**
 * Group commit. Units of work (a step's journal entry, the run's new state, its records and
 * outbox rows) are committed in as few transactions as possible without weakening durability.
 *
 * SQLite has one writer, so units that arrive together are run one after another inside ONE
 * transaction, each under its own savepoint: a unit that throws is rolled back alone, the others
 * commit, and every caller is answered only after the commit is on disk (the WAL fsync, done off
 * the event loop — see data/sqlite.ts). While one batch waits for its fsync the next one is
 * already being built and committed. PostgreSQL gives each unit its own transaction from the pool; the
 * server already groups concurrent commits into shared WAL flushes.
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

export class Committer {
  readonly #database: Database;
  #queue: Pending[] = [];
  #flushing = false;
  #scheduled = false;
  #syncing = 0;

  constructor(database: Database) {
    this.#database = database;
  }

  /** Runs `work` in a transaction (shared with other units on SQLite); resolves after commit. */
  unit<T>(work: Unit<T>): Promise<T> {
    if (this.#database.dialect === Dialect.postgres) return this.#database.db.transaction().execute(work);
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      this.#schedule();
    });
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
    while (this.#queue.length > 0 || this.#flushing || this.#scheduled || this.#syncing > 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
