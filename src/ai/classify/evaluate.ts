/**
 * Evaluation of a trained classifier on labelled examples.
 *
 * - `accuracy`, `macroF1`: of the final `label` (after out-of-scope routing), over all examples.
 * - `coverageAt99`: selective prediction. Accept the predictions with confidence >= t; take the
 *   smallest t at which the accepted ones are >= 99 % correct (chosen on these examples — an
 *   oracle threshold, so it measures the model's ranking, not the stored threshold); coverage is
 *   the share accepted: how much of the traffic the skill could handle alone while being wrong
 *   at most 1 time in 100. Reported with that threshold and precision.
 * - `atModelThreshold`: the same with the model's own stored threshold — what users get.
 * - For data with out-of-scope examples (an `inScope: false` flag, or the model's out-of-scope
 *   label): `inScopeAccuracy` (in-scope examples; predicting out-of-scope counts as wrong) and
 *   `oosRecall` (out-of-scope examples predicted as the out-of-scope label or abstained).
 */
import { accuracy, coverageAtPrecision, macroF1, perLabelScores } from '../eval/metrics.ts';
import type { CoverageAtPrecision, LabelScores } from '../eval/metrics.ts';
import type { ClassifierModel } from './model.ts';

export interface EvaluationExample {
  text: string;
  label: string;
  /** `false` marks an out-of-scope example; default: in scope unless its label is the model's out-of-scope label. */
  inScope?: boolean;
}

export interface ClassifierEvaluation {
  n: number;
  accuracy: number;
  macroF1: number;
  coverageAt99: CoverageAtPrecision;
  atModelThreshold: { threshold: number; coverage: number; precision: number };
  perLabel?: Record<string, LabelScores>;
  inScopeAccuracy?: number;
  oosRecall?: number;
  /** Mean prediction time per example, milliseconds. */
  predictMsPerExample: number;
}

export interface EvaluateOptions {
  /** Include per-label precision/recall/F1. Default false. */
  perLabel?: boolean;
  /** Precision target of the coverage metric. Default 0.99. */
  targetPrecision?: number;
}

export function evaluateClassifier(
  model: ClassifierModel,
  examples: readonly EvaluationExample[],
  options: EvaluateOptions = {},
): ClassifierEvaluation {
  const started = performance.now();
  const predictions = examples.map((e) => model.predict(e.text));
  const predictMsPerExample = examples.length === 0 ? 0 : (performance.now() - started) / examples.length;
  const truth = examples.map((e) => e.label);
  const predicted = predictions.map((p) => p.label);
  const correct = predictions.map((p, i) => p.label === truth[i]);
  let accepted = 0;
  let acceptedRight = 0;
  predictions.forEach((p, i) => {
    if (p.confidence >= model.threshold) {
      accepted++;
      if (correct[i]) acceptedRight++;
    }
  });
  const result: ClassifierEvaluation = {
    n: examples.length,
    accuracy: accuracy(truth, predicted),
    macroF1: macroF1(truth, predicted),
    coverageAt99: coverageAtPrecision(
      predictions.map((p) => p.confidence),
      correct,
      options.targetPrecision ?? 0.99,
    ),
    atModelThreshold: {
      threshold: model.threshold,
      coverage: examples.length === 0 ? 0 : accepted / examples.length,
      precision: accepted === 0 ? 1 : acceptedRight / accepted,
    },
    predictMsPerExample,
  };
  if (options.perLabel) result.perLabel = perLabelScores(truth, predicted);

  const isOutOfScope = examples.map((e) => e.inScope === false || (model.outOfScopeLabel !== null && e.label === model.outOfScopeLabel));
  if (isOutOfScope.some(Boolean) || examples.some((e) => e.inScope !== undefined)) {
    let inScope = 0;
    let inScopeRight = 0;
    let outOfScope = 0;
    let caught = 0;
    predictions.forEach((p, i) => {
      if (isOutOfScope[i]) {
        outOfScope++;
        if (p.label === model.outOfScopeLabel || (model.outOfScopeLabel === null && p.abstained)) caught++;
      } else {
        inScope++;
        if (correct[i]) inScopeRight++;
      }
    });
    result.inScopeAccuracy = inScope === 0 ? 0 : inScopeRight / inScope;
    result.oosRecall = outOfScope === 0 ? 0 : caught / outOfScope;
  }
  return result;
}
