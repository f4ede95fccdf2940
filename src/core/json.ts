import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so equal content always gives equal text (and equal hashes). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Parses stored JSON text; null stays null. */
export function parseJsonColumn<T = unknown>(text: string | null | undefined): T | null {
  if (text === null || text === undefined) return null;
  return JSON.parse(text) as T;
}

/** Serialises for a JSON text column; undefined becomes null. */
export function toJsonColumn(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}
