/**
 * Vendor-name and address candidates: spans of consecutive header lines (and cleaned variants),
 * plus values a {@link VendorKnowledge} remembers for this vendor, aligned to their best span.
 */
import { binFeature } from './context.ts';
import { relativeX, type Layout, type Segment } from './layout.ts';
import { COMPANY_SUFFIX, kindFeatures, lexiconScore, lexiconTokens, lineKinds, type Lexicon, type LineKinds } from './lexicon.ts';
import { countCopies, type Candidate } from './ranker.ts';
import { collapseSpaces, editDistance, jaccard, similarity, upperRatio, words } from './text.ts';

export interface HeaderLexicons {
  company: Lexicon;
  address: Lexicon;
}

/** A value remembered for the vendor this document seems to come from. */
export interface KnownValue {
  value: string;
  /** How closely the document's header matches the remembered vendor, 0..1. */
  vendorMatch: number;
  /** Share of the matching remembered documents that had this value, 0..1. */
  support: number;
  /** How many remembered documents had this value. */
  count: number;
}

export interface Header {
  /** Words the lexicons have seen at least twice. */
  vocabulary: ReadonlySet<string>;
  segments: Segment[];
  kinds: LineKinds[];
  companyScore: number[];
  addressScore: number[];
  tallest: number;
}

const HEADER_SIZE = 24;
const COMPANY_SUFFIX_START = /^(SDN\.?\s*BHD|S\/B|BHD|ENTERPRISE|TRADING|STATIONERY|HOLDINGS|MARKETING|CO\.)\b/i;
const COMPANY_SUFFIX_END = /(SDN\.?\s*BHD\.?|S\/B|BHD\.?|ENTERPRISE|TRADING|\))$/i;

const vocabularies = new WeakMap<HeaderLexicons, Set<string>>();

function vocabularyOf(lexicons: HeaderLexicons): Set<string> {
  let vocabulary = vocabularies.get(lexicons);
  if (vocabulary === undefined) vocabularies.set(lexicons, (vocabulary = new Set([...Object.keys(lexicons.company), ...Object.keys(lexicons.address)])));
  return vocabulary;
}

export function buildHeader(layout: Layout, lexicons: HeaderLexicons): Header {
  const segments = layout.segments.slice(0, HEADER_SIZE);
  const heights = segments.map((s) => (s.y1 - s.y0) / (layout.medianHeight || 1));
  return {
    vocabulary: vocabularyOf(lexicons),
    segments,
    kinds: segments.map((s) => lineKinds(s.text)),
    companyScore: segments.map((s) => lexiconScore(lexicons.company, s.text)),
    addressScore: segments.map((s) => lexiconScore(lexicons.address, s.text)),
    tallest: Math.max(1, ...heights),
  };
}

function spanText(header: Header, start: number, end: number): string {
  return collapseSpaces(header.segments.slice(start, end + 1).map((s) => s.text).join(' '));
}

