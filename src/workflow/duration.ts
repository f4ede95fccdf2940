/**
 * Durations in definitions: "30s", "15m", "2h", "3d", "1w", combinations like "1h30m", or "500ms".
 * Plain numbers are milliseconds.
 */
const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const partPattern = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)/gy;

/** Parses a duration; returns null when the text is not one. */
export function parseDuration(text: string | number): number | null {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : null;
  const source = text.trim().toLowerCase();
  if (source === '') return null;
  partPattern.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (;;) {
    const match = partPattern.exec(source);
    if (match === null) break;
    total += Number(match[1]) * (unitMs[match[2] ?? ''] ?? Number.NaN);
    consumed = partPattern.lastIndex;
    while (source[consumed] === ' ') consumed += 1;
    partPattern.lastIndex = consumed;
  }
  if (consumed !== source.length || !Number.isFinite(total)) return null;
  return Math.round(total);
}

/** A duration for people: 90061000 -> "1d 1h 1m 1s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join(' ');
}
