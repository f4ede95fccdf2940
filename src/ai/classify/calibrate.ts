/**
 * Calibration from held-out (cross-fitted) predictions: temperature scaling so that confidence
 * means probability, the confidence threshold for 99 % precision, and the threshold under which
 * an unsure prediction is better routed to the out-of-scope label.
 */
import { softmaxInPlace } from './softmax.ts';

/** A held-out prediction: the logits of a model that did not see the example, and its truth. */
export interface HeldOutLogits {
  logits: Float64Array;
  label: number;
}

function negativeLogLikelihood(heldOut: readonly HeldOutLogits[], temperature: number): number {
  let total = 0;
  for (const { logits, label } of heldOut) {
    let max = -Infinity;
    for (const z of logits) max = Math.max(max, z / temperature);
    let sum = 0;
    for (const z of logits) sum += Math.exp(z / temperature - max);
    total += Math.log(sum) + max - (logits[label] as number) / temperature;
  }
  return total / Math.max(1, heldOut.length);
}

/**
 * The temperature T minimising held-out negative log-likelihood of softmax(logits / T)
 * (golden-section search on log T in [1/20, 20], 30 steps; NLL is unimodal in T).
 */
export function fitTemperature(allHeldOut: readonly HeldOutLogits[]): number {
  if (allHeldOut.length === 0) return 1;
  // A deterministic subsample of 5,000 fixes T to ~1 %; the fit costs (iterations × n × classes) exps.
  const step = Math.max(1, Math.floor(allHeldOut.length / 5000));
  const heldOut = step === 1 ? allHeldOut : allHeldOut.filter((_, i) => i % step === 0);
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = hi - ratio * (hi - lo);
  let b = lo + ratio * (hi - lo);
  let fa = negativeLogLikelihood(heldOut, Math.exp(a));
  let fb = negativeLogLikelihood(heldOut, Math.exp(b));
  for (let i = 0; i < 30; i++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - ratio * (hi - lo);
      fa = negativeLogLikelihood(heldOut, Math.exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + ratio * (hi - lo);
      fb = negativeLogLikelihood(heldOut, Math.exp(b));
    }
  }
  return Math.exp((lo + hi) / 2);
}

/** Best class and its calibrated probability for each held-out example. */
export interface HeldOutPrediction {
  predicted: number;
  confidence: number;
  label: number;
}

export function heldOutPredictions(heldOut: readonly HeldOutLogits[], temperature: number): HeldOutPrediction[] {
  return heldOut.map(({ logits, label }) => {
    const p = softmaxInPlace(Float64Array.from(logits), temperature);
    let best = 0;
    for (let c = 1; c < p.length; c++) if ((p[c] as number) > (p[best] as number)) best = c;
    return { predicted: best, confidence: p[best] as number, label };
  });
}

/** Wilson score lower bound of a proportion `hits / n` at `z` standard errors. */
export function wilsonLowerBound(hits: number, n: number, z: number): number {
  if (n === 0) return 0;
  const p = hits / n;
  const z2 = z * z;
  return (p + z2 / (2 * n) - z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
}

/**
 * The smallest confidence threshold whose accepted held-out predictions reach
 * `targetPrecision`. With `z > 0` the precision's Wilson lower bound at `z` standard errors must
 * reach it instead (a safety margin). The default is no margin: tried at z = 1, it made few-shot
 * models abstain on everything while not fixing the dev-set misses, which come from shifts
 * between training and live data rather than from sampling noise. Returns 1 when no threshold
 * qualifies (the model then abstains by default).
 */
export function precisionThreshold(predictions: readonly HeldOutPrediction[], targetPrecision: number, z = 0): number {
  const sorted = [...predictions].sort((a, b) => b.confidence - a.confidence);
  let threshold = 1;
  let hits = 0;
  let i = 0;
  while (i < sorted.length) {
    const value = (sorted[i] as HeldOutPrediction).confidence;
    while (i < sorted.length && (sorted[i] as HeldOutPrediction).confidence === value) {
      const p = sorted[i] as HeldOutPrediction;
      if (p.predicted === p.label) hits++;
      i++;
    }
    if (wilsonLowerBound(hits, i, z) >= targetPrecision - 1e-12) threshold = Math.min(threshold, value);
  }
  return threshold;
}

/**
 * The out-of-scope threshold: below it, a prediction is replaced by the out-of-scope class.
 * Chosen to maximise held-out accuracy where catching an out-of-scope example counts
 * `outOfScopeCost` times a right in-scope answer (answering an out-of-scope message with some
 * intent is the worse mistake; such messages are also rarer in labelled data than in traffic). Replacing pays when the unsure predictions are more
 * often out-of-scope examples than right in-scope answers. Ties go to the lowest threshold.
 */
export function outOfScopeThreshold(
  predictions: readonly HeldOutPrediction[],
  outOfScope: number,
  outOfScopeCost: number,
): number {
  // Raising the threshold past a prediction's confidence flips it to out-of-scope: that gains 1
  // (weighted) if its truth is out-of-scope, loses 1 if it was a right in-scope answer.
  const sorted = predictions
    .filter((p) => p.predicted !== outOfScope)
    .sort((a, b) => a.confidence - b.confidence);
  let gain = 0;
  let bestGain = 0;
  let best = 0;
  let i = 0;
  while (i < sorted.length) {
    const value = (sorted[i] as HeldOutPrediction).confidence;
    while (i < sorted.length && (sorted[i] as HeldOutPrediction).confidence === value) {
      const p = sorted[i] as HeldOutPrediction;
      if (p.label === outOfScope) gain += outOfScopeCost;
      else if (p.predicted === p.label) gain--;
      i++;
    }
    if (gain > bestGain) {
      bestGain = gain;
      // Just above this group's confidence, below the next one's.
      const next = sorted[i]?.confidence ?? value;
      best = (value + next) / 2;
      if (next === value) best = value + 1e-9;
    }
  }
  return best;
}
