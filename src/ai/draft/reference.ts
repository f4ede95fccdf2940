/**
 * A referenced document number: "INV-0042", "PO-7781", "QT2026-01", "#1234", "ref 88-A1".
 * The first one in the sentence wins.
 */
import { isCurrency } from './money/index.ts';
import type { MaskedText } from './text.ts';

export interface FoundReference {
  readonly value: string;
  readonly confidence: number;
}

const PATTERNS: readonly (readonly [RegExp, number])[] = [
  // Capital prefix and digits, optionally joined by - / #: INV-0042, PO7781, QT-2026-001.
  [/\b([A-Z]{2,5}[-/#]?\d{2,}(?:[-/][A-Z0-9]+)*)\b/g, 1],
  [/(?<![\p{L}\p{N}])#\s?([A-Za-z0-9][A-Za-z0-9/-]*)/gu, 0.8],
  [/\b(?:ref(?:erence)?|no\.|number|nr\.?)\s*:?\s*([A-Za-z0-9][A-Za-z0-9/-]*\d[A-Za-z0-9/-]*)/gi, 0.8],
];

/** Finds and masks every reference; returns the earliest, or null. */
export function extractReference(text: MaskedText): FoundReference | null {
  let best: { value: string; start: number; confidence: number } | null = null;
  for (const [pattern, confidence] of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const value = match[1] ?? '';
      if (!/\d/.test(value) || startsWithCurrency(value)) continue;
      text.mask(match.index, match.index + match[0].length);
      if (best === null || match.index < best.start) best = { value, start: match.index, confidence };
    }
  }
  return best === null ? null : { value: best.value, confidence: best.confidence };
}

/** "USD2500" is an amount, not a reference. */
function startsWithCurrency(value: string): boolean {
  const prefix = /^[A-Z]{3}(?=[-/#]?\d)/.exec(value)?.[0];
  return prefix !== undefined && isCurrency(prefix);
}
