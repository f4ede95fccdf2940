/** Public types of the CLASSIFY skill. */
import type { Clock } from '../../core/clock.ts';
import type { FeaturizerConfig } from './featurizer.ts';

/** One labelled example supplied by the business. */
export interface TrainingExample {
  text: string;
  label: string;
}

export interface LabelConfidence {
  label: string;
  /** Calibrated probability in [0, 1]. */
  confidence: number;
}

export interface Prediction {
  /** Best label, or the out-of-scope label when the model is unsure (see `ClassifierModel.predict`). */
  label: string;
  /** Calibrated probability of the model's best guess. */
  confidence: number;
  /** True when a person should decide instead of the skill. */
  abstained: boolean;
  /** The three most probable labels, best first (raw model ranking, before out-of-scope routing). */
  alternatives: LabelConfidence[];
}

export interface PredictOptions {
  /** Abstain below this confidence instead of the model's own threshold. */
  threshold?: number;
}

/** Training options; every field has a default tuned on public intent and spam datasets. */
export interface TrainClassifierOptions {
  /**
   * Featurizer settings (character n-gram range, ...). `minDocumentCount` defaults to 1 below
   * 2,000 examples, else 2.
   */
  featurizer?: Partial<FeaturizerConfig>;
  /** Passes over the data. Default 4. */
  epochs?: number;
  /** Adagrad learning rate. Default 0.5. */
  learningRate?: number;
  /** L2 penalty per weight. Default 3e-4. */
  l2?: number;
  /**
   * Logit margin by which training asks the right label to win (additive-margin softmax; 0 is
   * plain softmax). Default 0: 3 gains about 0.3 points of accuracy on clinc150 and banking77, but
   * with a few examples per label it drives every answer, even to unrelated text, to a confidence
   * of 1 that calibration cannot bring down, so the classifier would never abstain.
   */
  margin?: number;
  /** PRNG seed: the same data and options give the same model. Default 1. */
  seed?: number;
  /** Folds for cross-fitted calibration (2–10). Default 5 below 2,000 examples, else 3. */
  calibrationFolds?: number;
  /** Precision the default abstention threshold is set for. Default 0.99. */
  targetPrecision?: number;
  /**
   * The label meaning "none of the above". Default: `oos`, `out_of_scope` or `out-of-scope` if
   * one occurs in the data; `null` disables out-of-scope handling.
   */
  outOfScopeLabel?: string | null;
  /** Loss weight of out-of-scope examples in training (they are few but varied). Default 3: a heavier weight lets the out-of-scope class absorb in-scope requests. */
  outOfScopeWeight?: number;
  /**
   * How many right in-scope answers one caught out-of-scope message is worth when choosing the
   * out-of-scope threshold: answering an out-of-scope message with some intent is the worse
   * mistake. Default 3.
   */
  outOfScopeCost?: number;
  /** Weights smaller than this are dropped from the model (size). Default 0.1. */
  pruneBelow?: number;
  /** Source of `metadata.trainedAt`. Default: the system clock. */
  clock?: Clock;
}

export interface ClassifierMetadata {
  exampleCount: number;
  /** Training examples per label. */
  labelCounts: Record<string, number>;
  /** ISO-8601 time the model was trained. */
  trainedAt: string;
  trainingMs: number;
  featureCount: number;
  /** The options as given (without the clock): a retrain reuses them. */
  requestedOptions: Omit<TrainClassifierOptions, 'clock'>;
  /** The options in effect, defaults resolved. */
  options: Omit<Required<TrainClassifierOptions>, 'clock' | 'featurizer'> & { featurizer: FeaturizerConfig };
  /** Cross-fitted (held-out) quality measured while calibrating. */
  calibration: {
    folds: number;
    heldOutAccuracy: number;
    /** Share of held-out examples at or above `threshold`. */
    heldOutCoverage: number;
  };
}

/** The stored form of a model: plain JSON, arrays as base64 (see `codec.ts`). */
export interface ClassifierModelJson {
  format: string;
  version: number;
  labels: string[];
  temperature: number;
  threshold: number;
  outOfScopeLabel: string | null;
  outOfScopeThreshold: number;
  metadata: ClassifierMetadata;
  featurizer: FeaturizerConfig;
  features: number;
  /** Hashed term ids (uint32 LE, base64). */
  keys: string;
  /** IDF per feature (float32 LE, base64). */
  idf: string;
  /** Bias per label (float32 LE, base64). */
  bias: string;
  weightScale: number;
  /** Sparse 8-bit weights (see `encodeSparseInt8`). */
  weights: string;
}
