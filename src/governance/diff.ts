/** A small structural diff of JSON values: the changed leaves, with their paths. */
export interface Change {
  path: string;
  from: unknown;
  to: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function jsonDiff(from: unknown, to: unknown, path = ''): Change[] {
  if (Object.is(from, to)) return [];
  if (Array.isArray(from) && Array.isArray(to)) {
    const changes: Change[] = [];
    for (let i = 0; i < Math.max(from.length, to.length); i += 1) changes.push(...jsonDiff(from[i], to[i], `${path}[${i}]`));
    return changes;
  }
  if (isObject(from) && isObject(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    return keys.flatMap((k) => jsonDiff(from[k], to[k], path === '' ? k : `${path}.${k}`));
  }
  if (JSON.stringify(from) === JSON.stringify(to)) return [];
  return [{ path: path === '' ? '(root)' : path, from: from ?? null, to: to ?? null }];
}
