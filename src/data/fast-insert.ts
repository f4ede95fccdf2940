/**
 * Inserts on the engine's hot path (runs, journal entries, audit entries) with SQL text built
 * once per table, column list and row count, skipping Kysely's per-query builder and compiler.
 * Values are always bound parameters; only identifiers from our own schema are in the text.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import { Dialect } from './dialect.ts';

const cache = new Map<string, string>();

function insertSql(dialect: Dialect, table: string, columns: readonly string[], rows: number): string {
  const key = `${dialect}|${table}|${columns.join(',')}|${rows}`;
  let text = cache.get(key);
  if (text === undefined) {
    let n = 0;
    const tuple = (): string => `(${columns.map(() => (dialect === Dialect.postgres ? `$${++n}` : '?')).join(', ')})`;
    const values = Array.from({ length: rows }, tuple).join(', ');
    text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${values}`;
    if (cache.size > 500) cache.clear();
    cache.set(key, text);
  }
  return text;
}

/** Inserts `rows` (objects with exactly `columns`) in one statement. */
export async function insertRows<DB>(db: Kysely<DB>, dialect: Dialect, table: string, columns: readonly string[], rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const parameters: unknown[] = [];
  for (const row of rows) for (const column of columns) parameters.push(row[column] ?? null);
  await db.executeQuery(CompiledQuery.raw(insertSql(dialect, table, columns, rows.length), parameters));
}