const TRAILING_REG = /\s*[([]?\s*(?:(?:CO|COMPANY|ROC|REG)\.?\s*)*(?:NO\.?\s*)?[:.]?\s*[A-Z]{0,3}\d{3,}\s*-?\s*[A-Z]?\s*[)\]]?[.,]?(?:\s*\([A-Z0-9]{2,5}\))?$/;
const TRAILING_ID_LABEL = /[\s(]+(?:CO|COMPANY|ROC|REG|GST)\b[\s.:-]*(?:\w{2,3}\b[\s.:-]*)?$/;
const CONTACT_TAIL = /[,\s]+(?:TEL|TELEPHONE|PHONE|FAX|H\/P|HP)\b.*$/i;
const LEADING_LABEL = /^[A-Z][A-Z .]{1,20}:\s*/;
const GENERIC_WORDS = new RegExp(COMPANY_SUFFIX.source, 'gi');

// "MYNEWS RETAIL SB(306295-X) FKA BISON STORES SB": a name followed by its registration number and more text.
const REG_IN_MIDDLE = /^(.{3,}?)\s*[([]\s*(?:(?:CO|COMPANY|ROC|REG)\.?\s*)*(?:NO\.?\s*)?[:.]?\s*[A-Z]{0,3}\d{4,}\s*-?\s*[A-Z]?\s*[)\]].*$/;
const UP_TO_SUFFIX = /^(.{2,60}?\b(?:SDN\.?\s*BHD\.?|S\/B|SB|BHD\.?|B\.V\.|GMBH|AG|LTD\.?|LIMITED|INC\.?|LLC|S\.A\.|PLT|ENTERPRISE|TRADING))(?=[\s(]|$)/i;

function balanced(text: string): boolean {
  return (text.match(/\(/g) ?? []).length === (text.match(/\)/g) ?? []).length;
}

/** Clean-ups of a vendor-name span, applied in this order and combined: each may follow the others. */
const CLEANUPS: readonly [string, (text: string) => string][] = [
  ['no_reg', (text) => text.replace(TRAILING_REG, '').replace(/[,\s]+$/, '')],
  ['no_tail', (text) => text.replace(TRAILING_ID_LABEL, '')],
  ['cut_reg', (text) => {
    const name = REG_IN_MIDDLE.exec(text)?.[1]?.replace(/[,\s]+$/, '');
    return name === undefined || !balanced(name) ? text : name;
  }],
  // A name followed by other text on the same line: keep up to the legal-form suffix.
  ['upto_suffix', (text) => UP_TO_SUFFIX.exec(text)?.[1] ?? text],
  ['no_hash', (text) => text.replace(/^#\S*\s+/, '')],
  ['no_label', (text) => text.replace(LEADING_LABEL, '')],
];

/** The span's text and its cleaned forms, each with the clean-ups that made it (`raw` for none). */
function variants(text: string): [string, string[]][] {
  const out = new Map<string, string[]>([[text, ['raw']]]);
  for (const [name, clean] of CLEANUPS) {
    for (const [value, steps] of [...out]) {
      const cleaned = clean(value).trim();
      if (cleaned === value || cleaned.length < 3 || out.has(cleaned)) continue;
      out.set(cleaned, [...steps.filter((step) => step !== 'raw'), name]);
    }
  }
  return [...out];
}

function spanLexicon(scores: readonly number[], start: number, end: number): { mean: number; min: number } {
  const slice = scores.slice(start, end + 1);
  return { mean: slice.reduce((a, b) => a + b, 0) / Math.max(1, slice.length), min: Math.min(...slice) };
}

function companySpanFeatures(layout: Layout, header: Header, start: number, end: number): Record<string, number> {
  const f: Record<string, number> = { bias: 1, [`lines_${end - start + 1}`]: 1 };
  binFeature(f, 'start', start, [1, 2, 3, 4, 6, 9]);
  const lex = spanLexicon(header.companyScore, start, end);
  f['lex_mean'] = lex.mean;
  f['lex_min'] = lex.min;
  f['lex_next'] = header.companyScore[end + 1] ?? 0;
  f['lex_prev'] = header.companyScore[start - 1] ?? 0;
  f['addr_lex_mean'] = spanLexicon(header.addressScore, start, end).mean;
  for (let i = start; i <= end; i++) kindFeatures(f, 'in', header.kinds[i]);
  kindFeatures(f, 'last', header.kinds[end]);
  kindFeatures(f, 'next', header.kinds[end + 1]);
  kindFeatures(f, 'prev', header.kinds[start - 1]);
  const segments = header.segments.slice(start, end + 1);
  const height = Math.max(...segments.map((s) => (s.y1 - s.y0) / (layout.medianHeight || 1)));
  f['height'] = Math.min(height, 3) / 3;
  if (height >= header.tallest * 0.95) f['tallest'] = 1;
  const first = segments[0];
  if (first !== undefined && layout.hasBoxes && Math.abs(relativeX(layout, first) - 0.5) < 0.12) f['centred'] = 1;
  const text = spanText(header, start, end);
  if (upperRatio(text) < 0.6) f['lowercase'] = 1;
  // A span that starts or ends mid-name: "& TEA LEAF (M) SDN BHD", "(SEMENYIH) SDN BHD", "THE COFFEE BEAN &".
  if (/^(&|AND\b|\(|SDN\b|BHD\b|CO\.?\s|\(M\))/i.test(text) || COMPANY_SUFFIX_START.test(text)) f['starts_mid_name'] = 1;
  if (/(&|\bAND|-|,)$/i.test(text)) f['ends_mid_name'] = 1;
  const previousText = header.segments[start - 1]?.text ?? '';
  if (/(&|\bAND|-)$/i.test(previousText)) f['prev_ends_connector'] = 1;
  if (previousText !== '' && !COMPANY_SUFFIX_END.test(previousText) && (header.companyScore[start - 1] ?? 0) > 0.2) f['prev_name_like'] = 1;
  binFeature(f, 'chars', text.length, [6, 12, 20, 32, 45]);
  // "RESTAURANT SDN BHD", "TRADING": a legal form or trade word alone is the tail of a longer name.
  if (text.replace(GENERIC_WORDS, '').replace(/[^\p{L}]+/gu, '') === '') f['only_generic_words'] = 1;
  return f;
}

/** Candidates for the vendor name. */
export function companyCandidates(layout: Layout, header: Header, known: readonly KnownValue[] = []): Candidate[] {
  const raw: Candidate[] = [];
  const spans: { start: number; end: number; text: string; features: Record<string, number> }[] = [];
  const maxStart = Math.min(header.segments.length, 10);
  for (let start = 0; start < maxStart; start++) {
    for (let end = start; end < Math.min(start + 3, header.segments.length); end++) {
      const kinds = header.kinds[end];
      if (kinds !== undefined && end > start && (kinds.contact || kinds.dateTime || kinds.digits)) break;
      const text = spanText(header, start, end);
      if (!/\p{L}{2}/u.test(text)) continue;
      const features = companySpanFeatures(layout, header, start, end);
      spans.push({ start, end, text, features });
      for (const [value, steps] of variants(text)) {
        const variant: Record<string, number> = { ...features };
        for (const step of steps) variant[`variant_${step}`] = 1;
        if (steps.length > 1) variant['variant_combined'] = 1;
        raw.push({ value, features: variant, lines: lineIndices(header, start, end) });
      }
    }
  }
  addKnown(raw, spans, known, header);
  return countCopies(raw);
}

function addressSpanFeatures(header: Header, start: number, end: number, company: readonly number[]): Record<string, number> {
  const f: Record<string, number> = { bias: 1, [`lines_${Math.min(end - start + 1, 6)}`]: 1 };
  const lex = spanLexicon(header.addressScore, start, end);
  f['lex_mean'] = lex.mean;
  f['lex_min'] = lex.min;
  f['lex_next'] = header.addressScore[end + 1] ?? -0.5;
  f['lex_prev'] = header.addressScore[start - 1] ?? -0.5;
  f['company_lex_mean'] = spanLexicon(header.companyScore, start, end).mean;
  const companyEnd = company.length > 0 ? Math.max(...company) : -1;
  if (company.some((i) => i >= start && i <= end)) f['overlaps_company'] = 1;
  if (companyEnd >= 0) binFeature(f, 'after_company', start - companyEnd, [0, 1, 2, 3, 4]);
  else f['no_company'] = 1;
  binFeature(f, 'start', start, [1, 2, 3, 5, 8, 12]);
  const first = header.kinds[start];
  if (first?.addressStart === true) f['first_address_start'] = 1;
  kindFeatures(f, 'last', header.kinds[end]);
  kindFeatures(f, 'next', header.kinds[end + 1]);
  kindFeatures(f, 'prev', header.kinds[start - 1]);
  let postcodeAt = -1;
  for (let i = start; i <= end; i++) {
    const kinds = header.kinds[i];
    if (kinds === undefined) continue;
    if (kinds.postcode) postcodeAt = i;
    for (const key of ['contact', 'taxId', 'title', 'dateTime', 'regNo', 'companySuffix'] as const) if (kinds[key]) f[`in_${key}`] = 1;
    if (!kinds.address) f['in_non_address'] = (f['in_non_address'] ?? 0) + 0.5;
  }
  const firstText = header.segments[start]?.text ?? '';
  if (/^[A-Z][A-Z .&/]{1,18}\s?:/i.test(firstText)) f['first_labelled'] = 1;
  // A span running past the address picks up the next labelled or non-address line ("DOCUMENT NO : TD0116", "SITE: 2591").
  const lastText = header.segments[end]?.text ?? '';
  if (end > start && /^[A-Z][A-Z .&/'#]{1,18}\s?:/i.test(lastText)) f['last_labelled'] = 1;
  if (end > start && header.kinds[end]?.address !== true) f['last_not_address'] = 1;
  f['first_company_lex'] = header.companyScore[start] ?? 0;
  if (first?.addressStart !== true && header.kinds.slice(start + 1, end + 1).some((k) => k.addressStart)) f['address_starts_inside'] = 1;
  if (/^\(.*\)?$/.test(header.segments[end]?.text ?? '')) f['last_parenthesised'] = 1;
  if (postcodeAt >= 0) binFeature(f, 'postcode_from_end', end - postcodeAt, [1, 2]);
  else f['no_postcode'] = 1;
  binFeature(f, 'chars', spanText(header, start, end).length, [15, 30, 50, 80, 120]);
  // A branch or outlet name printed above the address ("DOMINO'S PIZZA SEGAMBUT", "DAMANSARA UTAMA OUTLET").
  if (end > start && !/\d/.test(firstText) && first?.address !== true) f['first_plain_words'] = 1;
  const vendorWords = new Set(company.flatMap((i) => words(header.segments[i]?.text ?? '')));
  const firstWords = words(firstText);
  if (vendorWords.size > 0 && firstWords.length > 0 && !company.includes(start)) {
    f['first_vendor_share'] = firstWords.filter((w) => vendorWords.has(w)).length / firstWords.length;
  }
  return f;
}

// "HQ ADD: LOT 11995, ...": a label printed before the address is not part of it.
const ADDRESS_LABEL = /^(?:HQ\s+|HEAD\s+OFFICE\s+|BRANCH\s+)?(?:ADD|ADDR|ADDRESS|ALAMAT|LOCATION)\s*[.:]\s*/i;

/**
 * The lines of an address span joined by spaces. OCR puts a space before a comma or full stop at
 * the end of a line ("JLN ULU KELANG ."); people transcribing the address do not.
 */
function addressText(header: Header, start: number, end: number): string {
  return collapseSpaces(header.segments.slice(start, end + 1).map((s, i, all) => (i < all.length - 1 ? s.text.replace(/\s+([,.])$/, '$1') : s.text)).join(' '));
}

/** Candidates for the address; `companyLines` are header positions taken by the chosen vendor. */
export function addressCandidates(header: Header, companyLines: readonly number[], known: readonly KnownValue[] = []): Candidate[] {
  const raw: Candidate[] = [];
  const spans: { start: number; end: number; text: string; features: Record<string, number> }[] = [];
  for (let start = 0; start < Math.min(header.segments.length, 12); start++) {
    for (let end = start; end < Math.min(start + 6, header.segments.length); end++) {
      const text = addressText(header, start, end);
      if (text.length < 8) continue;
      const features = addressSpanFeatures(header, start, end, companyLines);
      spans.push({ start, end, text, features });
      raw.push({ value: text, features, lines: lineIndices(header, start, end) });
      const unlabelled = text.replace(ADDRESS_LABEL, '');
      if (unlabelled !== text && unlabelled.length >= 8) {
        raw.push({ value: unlabelled, features: { ...features, variant_no_label: 1 }, lines: lineIndices(header, start, end) });
      }
      // OCR sometimes glues the phone number onto the address line: "..., JOHOR, TEL NO.: 07-387 3322".
      const withoutContact = text.replace(CONTACT_TAIL, '');
      if (withoutContact !== text && withoutContact.length >= 8) {
        raw.push({ value: withoutContact, features: { ...features, variant_no_contact: 1 }, lines: lineIndices(header, start, end) });
      }
    }
  }
  addKnown(raw, spans, known, header);
  return countCopies(raw);
}

function lineIndices(header: Header, start: number, end: number): number[] {
  return [...new Set(header.segments.slice(start, end + 1).map((s) => s.lineIndex))];
}

/** Adds remembered values: aligned to the most similar span, whose layout features they borrow. */
/** How a remembered value differs from the printed span it aligns with. */
function diffFeatures(features: Record<string, number>, value: string, printed: string, vocabulary: ReadonlySet<string>): void {
  if (value === printed) {
    features['kb_diff_none'] = 1;
    return;
  }
  const squash = (text: string): string => text.replace(/\s+/g, '');
  const alnum = (text: string): string => text.replace(/[^\p{L}\p{N}]+/gu, '');
  if (squash(value) === squash(printed)) features['kb_diff_space'] = 1;
  else if (alnum(value) === alnum(printed)) features['kb_diff_punct'] = 1;
  else {
    binFeature(features, 'kb_diff_chars', editDistance(alnum(value), alnum(printed), 12), [2, 4, 8]);
    const valueWords = new Set(lexiconTokens(value));
    const printedWords = new Set(lexiconTokens(printed));
    // OCR misreads tend to be words never seen before; a remembered value that replaces them is likely right.
    const removed = [...printedWords].filter((w) => !valueWords.has(w));
    const added = [...valueWords].filter((w) => !printedWords.has(w));
    if (removed.some((w) => !vocabulary.has(w))) features['kb_replaces_unseen'] = 1;
    if (added.length > 0 && added.every((w) => vocabulary.has(w))) features['kb_adds_seen'] = 1;
    if (added.some((w) => !vocabulary.has(w))) features['kb_adds_unseen'] = 1;
  }
}

function addKnown(
  raw: Candidate[],
  spans: readonly { start: number; end: number; text: string; features: Record<string, number> }[],
  known: readonly KnownValue[],
  header: Header,
): void {
  const seen = new Set<string>();
  const spanTokens = spans.map((span) => new Set(words(span.text)));
  for (const item of known) {
    if (seen.has(item.value)) continue;
    seen.add(item.value);
    // Edit distance only on the few spans that share the most words with the remembered value.
    const itemTokens = new Set(words(item.value));
    const shortlist = spans
      .map((span, i) => ({ span, overlap: jaccard(itemTokens, spanTokens[i] ?? new Set()) }))
      .sort((a, b) => b.overlap - a.overlap)
      .slice(0, 4);
    let best = { sim: 0, span: undefined as (typeof spans)[number] | undefined };
    for (const { span } of shortlist) {
      const sim = similarity(item.value, span.text);
      if (sim > best.sim) best = { sim, span };
    }
    const features: Record<string, number> = { ...(best.span?.features ?? { bias: 1 }), kb_value: 1 };
    binFeature(features, 'kb_sim', best.sim, [0.6, 0.8, 0.9, 0.97, 1]);
    binFeature(features, 'kb_vendor', item.vendorMatch, [0.3, 0.5, 0.7, 0.9]);
    features['kb_sim'] = best.sim;
    features['kb_vendor'] = item.vendorMatch;
    features['kb_support'] = item.support;
    features['kb_count'] = Math.min(Math.log2(1 + item.count) / 5, 1);
    if (item === known[0]) features['kb_top'] = 1;
    if (best.span !== undefined) diffFeatures(features, item.value, best.span.text, header.vocabulary);
    // How much to trust a remembered value over the print depends on how often it was confirmed.
    for (const name of ['kb_diff_none', 'kb_diff_space', 'kb_diff_punct', 'kb_replaces_unseen', 'kb_adds_seen']) {
      if (features[name] === 1) {
        features[`${name}_x_count`] = features['kb_count'] ?? 0;
        features[`${name}_x_support`] = item.support;
      }
    }
    raw.push({ value: item.value, features, lines: best.span === undefined ? [] : lineIndices(header, best.span.start, best.span.end) });
  }
  const squash = (text: string): string => text.replace(/\s+/g, '');
  const knownSquashed = new Map(known.map((item) => [squash(item.value), item]));
  for (const candidate of raw) {
    if (candidate.features['kb_value'] === 1) continue;
    if (known.some((item) => item.value === candidate.value)) candidate.features['kb_exact'] = 1;
    else if (knownSquashed.has(squash(candidate.value))) candidate.features['kb_same_but_spacing'] = 1;
  }
}
