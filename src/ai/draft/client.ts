/**
 * Who the document is for: the name right after the kind word ("Invoice Acme Ltd $2,500",
 * "Credit note for Northwind Traders, ...", "bill jones plumbing ..."), else a capitalised name
 * before the kind word ("Send Acme Corp an invoice for $500"), else a capitalised name after "to",
 * "for" or "from" anywhere ("Invoice $500 for design to Acme Ltd").
 *
 * A name runs until punctuation, anything already read (an amount, a date, a tax phrase) or a
 * word that starts another part ("for", "due", "at", ...). Text in the name is kept as written.
 */
import { MASK } from './text.ts';
import type { MaskedText, Span } from './text.ts';

export interface FoundClient {
  readonly name: string;
  readonly confidence: number;
}

const MAX_NAME_WORDS = 8;
/** Lower-case words that end a name ("Acme Ltd for ...", "Acme due ..."). Capitalised ones may be part of it. */
const STOP_WORDS = new Set([
  'for', 'to', 'from', 'due', 'valid', 'on', 're', 'regarding', 'with', 'at', '@', 'per', 'by', 'before', 'until',
  'dated', 'issued', 'incl', 'incl.', 'including', 'plus', '+', 'x', 'ref', 'about', 'please', 'net', 'payable', '-',
  'a', 'an', 'the',
]);
const COMPANY_SUFFIX = /\b(?:ltd|limited|llc|llp|inc|incorporated|corp|corporation|co|company|plc|gmbh|ag|sa|sas|sarl|bv|nv|pty|oy|ab|as|srl|spa|kg)\.?$/i;
const ABBREVIATION = /^(?:ltd|inc|co|corp|bros|pty|plc|llc|gmbh|ag|sa|bv|nv|st|dr|mr|mrs|ms)\.$/i;
const LEAD_IN = /^ *(?:(?<preposition>for|to|from)\s+|(?:client|customer|supplier|vendor)\s*:?\s+)?(?:(?:the|an?)\s+)?/i;
const NO_KIND_FILLER = /^(?:(?:please|pls|kindly|create|draft|make|send|email|give|prepare|issue|write|raise|new|an?)\s+)*/i;
const ELSEWHERE = /(?<![\p{L}])(?<preposition>to|for|from)\s+(?=[\p{Lu}\p{N}])/gu;
const TOKEN_BREAK = new RegExp(String.raw`[\s${MASK},;:()[\]"!?]`);

/** Finds and masks the client; null when there is none. `kindSpan` is the kind word, if any. */
export function extractClient(text: MaskedText, kindSpan: Span | null): FoundClient | null {
  const start = kindSpan?.end ?? (NO_KIND_FILLER.exec(text.masked)?.[0].length ?? 0);
  const primary = readAfterKind(text, start);
  const weak = primary === null || primary.confidence < 0.7;
  const alternative = weak ? ((kindSpan === null ? null : readBeforeKind(text, kindSpan)) ?? readElsewhere(text)) : null;
  const chosen = alternative ?? primary;
  if (chosen === null) return null;
  text.mask(chosen.span.start, chosen.span.end);
  return { name: chosen.name, confidence: chosen.confidence };
}

interface Candidate {
  readonly name: string;
  readonly confidence: number;
  readonly span: Span;
}

function readAfterKind(text: MaskedText, from: number): Candidate | null {
  const leadIn = LEAD_IN.exec(text.masked.slice(from));
  const nameStart = from + (leadIn?.[0].length ?? 0);
  const read = readName(text, nameStart);
  if (read === null) return null;
  const capitalised = /^[\p{Lu}\p{N}]/u.test(read.name);
  // "Invoice $500 for website development": a lower-case phrase after "for" is what, not who.
  const preposition = leadIn?.groups?.['preposition']?.toLowerCase();
  if (!capitalised && preposition === 'for') return null;
  return { name: read.name, confidence: nameConfidence(read.name, capitalised ? 0.9 : 0.6), span: { start: from, end: read.end } };
}

/** "Send Acme Corp an invoice for $500": a capitalised name between the verb and the kind word. */
function readBeforeKind(text: MaskedText, kindSpan: Span): Candidate | null {
  const start = NO_KIND_FILLER.exec(text.masked)?.[0].length ?? 0;
  if (start >= kindSpan.start) return null;
  const read = readName(text, start);
  if (read === null || read.end > kindSpan.start || !/^[\p{Lu}\p{N}]/u.test(read.name)) return null;
  return { name: read.name, confidence: 0.7, span: { start, end: read.end } };
}

function readElsewhere(text: MaskedText): Candidate | null {
  for (const match of text.matchAll(ELSEWHERE)) {
    const read = readName(text, match.index + match[0].length);
    if (read === null) continue;
    const base = match.groups?.['preposition']?.toLowerCase() === 'for' ? 0.5 : 0.7;
    return { name: read.name, confidence: nameConfidence(read.name, base), span: { start: match.index, end: read.end } };
  }
  return null;
}

function nameConfidence(name: string, base: number): number {
  return COMPANY_SUFFIX.test(name) && base >= 0.9 ? 0.95 : base;
}

/** Words from `start` until something that is not part of a name. */
function readName(text: MaskedText, start: number): { name: string; end: number } | null {
  const masked = text.masked;
  const words: string[] = [];
  let position = start;
  let end = start;
  while (words.length < MAX_NAME_WORDS && position < masked.length) {
    if (TOKEN_BREAK.test(masked.charAt(position))) break;
    let wordEnd = position;
    while (wordEnd < masked.length && !TOKEN_BREAK.test(masked.charAt(wordEnd))) wordEnd += 1;
    const word = text.original.slice(position, wordEnd);
    if (STOP_WORDS.has(word) || /^[\d.,'%]+$/.test(word)) break;
    const sentenceStop = word.endsWith('.') && !ABBREVIATION.test(word);
    words.push(sentenceStop ? word.slice(0, -1) : word);
    end = sentenceStop ? wordEnd - 1 : wordEnd;
    if (sentenceStop || masked.charAt(wordEnd) !== ' ') break;
    position = wordEnd + 1;
  }
  const name = words.join(' ').replace(/^["']|["']$/g, '').trim();
  return /\p{L}/u.test(name) ? { name, end } : null;
}
