/** Editing a proposal field by field: its leaves, a changed copy, and what changed. */

export type Path = (string | number)[];

export interface Leaf {
  path: Path;
  value: string | number | boolean | null;
}

/** Fields a person should not change: identities and computed totals. */
export function isLocked(path: Path): boolean {
  const last = path[path.length - 1];
  if (path.includes('anomalies')) return true;
  return typeof last === 'string' && (last === 'id' || last.endsWith('Id') || ['status', 'paid', 'document', 'newClient', 'flagged', 'amount'].includes(last));
}

export function leaves(value: unknown, path: Path = []): Leaf[] {
  if (value === null || typeof value !== 'object') return [{ path, value: value as Leaf['value'] }];
  const out: Leaf[] = [];
  if (Array.isArray(value)) value.forEach((item, i) => out.push(...leaves(item, [...path, i])));
  else for (const [key, item] of Object.entries(value)) out.push(...leaves(item, [...path, key]));
  return out;
}

export function pathLabel(path: Path): string {
  return path.map((p) => (typeof p === 'number' ? `#${p + 1}` : p)).join(' › ');
}

export function pathKey(path: Path): string {
  return JSON.stringify(path);
}

/** A deep copy of `value` with the edited leaves set (text turned back into the leaf's type). */
export function applyEdits(value: unknown, edits: Map<string, string>, original: Leaf[]): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  for (const leaf of original) {
    const text = edits.get(pathKey(leaf.path));
    if (text === undefined) continue;
    let next: unknown = text;
    if (typeof leaf.value === 'number') next = text.trim() === '' ? null : Number(text);
    else if (typeof leaf.value === 'boolean') next = text === 'true';
    else if (leaf.value === null) next = text === '' ? null : text;
    if (leaf.path.length === 0) return next;
    let target = copy as Record<string | number, unknown>;
    for (const step of leaf.path.slice(0, -1)) target = target[step] as Record<string | number, unknown>;
    target[leaf.path[leaf.path.length - 1] as string | number] = next;
  }
  return copy;
}

export interface FieldChange {
  path: Path;
  from: unknown;
  to: unknown;
}

export function changes(before: unknown, after: unknown): FieldChange[] {
  const a = new Map(leaves(before).map((l) => [pathKey(l.path), l]));
  const out: FieldChange[] = [];
  for (const leaf of leaves(after)) {
    const old = a.get(pathKey(leaf.path));
    if (old === undefined || old.value !== leaf.value) out.push({ path: leaf.path, from: old?.value, to: leaf.value });
  }
  return out;
}

/** Numbers typed into a number field that are not numbers. */
export function invalidNumbers(edits: Map<string, string>, original: Leaf[]): Path[] {
  return original.filter((l) => typeof l.value === 'number' && edits.has(pathKey(l.path)) && (edits.get(pathKey(l.path)) ?? '').trim() !== '' && !Number.isFinite(Number(edits.get(pathKey(l.path))))).map((l) => l.path);
}
