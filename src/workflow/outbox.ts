/**
 * The outbox dispatcher delivers external effects that steps wrote in their transactions. Each
 * row carries an idempotency key derived from its run and step, so a receiver that honours it
 * processes the effect once even when a crash makes us deliver again. A row being delivered is
 * leased; a dead dispatcher's rows are retried after the lease lapses. Failed deliveries back
 * off; after the last attempt the row is dead and an exception says so — nothing is dropped.
 */
import { describeError, NonRetriableError, RetryAfterError } from '../core/errors.ts';
import { parseJsonColumn, toJsonColumn } from '../core/json.ts';
import type { Logger } from '../core/logger.ts';
import type { Database } from '../data/database.ts';
import { Dialect } from '../data/dialect.ts';
import type { NewOutboxRow, OutboxRow } from '../data/schema.ts';
import type { Registry } from './registry.ts';
import { backoffDelayMs } from './retry.ts';
import type { EngineHooks } from './hooks.ts';
import { raiseException } from './exceptions.ts';

export const OutboxStatus = { pending: 'pending', sending: 'sending', delivered: 'delivered', dead: 'dead' } as const;
export type OutboxStatus = (typeof OutboxStatus)[keyof typeof OutboxStatus];

const deliveryTimeoutMs = 30_000;
const outboxRetry = { maxAttempts: 100, initialDelay: '2s', maxDelay: '1h', factor: 2 };

/** A pending outbox row: delivered once after the transaction that writes it commits. */
export function pendingOutboxRow(r: { id: string; runId: string | null; stepSeq: number | null; stepId: string | null; kind: string; idempotencyKey: string; payload: unknown; now: number }): NewOutboxRow {
  return {
    id: r.id,
    run_id: r.runId,
    step_seq: r.stepSeq,
    step_id: r.stepId,
    kind: r.kind,
    idempotency_key: r.idempotencyKey,
    payload: JSON.stringify(r.payload ?? null),
    status: OutboxStatus.pending,
    attempts: 0,
    next_attempt_at: r.now,
    lease_owner: null,
    lease_expires_at: null,
    last_error: null,
    external_id: null,
    response: null,
    created_at: r.now,
    delivered_at: null,
  };
}

export interface DispatcherDeps {
  database: Database;
  registry: Registry;
  now: () => number;
  owner: string;
  leaseMs: number;
  maxAttempts: number;
  logger: Logger;
  hooks: EngineHooks;
}

export class OutboxDispatcher {
  readonly #d: DispatcherDeps;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(deps: DispatcherDeps) {
    this.#d = deps;
  }

  get busy(): number {
    return this.#inFlight.size;
  }

  /** Claims due rows (up to `limit`) and starts delivering them. Returns how many were claimed. */
  async dispatchDue(limit: number): Promise<number> {
    if (limit <= 0) return 0;
    const rows = await this.#claim(limit);
    // A row can be claimed as soon as its step committed; on SQLite that commit is on disk only
    // after the WAL fsync. Deliver nothing a power cut could still take back.
    if (rows.length > 0) await this.#d.database.sync();
    for (const row of rows) {
      const delivery = this.#deliver(row).finally(() => this.#inFlight.delete(delivery));
      this.#inFlight.add(delivery);
    }
    return rows.length;
  }

  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  async #claim(limit: number): Promise<OutboxRow[]> {
    const { db, dialect } = this.#d.database;
    const now = this.#d.now();
    const claimed: OutboxRow[] = [];
    for (const kind of ['due', 'lapsed'] as const) {
      if (claimed.length >= limit) break;
      let candidates = db.selectFrom('outbox').select('id').limit(limit - claimed.length);
      candidates =
        kind === 'due'
          ? candidates.where('status', '=', OutboxStatus.pending).where('next_attempt_at', '<=', now).orderBy('next_attempt_at')
          : candidates.where('status', '=', OutboxStatus.sending).where('lease_expires_at', '<', now);
      if (dialect === Dialect.postgres) candidates = candidates.forUpdate().skipLocked();
      const rows = await db
        .updateTable('outbox')
        .set((eb) => ({ status: OutboxStatus.sending, lease_owner: this.#d.owner, lease_expires_at: now + this.#d.leaseMs, attempts: eb('attempts', '+', 1) }))
        .where('id', 'in', candidates)
        .returningAll()
        .execute();
      claimed.push(...rows);
    }
    return claimed;
  }

  async #deliver(row: OutboxRow): Promise<void> {
    const { db } = this.#d.database;
    const handler = this.#d.registry.effect(row.kind);
    try {
      if (handler === undefined) throw new NonRetriableError(`No effect handler "${row.kind}" is registered in this process`, { code: 'EFFECT_UNKNOWN' });
      const result = await handler.deliver(parseJsonColumn(row.payload), {
        outboxId: row.id,
        idempotencyKey: row.idempotency_key,
        attempt: row.attempts,
        signal: AbortSignal.timeout(deliveryTimeoutMs),
      });
      await db.transaction().execute(async (tx) => {
        const now = this.#d.now();
        const updated = await tx
          .updateTable('outbox')
          .set({ status: OutboxStatus.delivered, delivered_at: now, external_id: result.externalId ?? null, response: toJsonColumn(result.response ?? null), lease_owner: null, lease_expires_at: null, last_error: null })
          .where('id', '=', row.id)
          .where('lease_owner', '=', this.#d.owner)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) return;
        await this.#d.hooks.effectDelivered?.(tx, { outboxId: row.id, runId: row.run_id, stepId: row.step_id, kind: row.kind, idempotencyKey: row.idempotency_key, externalId: result.externalId ?? null, now });
      });
    } catch (error) {
      await this.#failed(row, error);
    }
  }

  async #failed(row: OutboxRow, error: unknown): Promise<void> {
    const { db } = this.#d.database;
    const now = this.#d.now();
    const described = describeError(error);
    const giveUp = error instanceof NonRetriableError || row.attempts >= this.#d.maxAttempts;
    this.#d.logger.warn({ outboxId: row.id, kind: row.kind, attempt: row.attempts, error: described.message }, giveUp ? 'effect delivery gave up' : 'effect delivery failed; will retry');
    if (!giveUp) {
      const delay = error instanceof RetryAfterError ? error.retryAfterMs : backoffDelayMs(outboxRetry, row.attempts);
      await db
        .updateTable('outbox')
        .set({ status: OutboxStatus.pending, next_attempt_at: now + delay, last_error: described.message, lease_owner: null, lease_expires_at: null })
        .where('id', '=', row.id)
        .where('lease_owner', '=', this.#d.owner)
        .execute();
      return;
    }
    await db.transaction().execute(async (tx) => {
      const updated = await tx
        .updateTable('outbox')
        .set({ status: OutboxStatus.dead, last_error: described.message, lease_owner: null, lease_expires_at: null })
        .where('id', '=', row.id)
        .where('lease_owner', '=', this.#d.owner)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return;
      const message = `Delivering ${row.kind} effect failed after ${row.attempts} attempt(s): ${described.message}`;
      await raiseException(tx, this.#d.hooks, { runId: row.run_id, workflowId: null, stepId: row.step_id, outboxId: row.id, kind: 'effect_failed', code: described.code, message, owner: 'role:admin', now });
    });
  }
}
