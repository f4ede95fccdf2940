/**
 * Generic evaluation metrics shared by the AI skills: accuracy, per-label precision/recall/F1,
 * macro-F1, and selective-prediction coverage ("how much can the skill handle alone").
 */

export interface LabelScores {
  precision: number;
  recall: number;
  f1: number;
  /** Number of examples whose true label is this one. */
  support: number;
}

/** Share of pairs where prediction equals truth; 0 for no pairs. */
export function accuracy(truth: readonly string[], predicted: readonly string[]): number {
  if (truth.length !== predicted.length) throw new RangeError('truth and predicted differ in length');
  if (truth.length === 0) return 0;
  let correct = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) correct++;
  return correct / truth.length;
}

/**
 * Precision, recall and F1 per label, over the union of true and predicted labels (a label only
 * ever predicted gets precision 0 and support 0). A ratio with a zero denominator is 0.
 */
export function perLabelScores(truth: readonly string[], predicted: readonly string[]): Record<string, LabelScores> {
  if (truth.length !== predicted.length) throw new RangeError('truth and predicted differ in length');
  const tp = new Map<string, number>();
  const predictedCount = new Map<string, number>();
  const trueCount = new Map<string, number>();
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i] as string;
    const p = predicted[i] as string;
    trueCount.set(t, (trueCount.get(t) ?? 0) + 1);
    predictedCount.set(p, (predictedCount.get(p) ?? 0) + 1);
    if (t === p) tp.set(t, (tp.get(t) ?? 0) + 1);
  }
  const labels = [...new Set([...trueCount.keys(), ...predictedCount.keys()])].sort();
  const scores: Record<string, LabelScores> = {};
  for (const label of labels) {
    const hits = tp.get(label) ?? 0;
    const support = trueCount.get(label) ?? 0;
    const predictedN = predictedCount.get(label) ?? 0;
    const precision = predictedN === 0 ? 0 : hits / predictedN;
    const recall = support === 0 ? 0 : hits / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    scores[label] = { precision, recall, f1, support };
  }
  return scores;
}

/**
 * Unweighted mean F1 over the labels that occur in `truth` (labels only ever predicted do not
 * add a class of their own, as in scikit-learn with `labels=` the true labels).
 */
export function macroF1(truth: readonly string[], predicted: readonly string[]): number {
  const scores = perLabelScores(truth, predicted);
  const trueLabels = new Set(truth);
  if (trueLabels.size === 0) return 0;
  let sum = 0;
  for (const label of trueLabels) sum += scores[label]?.f1 ?? 0;
  return sum / trueLabels.size;
}

export interface CoverageAtPrecision {
  /** Share of all cases accepted (confidence >= threshold). */
  coverage: number;
  /** Precision of the accepted cases (1 when none are accepted). */
  precision: number;
  /** The confidence threshold; `null` when no non-empty set of cases reaches the target. */
  threshold: number | null;
  /** Number of cases accepted. */
  accepted: number;
}

/**
 * Selective prediction: accept the cases with confidence >= t and find the smallest t whose
 * accepted cases have precision >= `targetPrecision`. Coverage is the share accepted there —
 * the part of the traffic the skill could handle alone while being wrong at most
 * `1 - targetPrecision` of the time. Cases with equal confidence are accepted or refused
 * together. When even the most confident group misses the target, coverage is 0.
 *
 * @example coverageAtPrecision([0.9, 0.6, 0.3], [true, true, false], 0.99) // coverage 2/3, threshold 0.6
 */
export function coverageAtPrecision(
  confidences: readonly number[],
  correct: readonly boolean[],
  targetPrecision: number,
): CoverageAtPrecision {
  if (confidences.length !== correct.length) throw new RangeError('confidences and correct differ in length');
  const n = confidences.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (confidences[b] as number) - (confidences[a] as number),
  );
  let best: CoverageAtPrecision = { coverage: 0, precision: 1, threshold: null, accepted: 0 };
  let hits = 0;
  let i = 0;
  while (i < n) {
    const value = confidences[order[i] as number] as number;
    // Take the whole group of equal confidences: a threshold cannot split it.
    while (i < n && confidences[order[i] as number] === value) {
      if (correct[order[i] as number]) hits++;
      i++;
    }
    const precision = hits / i;
    // Tolerance so that 99/100 counts as 0.99 despite floating point.
    if (precision >= targetPrecision - 1e-12) best = { coverage: i / n, precision, threshold: value, accepted: i };
  }
  return best;
}
