/**
 * The sentence as the extractors see it. Each extractor finds its phrase, records it, and masks it
 * (overwrites it with NUL characters of the same length) so that later extractors neither re-read
 * it nor take it into a client name or description. Offsets stay valid throughout.
 */

/** The masking character. Normalisation turns any NUL in the input into a space first. */
export const MASK = '\u0000';

export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * Canonical form of a sentence: Unicode NFKC (full-width digits and symbols become ASCII), one
 * kind of space, straight apostrophes and quotes, ASCII hyphen-minus for dashes and the minus
 * sign, control characters gone, runs of white space collapsed.
 */
export function normalizeSentence(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/\p{Cc}/gu, ' ')
    .replace(/[\u00a0\u2000-\u200b\u202f\u205f\u3000]/g, ' ')
    .replace(/[\u2018\u2019\u02bc\u00b4`]/g, "'")
    .replace(/[\u201c\u201d\u201e]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

export class MaskedText {
  /** The normalised sentence, never changed. */
  readonly original: string;
  #masked: string;

  constructor(normalized: string) {
    this.original = normalized;
    this.#masked = normalized;
  }

  /** The sentence with every consumed span replaced by {@link MASK}. */
  get masked(): string {
    return this.#masked;
  }

  get length(): number {
    return this.original.length;
  }

  mask(start: number, end: number): void {
    if (end <= start) return;
    this.#masked = this.#masked.slice(0, start) + MASK.repeat(end - start) + this.#masked.slice(end);
  }

  /** True when no character of the span has been consumed yet. */
  isFree(start: number, end: number): boolean {
    return !this.#masked.slice(start, end).includes(MASK);
  }

  /**
   * Every match of a global regular expression on the masked text, in order. Masked characters
   * match no letter, digit or space class, so a match never spans consumed text unless the
   * pattern says so explicitly.
   */
  matchAll(pattern: RegExp): RegExpExecArray[] {
    if (!pattern.global) throw new Error('matchAll needs a global pattern');
    pattern.lastIndex = 0;
    return [...this.#masked.matchAll(pattern)];
  }
}
