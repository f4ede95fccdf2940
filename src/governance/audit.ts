/**
 * The audit trail: append-only and hash-chained. Each entry stores the hash of the previous
 * entry and the hash of (previous hash + its own canonical content), so changing, removing or
 * reordering a row breaks the chain from that row on, and `verifyAudit` names the first row that
 * does not match. Entries are appended inside the transaction of the change they describe; on
 * PostgreSQL an advisory lock keeps the chain linear when several processes append.
 */
import { CompiledQuery, sql } from 'kysely';
import { canonicalJson, parseJsonColumn, sha256Hex } from '../core/json.ts';
import { isoOf } from '../core/clock.ts';
import { Dialect } from '../data/dialect.ts';
import type { AuditRow } from '../data/schema.ts';
import { insertRows } from '../data/fast-insert.ts';

const auditColumns = ['at', 'actor', 'action', 'subject_type', 'subject_id', 'run_id', 'data', 'prev_hash', 'hash'] as const;
import type { Queryable } from '../workflow/store/runs.ts';

export const genesisHash = '0'.repeat(64);
const chainLockKey = 73_310_001;

export interface AuditEntry {
  /** `system`, `ai`, `user:<email>`, `token:<prefix>` */
  actor: string;
  /** e.g. run.started, step.proposed, policy.verdict, approval.decided, effect.sent, record.changed */
  action: string;
  subjectType: string;
  subjectId: string;
  runId?: string | null;
  data?: unknown;
}

function contentOf(row: { at: number; actor: string; action: string; subject_type: string; subject_id: string; run_id: string | null; data: string | null }): string {
  return canonicalJson({ at: row.at, actor: row.actor, action: row.action, subjectType: row.subject_type, subjectId: row.subject_id, runId: row.run_id, data: row.data });
}

export function chainHash(prevHash: string, content: string): string {
  return sha256Hex(`${prevHash}\n${content}`);
}

/** Appends entries in order, in the caller's transaction. */
export async function appendAudit(tx: Queryable, dialect: Dialect, entries: AuditEntry[], now: number): Promise<void> {
  if (entries.length === 0) return;
  if (dialect === Dialect.postgres) await sql`select pg_advisory_xact_lock(${chainLockKey})`.execute(tx);
  // Raw SQL: this runs for every audited change, and Kysely's builder costs more than the query.
  const last = await tx.executeQuery<{ hash: string }>(CompiledQuery.raw('select "hash" from "audit_log" order by "seq" desc limit 1', []));
  let prev = last.rows[0]?.hash ?? genesisHash;
  for (const entry of entries) {
    const row = {
      at: now,
      actor: entry.actor,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId,
      run_id: entry.runId ?? null,
      data: entry.data === undefined ? null : canonicalJson(entry.data),
    };
    const hash = chainHash(prev, contentOf(row));
    await insertRows(tx, dialect, 'audit_log', auditColumns, [{ ...row, prev_hash: prev, hash }]);
    prev = hash;
  }
}

export type VerifyResult =
  | { ok: true; entries: number; lastHash: string }
  | { ok: false; entries: number; seq: number; reason: string };

/** Walks the chain from the start; reports the first entry that does not match. */
export async function verifyAudit(db: Queryable): Promise<VerifyResult> {
  let prev = genesisHash;
  let checked = 0;
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(1000).execute();
    if (rows.length === 0) return { ok: true, entries: checked, lastHash: prev };
    for (const row of rows) {
      if (row.prev_hash !== prev) {
        return { ok: false, entries: checked, seq: row.seq, reason: `entry ${row.seq} does not follow the entry before it (a row was removed, inserted or reordered)` };
      }
      if (chainHash(prev, contentOf(row)) !== row.hash) {
        return { ok: false, entries: checked, seq: row.seq, reason: `entry ${row.seq} (${row.action} ${row.subject_type} ${row.subject_id}) was changed after it was written` };
      }
      prev = row.hash;
      checked += 1;
      after = row.seq;
    }
  }
}

export interface AuditView {
  seq: number;
  at: string | null;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  runId: string | null;
  data: unknown;
  hash: string;
}

export function toAuditView(row: AuditRow): AuditView {
  return { seq: row.seq, at: isoOf(row.at), actor: row.actor, action: row.action, subjectType: row.subject_type, subjectId: row.subject_id, runId: row.run_id, data: parseJsonColumn(row.data), hash: row.hash };
}

export interface AuditQuery {
  action?: string;
  subjectId?: string;
  runId?: string;
  actor?: string;
  limit?: number;
  afterSeq?: number;
  beforeSeq?: number;
}

export async function searchAudit(db: Queryable, q: AuditQuery = {}): Promise<AuditView[]> {
  let query = db.selectFrom('audit_log').selectAll().limit(Math.min(Math.max(q.limit ?? 100, 1), 10_000));
  if (q.action !== undefined) query = query.where('action', '=', q.action);
  if (q.subjectId !== undefined) query = query.where('subject_id', '=', q.subjectId);
  if (q.runId !== undefined) query = query.where('run_id', '=', q.runId);
  if (q.actor !== undefined) query = query.where('actor', '=', q.actor);
  if (q.afterSeq !== undefined) query = query.where('seq', '>', q.afterSeq).orderBy('seq', 'asc');
  else {
    if (q.beforeSeq !== undefined) query = query.where('seq', '<', q.beforeSeq);
    query = query.orderBy('seq', 'desc');
  }
  return (await query.execute()).map(toAuditView);
}

const csvColumns = ['seq', 'at', 'actor', 'action', 'subjectType', 'subjectId', 'runId', 'data', 'hash'] as const;

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The whole trail, oldest first, as CSV (with a header) or JSON lines, in chunks. */
export async function* exportAudit(db: Queryable, format: 'csv' | 'jsonl'): AsyncGenerator<string> {
  if (format === 'csv') yield `${csvColumns.join(',')}\n`;
  let after = 0;
  for (;;) {
    const rows = await searchAudit(db, { afterSeq: after, limit: 1000 });
    if (rows.length === 0) return;
    let chunk = '';
    for (const row of rows) {
      chunk += format === 'csv' ? `${csvColumns.map((c) => csvCell(row[c])).join(',')}\n` : `${JSON.stringify(row)}\n`;
      after = row.seq;
    }
    yield chunk;
  }
}
