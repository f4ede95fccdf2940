/**
 * Which document the sentence asks for. The earliest kind word wins, so words later in the
 * sentence ("... on invoice INV-0042", "... make it a receipt") never change the kind.
 */
import { DocumentKind } from './types.ts';
import type { MaskedText, Span } from './text.ts';

const KIND_WORDS: readonly (readonly [RegExp, DocumentKind])[] = [
  [/\bcredit[\s-]?(?:note|memo)s?\b/gi, DocumentKind.creditNote],
  [/\bpurchase[\s-]?orders?\b/gi, DocumentKind.purchaseOrder],
  // "PO" in capitals, but not a numbered reference such as PO-7781 or PO 7781.
  [/\bP\.?O\.?(?![\w.])(?!\s?[-#/:]?\s?\d)/g, DocumentKind.purchaseOrder],
  [/\binvoices?\b/gi, DocumentKind.invoice],
  [/\bbill\b/gi, DocumentKind.invoice],
  [/\bcharge\b/gi, DocumentKind.invoice],
  [/\bquot(?:e|ation)s?\b/gi, DocumentKind.quote],
  [/\bproposals?\b/gi, DocumentKind.quote],
  [/\bestimates?\b/gi, DocumentKind.estimate],
  [/\brefund\b/gi, DocumentKind.creditNote],
  [/\bcredit\b/gi, DocumentKind.creditNote],
  [/\breceipts?\b/gi, DocumentKind.receipt],
];

/** Words that may come before the kind word without making it less certain. */
const LEADING_FILLER = /^(?:(?:please|pls|kindly|create|draft|make|send|prepare|issue|write|raise|new|generate|an?|the)\s+)*$/i;

export interface FoundKind {
  readonly kind: DocumentKind;
  readonly span: Span;
  readonly confidence: number;
}

/** Finds and masks the kind word; null when the sentence names no kind. */
export function extractKind(text: MaskedText): FoundKind | null {
  let best: { kind: DocumentKind; start: number; end: number } | null = null;
  for (const [pattern, kind] of KIND_WORDS) {
    for (const match of text.matchAll(pattern)) {
      const end = match.index + match[0].length;
      if (best === null || match.index < best.start || (match.index === best.start && end > best.end)) {
        best = { kind, start: match.index, end };
      }
    }
  }
  if (best === null) return null;
  text.mask(best.start, best.end);
  const leading = text.original.slice(0, best.start);
  return { kind: best.kind, span: { start: best.start, end: best.end }, confidence: LEADING_FILLER.test(leading) ? 1 : 0.8 };
}
