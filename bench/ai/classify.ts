/**
 * CLASSIFY benchmark: for each development dataset, train on `train.jsonl`, evaluate on
 * `dev.jsonl`, print ONE JSON object with the metrics, training time, prediction time and the
 * stored model size. Datasets are read from `$OPSLOOP_DATASETS` or `../shared/datasets`.
 *
 *   node bench/ai/classify.ts [dataset ...]
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ClassifierModel, evaluateClassifier, trainClassifier } from '../../src/ai/classify/index.ts';
import type { TrainingExample } from '../../src/ai/classify/index.ts';
import { readLabelledJsonl } from '../../src/ai/eval/jsonl.ts';
import type { LabelledRecord } from '../../src/ai/eval/jsonl.ts';

const datasetsDir = resolve(process.env.OPSLOOP_DATASETS ?? join(import.meta.dirname, '../../../shared/datasets'));

function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** `perLabel` examples of each label, in an order fixed by hashing `seed:id` (few-shot setting). */
function fewShot(records: readonly LabelledRecord[], perLabel: number, seed: number): LabelledRecord[] {
  const rank = (r: LabelledRecord): string => createHash('sha1').update(`${seed}:${r.id}`).digest('hex');
  const ordered = [...records].sort((a, b) => (rank(a) < rank(b) ? -1 : 1));
  const taken = new Map<string, number>();
  return ordered.filter((r) => {
    const n = taken.get(r.label) ?? 0;
    taken.set(r.label, n + 1);
    return n < perLabel;
  });
}

function run(train: readonly TrainingExample[], dev: readonly LabelledRecord[]): Record<string, unknown> {
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const model = trainClassifier(train);
  const trainingSeconds = (performance.now() - wallStart) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const json = JSON.stringify(model.toJSON());
  const loadStart = performance.now();
  const reloaded = ClassifierModel.fromJSON(json);
  const loadMs = performance.now() - loadStart;
  const evaluation = evaluateClassifier(reloaded, dev, { perLabel: true });
  const result: Record<string, unknown> = {
    trainN: train.length,
    devN: evaluation.n,
    labels: model.labels.length,
    accuracy: round(evaluation.accuracy),
    macroF1: round(evaluation.macroF1),
    coverageAt99: {
      coverage: round(evaluation.coverageAt99.coverage),
      threshold: evaluation.coverageAt99.threshold === null ? null : round(evaluation.coverageAt99.threshold),
      precision: round(evaluation.coverageAt99.precision),
    },
    atModelThreshold: {
      threshold: round(evaluation.atModelThreshold.threshold),
      coverage: round(evaluation.atModelThreshold.coverage),
      precision: round(evaluation.atModelThreshold.precision),
    },
    heldOutAccuracy: round(model.metadata.calibration.heldOutAccuracy),
    temperature: round(model.temperature, 3),
    trainingSeconds: round(trainingSeconds, 2),
    trainingCpuSeconds: round((cpu.user + cpu.system) / 1e6, 2),
    predictMsPerExample: round(evaluation.predictMsPerExample, 3),
    modelLoadMs: round(loadMs, 1),
    features: model.metadata.featureCount,
    modelSizeBytes: Buffer.byteLength(json),
  };
  if (evaluation.inScopeAccuracy !== undefined) {
    result.inScopeAccuracy = round(evaluation.inScopeAccuracy);
    result.oosRecall = round(evaluation.oosRecall ?? 0);
    result.outOfScopeThreshold = round(model.outOfScopeThreshold);
  }
  const spam = evaluation.perLabel?.spam;
  const ham = evaluation.perLabel?.ham;
  if (spam && ham) {
    result.spamPrecision = round(spam.precision);
    result.spamRecall = round(spam.recall);
    result.spamF1 = round(spam.f1);
    result.hamFalsePositiveRate = round(1 - ham.recall);
    const hardHam = dev.filter((r) => r.raw.group === 'hard-ham-1');
    if (hardHam.length > 0) {
      const flagged = hardHam.filter((r) => reloaded.predict(r.text).label === 'spam').length;
      result.hardHamN = hardHam.length;
      result.hardHamFalsePositiveRate = round(flagged / hardHam.length);
    }
  }
  return result;
}

const all = ['banking77', 'clinc150', 'sms_spam', 'spamassassin', 'bitext_customer_support'];
const selected = process.argv.length > 2 ? process.argv.slice(2) : all;
const report: Record<string, unknown> = { datasetsDir, node: process.version, datasets: {} };
const datasets = report.datasets as Record<string, unknown>;
for (const name of selected) {
  const trainPath = join(datasetsDir, name, 'train.jsonl');
  if (!existsSync(trainPath)) {
    datasets[name] = { skipped: `no ${trainPath}` };
    continue;
  }
  const train = readLabelledJsonl(trainPath);
  const dev = readLabelledJsonl(join(datasetsDir, name, 'dev.jsonl'));
  datasets[name] = run(train, dev);
  if (name === 'banking77') {
    // Few-shot scores swing with the sample: report one run in full plus the mean of five samples.
    const runs = [1, 2, 3, 4, 5].map((seed) => run(fewShot(train, 10, seed), dev));
    const accuracies = runs.map((r) => r.accuracy as number);
    datasets['banking77_10shot'] = {
      ...runs[0],
      accuracyPerSample: accuracies,
      meanAccuracy: round(accuracies.reduce((a, b) => a + b, 0) / accuracies.length),
    };
  }
}
console.log(JSON.stringify(report, null, 2));
