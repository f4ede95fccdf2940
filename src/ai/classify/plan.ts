/**
 * The training procedure as data, so it can run in this thread (`trainClassifier`) or spread
 * over worker threads (`trainClassifierAsync`) with the same result:
 *
 * 1. {@link planTraining}: validate, resolve options, extract terms once, assign stratified folds.
 * 2. {@link fitJobs}: one job per calibration fold (train on the other folds, return logits for
 *    the fold) and one for the final model (train on everything). Jobs are independent.
 * 3. {@link runFitJob}: fit vocabulary + softmax, quantise (as stored), score held-out examples.
 * 4. {@link assembleModel}: fit temperature and thresholds on the held-out logits, build the model.
 */
import { systemClock } from '../../core/clock.ts';
import type { Clock } from '../../core/clock.ts';
import { fitTemperature, heldOutPredictions, outOfScopeThreshold, precisionThreshold } from './calibrate.ts';
import type { HeldOutLogits } from './calibrate.ts';
import { quantizeWeights } from './codec.ts';
import { extractTerms, normalizeText, Vocabulary } from './featurizer.ts';
import type { TermCounts } from './featurizer.ts';
import { createRng, shuffleInPlace } from './hash.ts';
import { ClassifierModel } from './model.ts';
import { resolveOptions, validateTrainingExamples } from './options.ts';
import type { ResolvedOptions } from './options.ts';
import { quantizedScoresInto, trainSoftmax } from './softmax.ts';
import type { ClassifierMetadata, TrainClassifierOptions, TrainingExample } from './types.ts';

/** What every fit job needs; plain data (structured-cloneable to a worker). */
export interface FitContext {
  terms: TermCounts[];
  y: Int32Array;
  classes: number;
  classWeights: Float64Array;
  options: ResolvedOptions;
}

export interface TrainingPlan {
  context: FitContext;
  labels: string[];
  outOfScope: number;
  fold: Int32Array;
  labelCounts: Record<string, number>;
  requestedOptions: Omit<TrainClassifierOptions, 'clock'>;
  clock: Clock;
  startedMs: number;
}

/** Train on `trainIndices` (all examples when null); return logits for `heldOutIndices`. */
export interface FitJob {
  trainIndices: Int32Array | null;
  heldOutIndices: Int32Array;
}

export interface FitResult {
  keys: Uint32Array;
  idf: Float32Array;
  weights: Int8Array;
  scale: number;
  bias: Float32Array;
  /** `heldOutIndices.length × classes` logits, row-major. */
  heldOutLogits: Float64Array;
}

function withoutClock(options: TrainClassifierOptions): Omit<TrainClassifierOptions, 'clock'> {
  const { clock: _clock, ...rest } = options;
  return JSON.parse(JSON.stringify(rest)) as Omit<TrainClassifierOptions, 'clock'>;
}

/**
 * Stratified fold of each example; identical texts (after normalisation) share a fold so that
 * duplicates cannot make held-out predictions look better than they are.
 */
function assignFolds(examples: readonly TrainingExample[], y: Int32Array, classes: number, folds: number, seed: number): Int32Array {
  const random = createRng(seed ^ 0x5eed);
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < examples.length; i++) byClass[y[i] as number]?.push(i);
  const fold = new Int32Array(examples.length).fill(-1);
  const foldOfText = new Map<string, number>();
  let next = 0;
  for (const members of byClass) {
    shuffleInPlace(members, random);
    for (const i of members) {
      const key = normalizeText((examples[i] as TrainingExample).text).trim();
      let f = foldOfText.get(key);
      if (f === undefined) {
        f = next;
        next = (next + 1) % folds;
        foldOfText.set(key, f);
      }
      fold[i] = f;
    }
  }
  return fold;
}

export function planTraining(examples: readonly TrainingExample[], options: TrainClassifierOptions): TrainingPlan {
  validateTrainingExamples(examples);
  const startedMs = performance.now();
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const resolved = resolveOptions(options, labels, examples.length);
  const classIndex = new Map(labels.map((label, i) => [label, i]));
  const y = Int32Array.from(examples, (e) => classIndex.get(e.label) as number);
  const outOfScope = resolved.outOfScopeLabel === null ? -1 : (classIndex.get(resolved.outOfScopeLabel) as number);
  const classWeights = new Float64Array(labels.length).fill(1);
  if (outOfScope >= 0) classWeights[outOfScope] = resolved.outOfScopeWeight;
  const labelCounts: Record<string, number> = {};
  for (const e of examples) labelCounts[e.label] = (labelCounts[e.label] ?? 0) + 1;
  return {
    context: {
      terms: examples.map((e) => extractTerms(e.text, resolved.featurizer)),
      y,
      classes: labels.length,
      classWeights,
      options: resolved,
    },
    labels,
    outOfScope,
    fold: assignFolds(examples, y, labels.length, resolved.calibrationFolds, resolved.seed),
    labelCounts,
    requestedOptions: withoutClock(options),
    clock: options.clock ?? systemClock,
    startedMs,
  };
}

