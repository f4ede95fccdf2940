/**
 * CLASSIFY cross-validation on the TRAIN splits only, so that changes are judged without
 * tuning to dev items. For each dataset: stratified K-fold over `train.jsonl` (folds fixed by
 * hashing record ids), the full training pipeline on K-1 folds (with its own inner calibration),
 * evaluation on the held-out fold, results pooled over folds. Dev numbers (train → dev) are
 * printed beside them for reference. Prints one JSON object.
 *
 *   node --experimental-strip-types bench/ai/classify-cv.ts [--folds 5] [--no-dev] [--options '{"l2":1e-4}'] [dataset ...]
 *
 * For data with an out-of-scope label it also reports the trade-off curve of the model's own
 * ranking (an oracle threshold on the pooled held-out predictions): the best in-scope accuracy
 * at out-of-scope recall >= 0.5 / 0.6 / 0.7 / 0.8, for several candidate scores (`SCORES`),
 * which compares models and out-of-scope rules apart from the threshold choice. For banking77
 * it adds a 10-per-label run scored on the rest of the train split.
 *
 * CV numbers run higher than dev ones (examples of one intent in a train split are close
 * paraphrases of each other): compare CV numbers with CV numbers.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateClassifier, trainClassifier } from '../../src/ai/classify/index.ts';
import type { ClassifierModel, TrainClassifierOptions } from '../../src/ai/classify/index.ts';
import { readLabelledJsonl } from '../../src/ai/eval/jsonl.ts';
import type { LabelledRecord } from '../../src/ai/eval/jsonl.ts';

const datasetsDir = resolve(process.env.OPSLOOP_DATASETS ?? join(import.meta.dirname, '../../../shared/datasets'));

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    folds: { type: 'string', default: '5' },
    options: { type: 'string', default: '{}' },
    'no-dev': { type: 'boolean', default: false },
    'fold-seed': { type: 'string', default: '7' },
  },
});
const folds = Number(flags.folds);
const foldSeed = flags['fold-seed'];
const trainOptions = JSON.parse(flags.options) as TrainClassifierOptions;

function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function rank(seed: string, id: string): string {
  return createHash('sha1').update(`${seed}:${id}`).digest('hex');
}

/** Stratified fold per record: records of each label in hashed order, dealt round-robin. */
function assignFolds(records: readonly LabelledRecord[], k: number): number[] {
  const byLabel = new Map<string, number[]>();
  records.forEach((r, i) => {
    const list = byLabel.get(r.label) ?? [];
    list.push(i);
    byLabel.set(r.label, list);
  });
  const fold = new Array<number>(records.length).fill(0);
  let next = 0;
  for (const label of [...byLabel.keys()].sort()) {
    const members = (byLabel.get(label) as number[]).sort((a, b) =>
      rank(foldSeed, (records[a] as LabelledRecord).id) < rank(foldSeed, (records[b] as LabelledRecord).id) ? -1 : 1,
    );
    for (const i of members) {
      fold[i] = next;
      next = (next + 1) % k;
    }
  }
  return fold;
}

/** One held-out prediction, reduced to what the metrics need. */
interface Scored {
  truth: string;
  outOfScope: boolean;
  /** Final label of the pipeline (after out-of-scope routing). */
  label: string;
  confidence: number;
  /** Best label before routing. */
  top: string;
  /** Out-of-scope scores (higher = more in scope) for the oracle curves: see `SCORES`. */
  scores: Record<string, number>;
}

/** Candidate in-scope scores from the probability vector `p` (sorted copy `s`, out-of-scope index `o`). */
const SCORES: Record<string, (p: Float64Array, s: number[], o: number) => number> = {
  maxProb: (_p, s) => s[0] as number,
  margin: (_p, s) => (s[0] as number) - (s[1] as number),
  logRatio12: (_p, s) => Math.log((s[0] as number) / (s[1] as number)),
  inScopeMass: (p, _s, o) => (o < 0 ? 1 : 1 - (p[o] as number)),
  maxMinusOos: (p, s, o) => (s[0] as number) - (o < 0 ? 0 : (p[o] as number)),
  maxMinusHalfOos: (p, s, o) => (s[0] as number) - (o < 0 ? 0 : 0.5 * (p[o] as number)),
};

function score(model: ClassifierModel, records: readonly LabelledRecord[]): Scored[] {
  const o = model.outOfScopeLabel === null ? -1 : model.labels.indexOf(model.outOfScopeLabel);
  return records.map((r) => {
    const p = model.predict(r.text);
    const probabilities = model.probabilities(r.text);
    const sorted = [...probabilities].sort((a, b) => b - a);
    const scores = Object.fromEntries(Object.entries(SCORES).map(([name, f]) => [name, f(probabilities, sorted, o)]));
    return {
      scores,
      truth: r.label,
      outOfScope: r.inScope === false || r.label === model.outOfScopeLabel,
      label: p.label,
      confidence: p.confidence,
      top: (p.alternatives[0] as { label: string }).label,
    };
  });
}

