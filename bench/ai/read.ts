/**
 * READ benchmark: trains the field extractor on SROIE train (train vendors become vendor
 * knowledge, as a business's past corrections would), evaluates on SROIE dev and on the
 * invoice2data smoke set, cross-validates on train (5 interleaved folds and 5 contiguous blocks, so
 * a gain on dev can be checked for being dev-specific), and prints one JSON object.
 *
 * Run: node bench/ai/read.ts [datasetsDir]   (default $OPSLOOP_DATASETS or ../shared/datasets beside the repository)
 */
import { join } from 'node:path';
import {
  evaluateInvoices,
  evaluateReader,
  extractFields,
  loadDefaultModel,
  loadInvoice2dataJsonl,
  loadSroieJsonl,
  sroieToLabelled,
  trainReader,
  type OcrLine,
  type ReaderEvaluation,
  type ReaderModel,
} from '../../src/ai/read/index.ts';

const root = process.argv[2] ?? process.env.OPSLOOP_DATASETS ?? join(import.meta.dirname, '../../../shared/datasets');
const train = loadSroieJsonl(join(root, 'sroie', 'train.jsonl'));
const dev = loadSroieJsonl(join(root, 'sroie', 'dev.jsonl'));

const trainStart = performance.now();
const model = trainReader(sroieToLabelled(train));
const trainMs = Math.round(performance.now() - trainStart);
const withoutKnowledge: ReaderModel = { ...model };
delete withoutKnowledge.knowledge;

const timings: number[] = [];
const timed = (m: ReaderModel) => (lines: OcrLine[]) => {
  const start = performance.now();
  const result = extractFields(lines, { model: m });
  timings.push(performance.now() - start);
  return result;
};
const main = evaluateReader(timed(model), dev);
const sorted = [...timings].sort((a, b) => a - b);
const summary = (e: ReaderEvaluation) => ({
  f1: e.f1,
  precision: e.precision,
  recall: e.recall,
  fields: Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k, { precision: v.precision, recall: v.recall, f1: v.f1 }])),
});
const lenient = evaluateReader((lines) => extractFields(lines, { model }), dev, { ignoreSpaces: true });
const noMemory = evaluateReader((lines) => extractFields(lines, { model: withoutKnowledge }), dev);
const invoices = evaluateInvoices((lines) => extractFields(lines, { model: loadDefaultModel() }), loadInvoice2dataJsonl(join(root, 'invoice2data', 'dev.jsonl')));
// 5-fold cross-validation on train: every receipt read by a model trained without its fold.
// Interleaved folds (i % 5) share most vendors with their training folds, like the random dev split;
// contiguous blocks of ids share fewer (receipts of a vendor cluster by id), a harder check that a gain is not vendor memory.
const folds = 5;
type Counts = Record<string, { correct: number; predicted: number; expected: number }>;
const crossValidate = (foldOf: (i: number) => number): Counts => {
  const counts = Object.fromEntries(Object.keys(main.fields).map((key) => [key, { correct: 0, predicted: 0, expected: 0 }])) as Counts;
  for (let fold = 0; fold < folds; fold++) {
    const foldModel = trainReader(sroieToLabelled(train.filter((_, i) => foldOf(i) !== fold)));
    const e = evaluateReader((lines) => extractFields(lines, { model: foldModel }), train.filter((_, i) => foldOf(i) === fold));
    for (const [key, v] of Object.entries(e.fields)) {
      const count = counts[key];
      if (count !== undefined) for (const n of ['correct', 'predicted', 'expected'] as const) count[n] += v[n];
    }
  }
  return counts;
};
const cvCounts = crossValidate((i) => i % folds);
const cvBlockCounts = crossValidate((i) => Math.floor((i * folds) / train.length));
const prf = (c: { correct: number; predicted: number; expected: number }) => {
  const precision = c.correct / Math.max(1, c.predicted);
  const recall = c.correct / Math.max(1, c.expected);
  return { precision: round4(precision), recall: round4(recall), f1: round4(precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)) };
};
const cvSummary = (counts: Counts) => {
  const total = Object.values(counts).reduce((a, b) => ({ correct: a.correct + b.correct, predicted: a.predicted + b.predicted, expected: a.expected + b.expected }), { correct: 0, predicted: 0, expected: 0 });
  return { folds, ...prf(total), fields: Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, prf(v)])) };
};
const rankerSize = Object.fromEntries(Object.entries(model.rankers).map(([field, r]) => [field, { weights: Object.keys(r.weights).length, trees: r.trees?.length ?? 0 }]));

console.log(
  JSON.stringify({
    task: 'SROIE task 3 (company, date, address, total), field-level exact match, whitespace collapsed',
    train: { receipts: train.length, ms: trainMs },
    dev: { receipts: main.n, ...summary(main) },
    crossValidationOnTrain: cvSummary(cvCounts),
    crossValidationOnTrainBlocks: cvSummary(cvBlockCounts),
    confidence: { buckets: main.confidence, atLeast0_9: main.highConfidence },
    variants: {
      withoutVendorKnowledge: summary(noMemory),
      spacesIgnored: summary(lenient),
    },
    speed: { msPerReceiptMean: round(timings.reduce((a, b) => a + b, 0) / timings.length), msPerReceiptP95: round(sorted[Math.floor(sorted.length * 0.95)] ?? 0) },
    model: {
      bytes: JSON.stringify(model).length,
      bytesWithoutKnowledge: JSON.stringify(withoutKnowledge).length,
      vendorEntries: model.knowledge?.entries.length ?? 0,
      rankers: rankerSize,
    },
    invoice2data: {
      note: 'built-in model (SROIE train+dev, no vendor knowledge), text from pdftotext -layout',
      invoices: invoices.n,
      accuracy: invoices.accuracy,
      keys: invoices.keys,
      documents: invoices.documents,
    },
    errorsOnDev: main.errors.length,
  }),
);

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function round4(value: number): number {
  return Math.round(value * 10000) / 10000;
}