/** The final-model job first (the largest), then one job per non-empty fold. */
export function fitJobs(plan: TrainingPlan): FitJob[] {
  const jobs: FitJob[] = [{ trainIndices: null, heldOutIndices: new Int32Array(0) }];
  for (let k = 0; k < plan.context.options.calibrationFolds; k++) {
    const trainIdx: number[] = [];
    const testIdx: number[] = [];
    plan.fold.forEach((f, i) => (f === k ? testIdx : trainIdx).push(i));
    if (trainIdx.length > 0 && testIdx.length > 0) jobs.push({ trainIndices: Int32Array.from(trainIdx), heldOutIndices: Int32Array.from(testIdx) });
  }
  return jobs;
}

export function runFitJob(context: FitContext, job: FitJob): FitResult {
  const { options, classes } = context;
  const terms = job.trainIndices === null ? context.terms : Array.from(job.trainIndices, (i) => context.terms[i] as TermCounts);
  const y = job.trainIndices === null ? context.y : Int32Array.from(job.trainIndices, (i) => context.y[i] as number);
  const vocabulary = Vocabulary.fit(terms, options.featurizer);
  const linear = trainSoftmax(
    terms.map((t) => vocabulary.vectorize(t)),
    y,
    vocabulary.size,
    classes,
    {
      epochs: options.epochs,
      learningRate: options.learningRate,
      l2: options.l2,
      seed: options.seed,
      initialAccumulator: 0.01,
      gradientSkip: 1e-3,
      averageFrom: 1,
      classWeights: context.classWeights,
      margin: options.margin,
    },
  );
  // Held-out logits come from the weights as they would be stored (quantised, pruned).
  const quantized = quantizeWeights(linear.weights, options.pruneBelow);
  const stored = { classes, values: quantized.values, scale: quantized.scale, bias: linear.bias };
  const heldOutLogits = new Float64Array(job.heldOutIndices.length * classes);
  const row = new Float64Array(classes);
  job.heldOutIndices.forEach((i, r) => {
    heldOutLogits.set(quantizedScoresInto(stored, vocabulary.vectorize(context.terms[i] as TermCounts), row), r * classes);
  });
  return { keys: vocabulary.keys, idf: vocabulary.idf, weights: quantized.values, scale: quantized.scale, bias: linear.bias, heldOutLogits };
}

/** Calibrate on the fold jobs' held-out logits and build the model from the final job. */
export function assembleModel(plan: TrainingPlan, jobs: readonly FitJob[], results: readonly FitResult[]): ClassifierModel {
  const { context, outOfScope } = plan;
  const { options, classes } = context;
  const heldOut: HeldOutLogits[] = [];
  jobs.forEach((job, j) => {
    const result = results[j] as FitResult;
    job.heldOutIndices.forEach((i, r) => {
      heldOut.push({ logits: result.heldOutLogits.slice(r * classes, (r + 1) * classes), label: context.y[i] as number });
    });
  });
  const temperature = fitTemperature(heldOut);
  const predictions = heldOutPredictions(heldOut, temperature);
  const oosThreshold = outOfScope >= 0 ? outOfScopeThreshold(predictions, outOfScope, options.outOfScopeCost) : 0;
  const threshold = precisionThreshold(predictions, options.targetPrecision);
  let right = 0;
  let covered = 0;
  for (const p of predictions) {
    const routed = outOfScope >= 0 && p.predicted !== outOfScope && p.confidence < oosThreshold ? outOfScope : p.predicted;
    if (routed === p.label) right++;
    if (p.confidence >= threshold) covered++;
  }
  const final = results[jobs.findIndex((job) => job.trainIndices === null)] as FitResult;
  const metadata: ClassifierMetadata = {
    exampleCount: context.y.length,
    labelCounts: plan.labelCounts,
    trainedAt: new Date(plan.clock.now()).toISOString(),
    trainingMs: Math.round(performance.now() - plan.startedMs),
    featureCount: final.keys.length,
    requestedOptions: plan.requestedOptions,
    options,
    calibration: {
      folds: options.calibrationFolds,
      heldOutAccuracy: predictions.length === 0 ? 0 : right / predictions.length,
      heldOutCoverage: predictions.length === 0 ? 0 : covered / predictions.length,
    },
  };
  return new ClassifierModel({
    vocabulary: new Vocabulary(options.featurizer, final.keys, final.idf),
    labels: plan.labels,
    weights: { scale: final.scale, values: final.weights },
    bias: final.bias,
    temperature,
    threshold,
    outOfScopeLabel: options.outOfScopeLabel,
    outOfScopeThreshold: oosThreshold,
    metadata,
  });
}
