/**
 * Small deterministic helpers: 32-bit FNV-1a string hashing (feature hashing without storing
 * strings) and a seeded PRNG (training must give the same model for the same data).
 */

const FNV_PRIME = 0x01000193;

/** One FNV-1a step: fold a 16-bit code unit into the running hash. */
export function fnvStep(hash: number, codeUnit: number): number {
  return Math.imul(hash ^ codeUnit, FNV_PRIME) >>> 0;
}

/** FNV-1a over a string's UTF-16 code units, starting from `seed` (a namespace). */
export function hashString(seed: number, text: string): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) hash = fnvStep(hash, text.charCodeAt(i));
  return hash;
}

/** Combine two 32-bit hashes into one (order matters), with a final avalanche. */
export function hashPair(seed: number, a: number, b: number): number {
  let hash = seed >>> 0;
  hash = Math.imul(hash ^ a, FNV_PRIME) >>> 0;
  hash = Math.imul(hash ^ b, FNV_PRIME) >>> 0;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  return hash >>> 0;
}

/** mulberry32: a fast seeded PRNG returning floats in [0, 1). */
export function createRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle in place with the given PRNG. */
export function shuffleInPlace(values: Int32Array | number[], random: () => number): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = values[i] as number;
    values[i] = values[j] as number;
    values[j] = tmp;
  }
}
