/**
 * A trained text classifier: featurizer vocabulary + softmax weights + calibration. Immutable.
 * Created by `trainClassifier` or {@link ClassifierModel.fromJSON}.
 */
import { ValidationError } from '../../core/errors.ts';
import {
  decodeFloat32Array,
  decodeSortedUint32Array,
  decodeSparseInt8,
  encodeFloat32Array,
  encodeSortedUint32Array,
  encodeSparseInt8,
} from './codec.ts';
import type { QuantizedWeights } from './codec.ts';
import { Vocabulary } from './featurizer.ts';
import { quantizedScoresInto, softmaxInPlace } from './softmax.ts';
import type { QuantizedLinear } from './softmax.ts';
import type { ClassifierMetadata, ClassifierModelJson, PredictOptions, Prediction } from './types.ts';

export const MODEL_FORMAT = 'opsloop.classifier';
export const MODEL_VERSION = 1;

/** Everything a model is made of; the constructor is internal, use the training or JSON paths. */
export interface ClassifierModelParts {
  vocabulary: Vocabulary;
  labels: readonly string[];
  weights: QuantizedWeights;
  bias: Float32Array;
  temperature: number;
  threshold: number;
  outOfScopeLabel: string | null;
  outOfScopeThreshold: number;
  metadata: ClassifierMetadata;
}

export class ClassifierModel {
  /** Class labels, sorted. */
  readonly labels: readonly string[];
  /** Default abstention threshold: calibrated confidence for 99 % precision on held-out data. */
  readonly threshold: number;
  /** The label that means "none of the above", or null. */
  readonly outOfScopeLabel: string | null;
  /** Below this confidence the prediction becomes {@link outOfScopeLabel} (0 without one). */
  readonly outOfScopeThreshold: number;
  /** Softmax temperature fitted on held-out predictions. */
  readonly temperature: number;
  readonly metadata: ClassifierMetadata;
  readonly #vocabulary: Vocabulary;
  readonly #linear: QuantizedLinear;
  readonly #outOfScopeIndex: number;

  constructor(parts: ClassifierModelParts) {
    this.labels = Object.freeze([...parts.labels]);
    this.threshold = parts.threshold;
    this.outOfScopeLabel = parts.outOfScopeLabel;
    this.outOfScopeThreshold = parts.outOfScopeLabel === null ? 0 : parts.outOfScopeThreshold;
    this.temperature = parts.temperature;
    this.metadata = parts.metadata;
    this.#vocabulary = parts.vocabulary;
    this.#linear = { classes: parts.labels.length, values: parts.weights.values, scale: parts.weights.scale, bias: parts.bias };
    this.#outOfScopeIndex = parts.outOfScopeLabel === null ? -1 : this.labels.indexOf(parts.outOfScopeLabel);
  }

  /** Calibrated probability of every label, in {@link labels} order. */
  probabilities(text: string): Float64Array {
    const logits = quantizedScoresInto(this.#linear, this.#vocabulary.featurize(text), new Float64Array(this.labels.length));
    return softmaxInPlace(logits, this.temperature);
  }

  /**
   * Classify one text. `confidence` is the calibrated probability of the best label. When that
   * is below the out-of-scope threshold (models trained with an out-of-scope label), `label`
   * is the out-of-scope label. `abstained` is true when a person should decide: confidence under
   * the threshold (the model's 99 %-precision threshold unless `options.threshold` is given) or
   * the prediction was routed to out-of-scope for being unsure.
   *
   * @example
   * const { label, abstained } = model.predict('where is my parcel?');
   * if (abstained) routeToHuman(); else handle(label);
   */
  predict(text: string, options: PredictOptions = {}): Prediction {
    const threshold = options.threshold ?? this.threshold;
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new ValidationError('CLASSIFIER_OPTION_INVALID', `threshold must be a number in [0, 1], got ${threshold}`);
    }
    const p = this.probabilities(text);
    const order = Array.from(p.keys()).sort((a, b) => (p[b] as number) - (p[a] as number) || a - b);
    const best = order[0] as number;
    const confidence = p[best] as number;
    const alternatives = order
      .slice(0, 3)
      .map((c) => ({ label: this.labels[c] as string, confidence: p[c] as number }));
    const routedOut =
      this.#outOfScopeIndex >= 0 && best !== this.#outOfScopeIndex && confidence < this.outOfScopeThreshold;
    return {
      label: routedOut ? (this.outOfScopeLabel as string) : (this.labels[best] as string),
      confidence,
      abstained: routedOut || confidence < threshold,
      alternatives,
    };
  }

