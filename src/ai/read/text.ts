/** Small string helpers shared by the READ field extractor. Pure functions, no state. */

/** Collapses runs of whitespace to one space and trims: the form every comparison uses. */
export function collapseSpaces(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Upper-cased words of a line (letters/digits runs), for lexicons and vendor fingerprints. */
export function words(text: string): string[] {
  return text.toUpperCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Word shape: digits → 9, letters → A, so `12/03/2018` → `99/99/9999`. */
export function shapeOf(text: string): string {
  return text.replace(/\p{N}/gu, '9').replace(/\p{L}/gu, 'A');
}

/** Levenshtein distance with an early exit once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = new Array<number>(b.length + 1);
  let current = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    [previous, current] = [current, previous];
  }
  return previous[b.length] ?? 0;
}

/** 1 − normalised edit distance of the two strings with spaces removed (OCR spacing is noisy). */
export function similarity(a: string, b: string): number {
  const x = a.replace(/\s+/g, '').toUpperCase();
  const y = b.replace(/\s+/g, '').toUpperCase();
  const longest = Math.max(x.length, y.length);
  if (longest === 0) return 1;
  const limit = Math.ceil(longest * 0.5);
  const distance = editDistance(x, y, limit);
  return distance > limit ? 0 : 1 - distance / longest;
}

/** Share of letters that are upper case (0 when there are no letters). */
export function upperRatio(text: string): number {
  const letters = text.match(/\p{L}/gu) ?? [];
  if (letters.length === 0) return 0;
  return letters.filter((ch) => ch === ch.toUpperCase() && ch !== ch.toLowerCase()).length / letters.length;
}

/** Share of non-space characters that are digits. */
export function digitRatio(text: string): number {
  const chars = text.replace(/\s+/g, '');
  if (chars.length === 0) return 0;
  return (chars.match(/\p{N}/gu) ?? []).length / chars.length;
}

/** Jaccard overlap of two sets. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let common = 0;
  for (const item of a) if (b.has(item)) common++;
  return common / (a.size + b.size - common);
}
