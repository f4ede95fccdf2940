/**
 * Tax phrases. Exclusive ("+ 19% VAT", "plus 20% tax", "excl. VAT", "19% GST"): the stated price
 * is net and tax is added per line. Inclusive ("incl. 19% VAT", "including tax", "19% VAT
 * included"): the stated price already contains the tax. Zero ("no VAT", "tax-free", "0% VAT").
 * A phrase without a rate ("plus VAT") takes the default rate from the options, if any.
 */
import { normalizeTaxRate } from './money/index.ts';
import { DraftErrorCode, draftError } from './errors.ts';
import type { MaskedText, Span } from './text.ts';

export const TaxMode = {
  exclusive: 'exclusive',
  inclusive: 'inclusive',
} as const;
export type TaxMode = (typeof TaxMode)[keyof typeof TaxMode];

export interface TaxPhrase {
  readonly span: Span;
  readonly mode: TaxMode;
  /** Canonical percentage, or null when the phrase names no rate. */
  readonly rate: string | null;
}

const RATE = String.raw`(?<![\d.,])(?<rate>\d{1,3}(?:[.,]\d{1,6})?)\s?%`;
const TAX_WORD = String.raw`(?:sales\s+tax|consumption\s+tax|VAT|GST|HST|PST|QST|tax(?:es)?|MwSt\.?|USt\.?|IVA|TVA|BTW)`;
const INCLUDING = String.raw`(?:incl\.?|including|inclusive\s+of|inc\.)`;
const EXCLUDING = String.raw`(?:\+|\bplus|\badd(?:ing)?|\bexcl\.?|\bexcluding|\bexclusive\s+of|\bex\.?)`;
const AT_RATE = String.raw`(?:\s+(?:at|@|of)?\s*${RATE})?`;

/** In priority order: a longer reading of the same words must come first. */
const PHRASES: readonly (readonly [RegExp, TaxMode | 'zero'])[] = [
  [new RegExp(String.raw`\(?${RATE}\s*${TAX_WORD}\s+(?:incl\.?|included|inclusive)\)?`, 'gi'), TaxMode.inclusive],
  [new RegExp(String.raw`\(?\b${INCLUDING}\s*${RATE}\s*${TAX_WORD}?\)?`, 'gi'), TaxMode.inclusive],
  [new RegExp(String.raw`\(?\b${INCLUDING}\s*${TAX_WORD}\b${AT_RATE}\)?`, 'gi'), TaxMode.inclusive],
  [new RegExp(String.raw`\(?\b${TAX_WORD}\s+(?:incl\.?|included|inclusive)\)?`, 'gi'), TaxMode.inclusive],
  [new RegExp(String.raw`\b(?:no|without|zero)\s+${TAX_WORD}\b|\b${TAX_WORD}[\s-]?(?:free|exempt)\b`, 'gi'), 'zero'],
  [new RegExp(String.raw`\(?(?:${EXCLUDING}\s*|\bwith\s+)?${RATE}\s*${TAX_WORD}\b\)?`, 'gi'), TaxMode.exclusive],
  [new RegExp(String.raw`\(?${EXCLUDING}\s*${TAX_WORD}\b${AT_RATE}\)?`, 'gi'), TaxMode.exclusive],
];

/** Finds and masks every tax phrase, in sentence order. Throws DRAFT_TAX_RATE_INVALID for "150% VAT". */
export function extractTaxPhrases(text: MaskedText): TaxPhrase[] {
  const phrases: TaxPhrase[] = [];
  for (const [pattern, mode] of PHRASES) {
    for (const match of text.matchAll(pattern)) {
      const end = match.index + match[0].length;
      if (!text.isFree(match.index, end)) continue;
      const written = match.groups?.['rate'];
      const rate = mode === 'zero' ? '0' : written === undefined ? null : parseRate(written);
      text.mask(match.index, end);
      phrases.push({ span: { start: match.index, end }, mode: mode === 'zero' ? TaxMode.exclusive : mode, rate });
    }
  }
  return phrases.sort((a, b) => a.span.start - b.span.start);
}

/** "19" → "19", "7,7" → "7.7"; outside 0..100 or too precise → DRAFT_TAX_RATE_INVALID. */
export function parseRate(written: string): string {
  try {
    return normalizeTaxRate(written.replace(',', '.'));
  } catch (error) {
    throw draftError(
      DraftErrorCode.taxRateInvalid,
      `Tax rate ${written}% is not usable: give a percentage from 0 to 100 with at most 4 decimals.`,
      { rate: written, cause: error instanceof Error ? error.message : String(error) },
    );
  }
}
