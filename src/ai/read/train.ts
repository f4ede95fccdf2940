/**
 * Training: word lexicons for the header, one candidate ranker per ranked field, and (by default)
 * vendor knowledge from the examples. Lexicon and knowledge features are cross-fitted: the
 * ranker sees, for each training document, lexicons and knowledge built without that document's
 * fold, so it learns how far to trust them on documents they have not seen.
 */
import { ValidationError } from '../../core/errors.ts';
import type { HeaderLexicons } from './header.ts';
import { VendorKnowledge, type VendorKnowledgeJSON } from './knowledge.ts';
import { buildLayout, type Layout } from './layout.ts';
import { lineKinds, trainLexicon } from './lexicon.ts';
import {
  addressCandidatesFor,
  issueDateCandidatesFor,
  prepareDocument,
  RANKED_FIELDS,
  totalCandidatesFor,
  vendorCandidates,
  type RankedField,
} from './pipeline.ts';
import { trainBoostedRanker, trainRanker, type Candidate, type RankerModel, type RankingGroup } from './ranker.ts';
import { collapseSpaces, words } from './text.ts';
import { normaliseFieldKeys, type CorrectedFields, type LabelledDocument } from './types.ts';
import { validateLines } from './validate.ts';

/** Confidence thresholds measured on held-out documents: at or above them a field was right `precision` of the time. */
export interface ReaderCalibration {
  precision: number;
  /** Pooled over the measured fields; the threshold for fields without their own. */
  threshold: number;
  /** Per measured field (vendor, address, issueDate, total). */
  fields: Partial<Record<RankedField, number>>;
  source: string;
}

export interface ReaderModel {
  version: 1;
  rankers: Record<RankedField, RankerModel>;
  lexicons: HeaderLexicons;
  /** Vendor knowledge learned from the training examples (absent when `learnVendors` is false). */
  knowledge?: VendorKnowledgeJSON;
  /** Thresholds from `calibrateReader` (the built-in model carries them). */
  calibration?: ReaderCalibration;
}

export interface TrainReaderOptions {
  /** Cross-fitting folds for lexicon and knowledge features. Default 5. */
  folds?: number;
  /** Train the rankers to use vendor knowledge (cross-fitted). Default true. */
  learnVendors?: boolean;
  /** Ship the examples' vendors as knowledge inside the model. Default true (when `learnVendors`). */
  includeKnowledge?: boolean;
  /** Ranker optimisation settings. */
  iterations?: number;
  /** L2 penalty of the linear rankers. Default 3e-3 (better than 1e-3 in both interleaved and contiguous-block cross-validation on SROIE train). */
  l2?: number;
  /** Fields whose linear ranker gets boosted trees on top (cross-validated on SROIE train). Default address, total. */
  boostFields?: readonly RankedField[];
  /** Boosted trees per field. Default 50. */
  trees?: number;
}

export interface Prepared {
  layout: Layout;
  fields: CorrectedFields;
}

const HEADER_LINES = 24;

/** Lexicons from labelled documents: header lines that belong to the vendor name / address vs the rest. */
export function trainLexicons(docs: readonly Prepared[]): HeaderLexicons {
  const company: string[] = [];
  const notCompany: string[] = [];
  const address: string[] = [];
  const notAddress: string[] = [];
  for (const doc of docs) {
    const vendorWords = new Set(words(doc.fields.vendor ?? ''));
    const addressWords = new Set(words(doc.fields.address ?? ''));
    for (const segment of doc.layout.segments.slice(0, HEADER_LINES)) {
      const tokens = words(segment.text);
      if (tokens.length === 0) continue;
      const inVendor = tokens.filter((t) => vendorWords.has(t)).length / tokens.length >= 0.7;
      const inAddress = tokens.filter((t) => addressWords.has(t)).length / tokens.length >= 0.7;
      (inVendor ? company : notCompany).push(segment.text);
      (inAddress && !lineKinds(segment.text).contact ? address : notAddress).push(segment.text);
    }
  }
  return { company: trainLexicon(company, notCompany), address: trainLexicon(address, notAddress) };
}