function summarize(scored: readonly Scored[], oosLabel: string | null): Record<string, unknown> {
  const n = scored.length;
  const right = scored.filter((s) => s.label === s.truth).length;
  const result: Record<string, unknown> = { n, accuracy: round(right / n) };
  // Coverage at 99 % precision (oracle threshold on these predictions).
  const sorted = [...scored].sort((a, b) => b.confidence - a.confidence);
  let hits = 0;
  let covered = 0;
  sorted.forEach((s, i) => {
    if (s.label === s.truth) hits++;
    if (hits / (i + 1) >= 0.99) covered = i + 1;
  });
  result.coverageAt99 = round(covered / n);
  if (oosLabel === null || !scored.some((s) => s.outOfScope)) return result;
  const inScope = scored.filter((s) => !s.outOfScope);
  const oos = scored.filter((s) => s.outOfScope);
  result.inScopeAccuracy = round(inScope.filter((s) => s.label === s.truth).length / inScope.length);
  result.oosRecall = round(oos.filter((s) => s.label === oosLabel).length / oos.length);
  result.rawInScopeAccuracy = round(inScope.filter((s) => s.top === s.truth).length / inScope.length);
  // Oracle trade-off: route to out-of-scope when top is oos or confidence < t.
  const curve = (minRecall: number, name = 'maxProb'): number => {
    const value = (s: Scored): number => s.scores[name] as number;
    const candidates = [...new Set(scored.map(value))].sort((a, b) => a - b);
    candidates.push(Infinity);
    for (const t of candidates) {
      const caught = oos.filter((s) => s.top === oosLabel || value(s) < t).length / oos.length;
      if (caught < minRecall) continue;
      // Accuracy only falls as t rises: the first t reaching the recall is the best.
      return inScope.filter((s) => s.top === s.truth && value(s) >= t).length / inScope.length;
    }
    return 0;
  };
  result.inScopeAccAtRecall60 = round(curve(0.6));
  result.inScopeAccAtRecall70 = round(curve(0.7));
  result.curves = Object.fromEntries(
    Object.keys(SCORES).map((name) => [name, [0.5, 0.6, 0.7, 0.8].map((r) => round(curve(r, name)))]),
  );
  return result;
}

function crossValidate(name: string): Record<string, unknown> {
  const train = readLabelledJsonl(join(datasetsDir, name, 'train.jsonl'));
  const fold = assignFolds(train, folds);
  const pooled: Scored[] = [];
  let oosLabel: string | null = null;
  let trainingSeconds = 0;
  let maxModelBytes = 0;
  for (let k = 0; k < folds; k++) {
    const fit = train.filter((_, i) => fold[i] !== k);
    const held = train.filter((_, i) => fold[i] === k);
    const started = performance.now();
    const model = trainClassifier(fit, trainOptions);
    trainingSeconds += (performance.now() - started) / 1000;
    maxModelBytes = Math.max(maxModelBytes, JSON.stringify(model.toJSON()).length);
    oosLabel = model.outOfScopeLabel;
    pooled.push(...score(model, held));
  }
  const result: Record<string, unknown> = {
    cv: { ...summarize(pooled, oosLabel), meanTrainingSeconds: round(trainingSeconds / folds, 2), modelBytes: maxModelBytes },
  };
  if (!flags['no-dev']) {
    const started = performance.now();
    const model = trainClassifier(train, trainOptions);
    const seconds = (performance.now() - started) / 1000;
    const dev = readLabelledJsonl(join(datasetsDir, name, 'dev.jsonl'));
    const evaluation = evaluateClassifier(model, dev);
    result.dev = {
      ...summarize(score(model, dev), model.outOfScopeLabel),
      trainingSeconds: round(seconds, 2),
      predictMs: round(evaluation.predictMsPerExample, 3),
      modelBytes: JSON.stringify(model.toJSON()).length,
      outOfScopeThreshold: round(model.outOfScopeThreshold),
    };
  }
  if (name === 'banking77') {
    // Few-shot: 10 per label drawn from the train split, scored on the rest of it (5 draws).
    const accuracies = [1, 2, 3, 4, 5].map((seed) => {
      const ordered = [...train].sort((a, b) => (rank(String(seed), a.id) < rank(String(seed), b.id) ? -1 : 1));
      const taken = new Map<string, number>();
      const shot = new Set(
        ordered.filter((r) => {
          const n = taken.get(r.label) ?? 0;
          taken.set(r.label, n + 1);
          return n < 10;
        }),
      );
      const model = trainClassifier([...shot], trainOptions);
      const rest = train.filter((r) => !shot.has(r));
      return rest.filter((r) => model.predict(r.text).label === r.label).length / rest.length;
    });
    result.tenShotCv = { meanAccuracy: round(accuracies.reduce((a, b) => a + b, 0) / accuracies.length), perDraw: accuracies.map((a) => round(a)) };
  }
  return result;
}

const all = ['banking77', 'clinc150', 'sms_spam', 'spamassassin', 'bitext_customer_support'];
const selected = positionals.length > 0 ? positionals : all;
const report: Record<string, unknown> = { folds, options: trainOptions, datasets: {} };
for (const name of selected) {
  if (!existsSync(join(datasetsDir, name, 'train.jsonl'))) continue;
  (report.datasets as Record<string, unknown>)[name] = crossValidate(name);
}
console.log(JSON.stringify(report, null, 2));
