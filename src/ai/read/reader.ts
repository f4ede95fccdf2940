/**
 * `extractFields`: reads a receipt or invoice from OCR lines (with boxes) or plain text lines.
 * Vendor, address, issue date and total are chosen by trained candidate rankers (confidence =
 * the ranker's probability); the other fields come from labelled-value rules.
 */
import { readFileSync } from 'node:fs';
import { ValidationError } from '../../core/errors.ts';
import { labelOf } from './amounts.ts';
import { reconcile, type Reconciliation } from './arithmetic.ts';
import { currency, documentNumber, dueDate, emptyField, lineItems, subtotalAndTax } from './invoice.ts';
import { VendorKnowledge } from './knowledge.ts';
import { buildLayout, type Segment } from './layout.ts';
import { findAmounts, findDates } from './patterns.ts';
import {
  addressCandidatesFor,
  issueDateCandidatesFor,
  prepareDocument,
  totalCandidatesFor,
  vendorCandidates,
} from './pipeline.ts';
import { rank, type Candidate, type RankerModel } from './ranker.ts';
import type { ReaderModel } from './train.ts';
import type { Evidence, FieldValue, OcrLine, ReadResult } from './types.ts';
import { validateLines } from './validate.ts';

export interface ExtractOptions {
  /** A model from `trainReader`; defaults to the built-in model trained on SROIE train. */
  model?: ReaderModel;
  /** This business's vendor knowledge (corrections); used together with the model's own. */
  knowledge?: VendorKnowledge;
  /** Day/month order for ambiguous numeric dates when the document does not settle it. Default `dmy`. */
  dateOrder?: 'dmy' | 'mdy';
  /** Ranked fields below this confidence are returned with `value: null`. Default 0. */
  minConfidence?: number;
}

let defaultModel: ReaderModel | undefined;

/** The built-in model (`default-model.json`, trained on SROIE train without its vendors). */
export function loadDefaultModel(): ReaderModel {
  if (defaultModel === undefined) {
    try {
      defaultModel = JSON.parse(readFileSync(new URL('./default-model.json', import.meta.url), 'utf8')) as ReaderModel;
    } catch (cause) {
      throw new ValidationError('READ_MODEL_MISSING', 'The built-in READ model (src/ai/read/default-model.json) could not be loaded; retrain it with `node src/ai/read/build-default-model.ts`.', { cause });
    }
  }
  return defaultModel;
}

const modelKnowledge = new WeakMap<ReaderModel, VendorKnowledge>();

function knowledgeOf(model: ReaderModel): VendorKnowledge | undefined {
  if (model.knowledge === undefined) return undefined;
  let knowledge = modelKnowledge.get(model);
  if (knowledge === undefined) modelKnowledge.set(model, (knowledge = VendorKnowledge.fromJSON(model.knowledge)));
  return knowledge;
}

function checkModel(model: ReaderModel): void {
  if (model?.version !== 1 || typeof model.rankers !== 'object' || typeof model.lexicons !== 'object') {
    throw new ValidationError('READ_MODEL_INVALID', 'The READ model must be the JSON returned by trainReader (version 1).');
  }
}

/**
 * Extracts fields with confidence and evidence.
 *
 * @example
 * const { fields } = extractFields(ocrLines, { knowledge });
 * if (fields.total.confidence >= 0.9) book(fields.total.minor, fields.currency.value);
 */
export function extractFields(lines: readonly OcrLine[], options: ExtractOptions = {}): ReadResult {
  const input = validateLines(lines);
  const model = options.model ?? loadDefaultModel();
  checkModel(model);
  if (options.knowledge !== undefined && !(options.knowledge instanceof VendorKnowledge)) {
    throw new ValidationError('READ_KNOWLEDGE_INVALID', 'options.knowledge must be a VendorKnowledge (use VendorKnowledge.fromJSON to restore a saved one).');
  }
  const knowledge = [options.knowledge, knowledgeOf(model)].filter((k): k is VendorKnowledge => k !== undefined);
  const layout = buildLayout(input);
  const state = prepareDocument(layout, model.lexicons, knowledge, options.dateOrder);
  const minConfidence = options.minConfidence ?? 0;
  const lineEvidence = (index: number): Evidence => {
    const line = input[index];
    const evidence: Evidence = { text: line?.text ?? '', lineIndex: index };
    if (line?.page !== undefined) evidence.page = line.page;
    if (line?.box != null) evidence.box = [...line.box];
    return evidence;
  };
  const segmentEvidence = (segment: Segment): Evidence => lineEvidence(segment.lineIndex);

  const vendorPick = pick(model.rankers.vendor, vendorCandidates(state));
  const addressPick = pick(model.rankers.address, addressCandidatesFor(state, vendorPick?.candidate.lines ?? []));
  const datePick = pick(model.rankers.issueDate, issueDateCandidatesFor(state));
  const sums = reconcile(state.amounts, (o) => labelOf(o, true));
  const totalPick = pickTotal(model.rankers.total, totalCandidatesFor(state), sums);

  const field = (picked: Picked | undefined): FieldValue => {
    if (picked === undefined || picked.probability < minConfidence) return { ...emptyField(), confidence: picked?.probability ?? 0 };
    return { value: picked.candidate.value, confidence: round(picked.probability), evidence: picked.candidate.lines.map(lineEvidence) };
  };
  const issueDate = field(datePick);
  if (issueDate.value !== null) issueDate.normalized = findDates(issueDate.value, state.dateOrder)[0]?.iso ?? null;
  const total = field(totalPick);
  const totalAmount = total.value === null ? undefined : findAmounts(total.value)[0];
  if (totalAmount !== undefined) {
    total.normalized = (totalAmount.minor / 100).toFixed(2);
    total.minor = totalAmount.minor;
  }
  const { subtotal, tax } = subtotalAndTax(state.amounts, total.minor ?? null, sums, segmentEvidence);
  return {
    fields: {
      vendor: field(vendorPick),
      address: field(addressPick),
      documentNumber: documentNumber(layout, segmentEvidence),
      issueDate,
      dueDate: dueDate(state.dates, layout, segmentEvidence),
      currency: currency(layout, state.amounts, segmentEvidence),
      subtotal,
      tax,
      total,
    },
    lineItems: lineItems(layout, state.amounts),
  };
}

interface Picked {
  candidate: Candidate;
  probability: number;
}

function pick(model: RankerModel, candidates: readonly Candidate[]): Picked | undefined {
  const best = rank(model, candidates).ranked[0];
  return best === undefined ? undefined : { candidate: best.candidate, probability: best.probability };
}

/**
 * The total, checked against the document's arithmetic: a pick that is the base of a printed sum
 * (the subtotal before tax, the total before rounding) gives way to the best-ranked sum that is
 * no one's base, keeping that one's own, lower, probability; with no such sum its confidence is halved.
 */
function pickTotal(model: RankerModel, candidates: readonly Candidate[], sums: Reconciliation): Picked | undefined {
  const { ranked } = rank(model, candidates);
  const best = ranked[0];
  if (best === undefined) return undefined;
  const minorOf = (candidate: Candidate): number | undefined => findAmounts(candidate.value)[0]?.minor;
  const bestMinor = minorOf(best.candidate);
  if (bestMinor === undefined || !sums.parts.has(bestMinor)) return best;
  const final = ranked.find((r) => {
    const minor = minorOf(r.candidate);
    return minor !== undefined && sums.labelledSums.has(minor) && !sums.parts.has(minor);
  });
  return final ?? { ...best, probability: best.probability / 2 };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
