/**
 * CLASSIFY: an offline text classifier trained from a business's own labelled examples.
 *
 * TF-IDF over words, word bigrams and character n-grams (hashed) → softmax regression →
 * temperature-calibrated confidence, with a stored 99 %-precision abstention threshold and
 * optional out-of-scope routing. Plain TypeScript, no model downloads; models serialise to
 * compact JSON.
 *
 * @example
 * const model = trainClassifier(examples);           // [{ text, label }, ...]
 * const stored = JSON.stringify(model.toJSON());      // keep per business
 * const again = ClassifierModel.fromJSON(stored);
 * const { label, confidence, abstained } = again.predict('my card has not arrived');
 */
export { ClassifierModel } from './model.ts';
export { applyCorrections, retrainClassifier, trainClassifier } from './train.ts';
export { trainClassifierAsync } from './parallel.ts';
export type { AsyncTrainingOptions } from './parallel.ts';
export { validateTrainingExamples } from './options.ts';
export { evaluateClassifier } from './evaluate.ts';
export type { ClassifierEvaluation, EvaluateOptions, EvaluationExample } from './evaluate.ts';
export { defaultFeaturizerConfig, extractTerms, normalizeText, tokenize, Vocabulary } from './featurizer.ts';
export type { FeaturizerConfig, SparseVector, TermCounts } from './featurizer.ts';
export type {
  ClassifierMetadata,
  ClassifierModelJson,
  LabelConfidence,
  PredictOptions,
  Prediction,
  TrainClassifierOptions,
  TrainingExample,
} from './types.ts';