function goldIndices(candidates: readonly Candidate[], gold: string | undefined): number[] {
  const target = collapseSpaces(gold ?? '');
  if (target === '') return [];
  return candidates.flatMap((c, i) => (collapseSpaces(c.value) === target ? [i] : []));
}

/** Ranking groups for every document, with lexicons and knowledge built without its fold. */
export function crossFittedGroups(docs: readonly Prepared[], folds: number, withKnowledge = true): { groups: Record<RankedField, RankingGroup[]>; groupFields: CorrectedFields[] } {
  const groups: Record<RankedField, RankingGroup[]> = { vendor: [], address: [], issueDate: [], total: [] };
  const groupFields: CorrectedFields[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const outside = docs.filter((_, i) => i % folds !== fold);
    const lexicons = trainLexicons(outside);
    const knowledge = new VendorKnowledge();
    for (const doc of outside) knowledge.learnLayout(doc.layout, doc.fields);
    docs.forEach((doc, i) => {
      if (i % folds !== fold) return;
      const state = prepareDocument(doc.layout, lexicons, withKnowledge ? [knowledge] : []);
      groupFields.push(doc.fields);
      const vendor = vendorCandidates(state);
      const vendorGold = goldIndices(vendor, doc.fields.vendor);
      groups.vendor.push({ candidates: vendor, gold: vendorGold });
      const address = addressCandidatesFor(state, vendor[vendorGold[0] ?? -1]?.lines ?? []);
      groups.address.push({ candidates: address, gold: goldIndices(address, doc.fields.address) });
      const dates = issueDateCandidatesFor(state);
      groups.issueDate.push({ candidates: dates, gold: goldIndices(dates, doc.fields.issueDate) });
      const totals = totalCandidatesFor(state);
      groups.total.push({ candidates: totals, gold: goldIndices(totals, doc.fields.total) });
    });
  }
  return { groups, groupFields };
}

/**
 * Trains a reader from labelled documents (fields by {@link FieldName}: vendor, address,
 * issueDate, total as printed). The result is plain JSON; pass it to `extractFields`.
 */
export function trainReader(examples: readonly LabelledDocument[], options: TrainReaderOptions = {}): ReaderModel {
  if (!Array.isArray(examples) || examples.length === 0) {
    throw new ValidationError('READ_TRAINING_INVALID', 'trainReader needs a non-empty array of { lines, fields } examples.');
  }
  const docs: Prepared[] = examples.map((example, i) => {
    if (example === null || typeof example !== 'object' || typeof example.fields !== 'object' || example.fields === null) {
      throw new ValidationError('READ_TRAINING_INVALID', `Training example ${i} needs { lines, fields }.`, { details: { path: `examples[${i}]` } });
    }
    return { layout: buildLayout(validateLines(example.lines)), fields: normaliseFieldKeys(example.fields) };
  });
  const folds = Math.max(2, Math.min(options.folds ?? 5, docs.length));
  const { groups, groupFields } = crossFittedGroups(docs, folds, options.learnVendors ?? true);
  const rankers = {} as Record<RankedField, RankerModel>;
  for (const field of RANKED_FIELDS) {
    // Documents whose field is absent from the labels teach nothing about which candidate is right.
    const usable = groups[field].filter((_, i) => collapseSpaces(groupFields[i]?.[field] ?? '') !== '');
    const settings = { iterations: options.iterations ?? 250, l2: options.l2 ?? 3e-3, trees: options.trees ?? 50, depth: 3, shrinkage: 0.1 };
    const boosted = (options.boostFields ?? ['address', 'total']).includes(field);
    rankers[field] = boosted ? trainBoostedRanker(usable, settings) : trainRanker(usable, settings);
  }
  const model: ReaderModel = { version: 1, rankers, lexicons: trainLexicons(docs) };
  if ((options.learnVendors ?? true) && (options.includeKnowledge ?? true)) {
    const knowledge = new VendorKnowledge();
    for (const doc of docs) knowledge.learnLayout(doc.layout, doc.fields);
    model.knowledge = knowledge.toJSON();
  }
  return model;
}