  /** Plain-JSON form (a few hundred KB to a few MB); see {@link ClassifierModelJson}. */
  toJSON(): ClassifierModelJson {
    return {
      format: MODEL_FORMAT,
      version: MODEL_VERSION,
      labels: [...this.labels],
      temperature: this.temperature,
      threshold: this.threshold,
      outOfScopeLabel: this.outOfScopeLabel,
      outOfScopeThreshold: this.outOfScopeThreshold,
      metadata: this.metadata,
      featurizer: { ...this.#vocabulary.config },
      features: this.#vocabulary.size,
      keys: encodeSortedUint32Array(this.#vocabulary.keys),
      idf: encodeFloat32Array(this.#vocabulary.idf),
      bias: encodeFloat32Array(this.#linear.bias),
      weightScale: this.#linear.scale,
      weights: encodeSparseInt8(this.#linear.values, this.#vocabulary.size, this.labels.length),
    };
  }

  /** Rebuild a model from {@link toJSON} output (or that as a JSON string). */
  static fromJSON(json: unknown): ClassifierModel {
    const fail = (problem: string, cause?: unknown): never => {
      throw new ValidationError('CLASSIFIER_MODEL_INVALID', `stored classifier model is invalid: ${problem}`, { cause });
    };
    try {
      const data: unknown = typeof json === 'string' ? JSON.parse(json) : json;
      if (typeof data !== 'object' || data === null || (data as { format?: unknown }).format !== MODEL_FORMAT) {
        fail(`format is not ${MODEL_FORMAT}`);
      }
      const model = data as ClassifierModelJson;
      if (model.version !== MODEL_VERSION) fail(`version ${String(model.version)} is not supported`);
      if (!Array.isArray(model.labels) || model.labels.length < 2 || model.labels.some((l) => typeof l !== 'string')) {
        fail('labels must be two or more strings');
      }
      const inUnit = (value: unknown): boolean => typeof value === 'number' && value >= 0 && value <= 1;
      if (!(model.temperature > 0 && Number.isFinite(model.temperature))) fail('temperature');
      if (!inUnit(model.threshold) || !inUnit(model.outOfScopeThreshold)) fail('thresholds must be in [0, 1]');
      if (model.outOfScopeLabel !== null && !model.labels.includes(model.outOfScopeLabel)) fail('outOfScopeLabel');
      if (!(model.weightScale > 0 && Number.isFinite(model.weightScale))) fail('weightScale');
      if (!Number.isInteger(model.features) || model.features < 0) fail('features');
      if (typeof model.featurizer !== 'object' || model.featurizer === null) fail('featurizer');
      const keys = decodeSortedUint32Array(model.keys, 'keys');
      const idf = decodeFloat32Array(model.idf, 'idf');
      const bias = decodeFloat32Array(model.bias, 'bias');
      if (keys.length !== model.features || idf.length !== model.features) fail('feature count mismatch');
      if (bias.length !== model.labels.length) fail('bias length');
      const values = decodeSparseInt8(model.weights, model.features, model.labels.length);
      return new ClassifierModel({
        vocabulary: new Vocabulary({ ...model.featurizer }, keys, idf),
        labels: model.labels,
        weights: { scale: model.weightScale, values },
        bias,
        temperature: model.temperature,
        threshold: model.threshold,
        outOfScopeLabel: model.outOfScopeLabel,
        outOfScopeThreshold: model.outOfScopeThreshold,
        metadata: model.metadata,
      });
    } catch (error) {
      if (error instanceof ValidationError) throw error;
      return fail(error instanceof Error ? error.message : String(error), error);
    }
  }
}
