/**
 * Vendor layout knowledge learned from corrections. Each corrected document leaves an entry: a
 * fingerprint of its header (words of the first lines) and the values a person confirmed. When a
 * new document's header matches an entry, the remembered vendor name and address become
 * candidates (aligned to the most similar lines), and the vendor's printing habits (`RM 9.00` vs
 * `9.00`, `25/12/2018` vs `25-12-18`) become hints. The ranker decides how far to trust them.
 *
 * @example
 * const knowledge = new VendorKnowledge();
 * knowledge.learn(lines, { vendor: 'BOOK TA .K (TAMAN DAYA) SDN BHD' }); // after a person fixed it
 * extractFields(nextReceiptLines, { knowledge }).fields.vendor.value; // the corrected name
 */
import { ValidationError } from '../../core/errors.ts';
import { amountStyle } from './amounts.ts';
import { buildLayout, type Layout } from './layout.ts';
import { collapseSpaces, jaccard, shapeOf, words } from './text.ts';
import { normaliseFieldKeys, type CorrectedFields, type OcrLine } from './types.ts';
import { validateLines } from './validate.ts';

interface VendorEntry {
  tokens: string[];
  vendor?: string;
  address?: string;
  totalStyle?: string;
  dateShape?: string;
  count: number;
}

export interface VendorMatch {
  score: number;
  /** How many corrected documents this entry stands for. */
  count: number;
  vendor?: string;
  address?: string;
  totalStyle?: string;
  dateShape?: string;
}

export interface VendorKnowledgeJSON {
  version: 1;
  entries: VendorEntry[];
}

const FINGERPRINT_SEGMENTS = 12;

/** Header words of a layout: the vendor's name, address, ids; volatile numbers are dropped. */
export function fingerprint(layout: Layout): Set<string> {
  const tokens = new Set<string>();
  for (const segment of layout.segments.slice(0, FINGERPRINT_SEGMENTS)) {
    if (/\d{1,2}[/.:-]\d{1,2}/.test(segment.text)) continue;
    for (const word of words(segment.text)) if (word.length >= 2 && !/^\d{1,4}$/.test(word)) tokens.add(word);
  }
  return tokens;
}

export class VendorKnowledge {
  #entries: VendorEntry[] = [];

  get size(): number {
    return this.#entries.length;
  }

  /**
   * Remembers what a person confirmed for this document's vendor. Keys are field names
   * (`vendor`, `address`, `issueDate`, `total`, ...) or aliases such as SROIE's `company`, `date`.
   */
  learn(lines: readonly OcrLine[], corrected: Readonly<Record<string, unknown>>): void {
    if (corrected === null || typeof corrected !== 'object') {
      throw new ValidationError('READ_INPUT_INVALID', 'learn() needs the corrected fields as an object, e.g. { vendor: "ACME SDN BHD" }.', { details: { path: 'corrected' } });
    }
    this.learnLayout(buildLayout(validateLines(lines)), normaliseFieldKeys(corrected));
  }

  /** Same as {@link learn} for an already built layout (used by training). */
  learnLayout(layout: Layout, corrected: CorrectedFields): void {
    const entry: VendorEntry = { tokens: [...fingerprint(layout)].sort(), count: 1 };
    const vendor = collapseSpaces(corrected.vendor ?? '');
    const address = collapseSpaces(corrected.address ?? '');
    const total = collapseSpaces(corrected.total ?? '');
    const date = collapseSpaces(corrected.issueDate ?? '');
    if (vendor !== '') entry.vendor = vendor;
    if (address !== '') entry.address = address;
    if (total !== '') entry.totalStyle = amountStyle(total);
    if (date !== '') entry.dateShape = shapeOf(date);
    if (entry.tokens.length === 0 && vendor === '' && address === '') return;
    const same = this.#entries.find(
      (e) => e.vendor === entry.vendor && e.address === entry.address && e.totalStyle === entry.totalStyle && e.dateShape === entry.dateShape &&
        jaccard(new Set(e.tokens), new Set(entry.tokens)) >= 0.9,
    );
    if (same !== undefined) {
      same.count++;
      return;
    }
    this.#entries.push(entry);
  }

  /** Remembered vendors whose header looks like this layout's, best first (at most `limit`). */
  match(layout: Layout, limit = 10, minScore = 0.15): VendorMatch[] {
    const tokens = fingerprint(layout);
    const scored = this.#entries
      .map((entry) => ({ entry, score: jaccard(tokens, new Set(entry.tokens)) }))
      .filter((m) => m.score >= minScore)
      .sort((a, b) => b.score - a.score || b.entry.count - a.entry.count)
      .slice(0, limit);
    return scored.map(({ entry, score }) => {
      const match: VendorMatch = { score, count: entry.count };
      if (entry.vendor !== undefined) match.vendor = entry.vendor;
      if (entry.address !== undefined) match.address = entry.address;
      if (entry.totalStyle !== undefined) match.totalStyle = entry.totalStyle;
      if (entry.dateShape !== undefined) match.dateShape = entry.dateShape;
      return match;
    });
  }

  toJSON(): VendorKnowledgeJSON {
    return { version: 1, entries: this.#entries.map((e) => ({ ...e, tokens: [...e.tokens] })) };
  }

  static fromJSON(json: unknown): VendorKnowledge {
    const data = json as Partial<VendorKnowledgeJSON> | null;
    if (data === null || typeof data !== 'object' || data.version !== 1 || !Array.isArray(data.entries)) {
      throw new ValidationError('READ_KNOWLEDGE_INVALID', 'Vendor knowledge JSON must be { version: 1, entries: [...] } as written by toJSON().');
    }
    const knowledge = new VendorKnowledge();
    for (const [i, entry] of data.entries.entries()) {
      if (entry === null || typeof entry !== 'object' || !Array.isArray(entry.tokens) || !entry.tokens.every((t) => typeof t === 'string')) {
        throw new ValidationError('READ_KNOWLEDGE_INVALID', `Vendor knowledge entry ${i} has no tokens array.`, { details: { path: `entries[${i}].tokens` } });
      }
      knowledge.#entries.push({ ...entry, tokens: [...entry.tokens], count: Number(entry.count) || 1 });
    }
    return knowledge;
  }
}
