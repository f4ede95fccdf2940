/**
 * Training entry points. The procedure (see `plan.ts`): validate the examples, cross-fit K
 * models to get held-out predictions for every example (calibration data no model saw), fit the
 * temperature and the thresholds on them, and train the final model on all examples.
 */
import { normalizeText } from './featurizer.ts';
import type { ClassifierModel } from './model.ts';
import { validateTrainingExamples } from './options.ts';
import { assembleModel, fitJobs, planTraining, runFitJob } from './plan.ts';
import type { TrainClassifierOptions, TrainingExample } from './types.ts';

/**
 * Train a classifier from labelled examples, in this thread (seconds for ~15k short texts; use
 * `trainClassifierAsync` to keep an event loop free and use more cores).
 *
 * @example
 * const model = trainClassifier([
 *   { text: 'where is my order?', label: 'order_status' },
 *   { text: 'I want my money back', label: 'refund' },
 *   // ... a few to a few hundred examples per label
 * ]);
 * model.predict('has my parcel shipped?'); // { label: 'order_status', confidence, abstained, alternatives }
 */
export function trainClassifier(examples: readonly TrainingExample[], options: TrainClassifierOptions = {}): ClassifierModel {
  const plan = planTraining(examples, options);
  const jobs = fitJobs(plan);
  return assembleModel(plan, jobs, jobs.map((job) => runFitJob(plan.context, job)));
}

/**
 * The examples with people's corrections applied: a correction replaces every example with the
 * same normalised text and is added otherwise; the latest correction of a text wins.
 */
export function applyCorrections(examples: readonly TrainingExample[], corrections: readonly TrainingExample[]): TrainingExample[] {
  validateTrainingExamples([...examples, ...corrections]);
  const corrected = new Map(corrections.map((c) => [normalizeText(c.text).trim(), c]));
  return examples.filter((e) => !corrected.has(normalizeText(e.text).trim())).concat([...corrected.values()]);
}

/**
 * Retrain after people corrected some predictions (see {@link applyCorrections}). The previous
 * model's options as given (seed, featurizer, ...) are reused; size-dependent defaults follow
 * the new data. Training is fast enough that this is a full retrain.
 */
export function retrainClassifier(
  previous: ClassifierModel,
  examples: readonly TrainingExample[],
  corrections: readonly TrainingExample[],
  options: TrainClassifierOptions = {},
): ClassifierModel {
  return trainClassifier(applyCorrections(examples, corrections), { ...previous.metadata.requestedOptions, ...options });
}
