/**
 * Training options (defaults, validation) and validation of the training examples.
 */
import { ValidationError } from '../../core/errors.ts';
import { defaultFeaturizerConfig } from './featurizer.ts';
import type { ClassifierMetadata, TrainClassifierOptions, TrainingExample } from './types.ts';

const INVALID_DATA = 'CLASSIFIER_TRAINING_DATA_INVALID';
const INVALID_OPTION = 'CLASSIFIER_OPTION_INVALID';
const OUT_OF_SCOPE_NAMES = ['oos', 'out_of_scope', 'out-of-scope'];
/** Below this many examples: 5 calibration folds and min document count 1. */
const SMALL_DATA = 2000;

export type ResolvedOptions = ClassifierMetadata['options'];

/** Fill in defaults (some depend on the data size) and validate; throws CLASSIFIER_OPTION_INVALID. */
export function resolveOptions(options: TrainClassifierOptions, labels: readonly string[], exampleCount: number): ResolvedOptions {
  // Small data sets keep terms seen once: with ~10 examples per label, most telling n-grams are rare.
  const small = exampleCount < SMALL_DATA;
  const featurizer = { ...defaultFeaturizerConfig, minDocumentCount: small ? 1 : 2, ...options.featurizer };
  const resolved: ResolvedOptions = {
    featurizer,
    epochs: options.epochs ?? 4,
    learningRate: options.learningRate ?? 0.5,
    l2: options.l2 ?? 3e-4,
    margin: options.margin ?? 0,
    seed: options.seed ?? 1,
    calibrationFolds: options.calibrationFolds ?? (small ? 5 : 3),
    targetPrecision: options.targetPrecision ?? 0.99,
    outOfScopeLabel:
      options.outOfScopeLabel === undefined
        ? (OUT_OF_SCOPE_NAMES.find((name) => labels.includes(name)) ?? null)
        : options.outOfScopeLabel,
    outOfScopeWeight: options.outOfScopeWeight ?? 3,
    outOfScopeCost: options.outOfScopeCost ?? 3,
    pruneBelow: options.pruneBelow ?? 0.1,
  };
  const check = (ok: boolean, field: string, rule: string): void => {
    if (!ok) throw new ValidationError(INVALID_OPTION, `option ${field} must be ${rule}`, { details: { path: field } });
  };
  check(Number.isInteger(resolved.epochs) && resolved.epochs >= 1 && resolved.epochs <= 100, 'epochs', 'an integer in [1, 100]');
  check(resolved.learningRate > 0, 'learningRate', '> 0');
  check(resolved.l2 >= 0, 'l2', '>= 0');
  check(resolved.margin >= 0 && resolved.margin <= 20, 'margin', 'a number in [0, 20]');
  check(Number.isInteger(resolved.seed), 'seed', 'an integer');
  check(
    Number.isInteger(resolved.calibrationFolds) && resolved.calibrationFolds >= 2 && resolved.calibrationFolds <= 10,
    'calibrationFolds',
    'an integer in [2, 10]',
  );
  check(resolved.targetPrecision > 0 && resolved.targetPrecision <= 1, 'targetPrecision', 'in (0, 1]');
  check(resolved.outOfScopeWeight > 0, 'outOfScopeWeight', '> 0');
  check(resolved.outOfScopeCost > 0, 'outOfScopeCost', '> 0');
  check(resolved.pruneBelow >= 0, 'pruneBelow', '>= 0');
  check(
    Number.isInteger(featurizer.charNgramMin) && featurizer.charNgramMin >= 1 && featurizer.charNgramMax >= featurizer.charNgramMin,
    'featurizer.charNgramMin/charNgramMax',
    'integers with 1 <= min <= max',
  );
  check(Number.isInteger(featurizer.minDocumentCount) && featurizer.minDocumentCount >= 1, 'featurizer.minDocumentCount', 'an integer >= 1');
  if (resolved.outOfScopeLabel !== null && !labels.includes(resolved.outOfScopeLabel)) {
    check(false, 'outOfScopeLabel', `one of the training labels (no example has label "${resolved.outOfScopeLabel}")`);
  }
  return resolved;
}

/** Reject unusable training data with a message naming the first problem. */
export function validateTrainingExamples(examples: unknown): asserts examples is TrainingExample[] {
  const fail = (message: string, index?: number): never => {
    throw new ValidationError(INVALID_DATA, message, index === undefined ? {} : { details: { path: `examples[${index}]` } });
  };
  if (!Array.isArray(examples)) fail('training examples must be an array of {text, label}');
  const list = examples as unknown[];
  if (list.length === 0) fail('no training examples: give at least two labels with one example each');
  const labels = new Set<string>();
  list.forEach((example, i) => {
    if (typeof example !== 'object' || example === null) fail(`example ${i} is not an object with text and label`, i);
    const { text, label } = example as Record<string, unknown>;
    if (typeof text !== 'string') fail(`example ${i} has no text (expected a string)`, i);
    if ((text as string).trim() === '') fail(`example ${i} has an empty text`, i);
    if (typeof label !== 'string') fail(`example ${i} has no label (expected a string)`, i);
    if ((label as string).trim() === '') fail(`example ${i} has an empty label`, i);
    labels.add(label as string);
  });
  if (labels.size < 2) {
    fail(`training examples need at least two different labels; all ${list.length} have label "${[...labels][0] ?? ''}"`);
  }
}
