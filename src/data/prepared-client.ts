/**
 * A pg client that turns statements this process runs again and again into named prepared
 * statements, so PostgreSQL parses and plans them once per connection instead of every time.
 * The engine's SQL is a small, fixed set of shapes; a text is prepared after its third use, and
 * at most `maxPrepared` per connection (the rest run unnamed, as before).
 */
import { createHash } from 'node:crypto';
import pg from 'pg';

const maxPrepared = 256;
const useCounts = new Map<string, number>();

function isQueryText(value: unknown): value is string {
  return typeof value === 'string';
}

export class PreparingClient extends pg.Client {
  readonly #prepared = new Set<string>();

  override query(...args: unknown[]): never {
    const [text, values, callback] = args;
    if (isQueryText(text) && Array.isArray(values) && callback === undefined && !/^\s*(begin|commit|rollback|savepoint|release|listen)\b/i.test(text)) {
      const seen = (useCounts.get(text) ?? 0) + 1;
      if (useCounts.size < 10_000 || useCounts.has(text)) useCounts.set(text, seen);
      if (seen >= 3 && (this.#prepared.has(text) || this.#prepared.size < maxPrepared)) {
        this.#prepared.add(text);
        const name = `ol_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
        return (super.query as (config: unknown) => never)({ name, text, values });
      }
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}
