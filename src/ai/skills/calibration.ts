/**
 * The thresholds the skills report with each answer. The governance gate lets an AI step act
 * alone (`auto`) only when its confidence is at or above its skill's threshold, unless a policy
 * says otherwise.
 *
 *   classify      the model's own threshold for its target precision (99 % by default), measured on
 *                 held-out folds at training and measured again at every retrain from corrections
 *   read          per-field thresholds for 99 % precision, measured on held-out SROIE receipts when
 *                 the built-in model was built (`calibration` in default-model.json), each replaced
 *                 by the business's own once its inbox decisions suffice for that field
 *                 (read-outcomes.ts, applied by `AiStore.readerCalibration`)
 *   draft.*, flag documented defaults (below): their confidences are set by rules, not learned, so
 *                 there is no held-out data to measure a precision on yet
 */
import type { SkillCalibration } from '../../workflow/registry.ts';
import type { ClassifierModel } from '../classify/index.ts';
import type { ReaderModel } from '../read/index.ts';

/**
 * draft.document: fields read from the sentence (1) or filled by a stated rule (0.8–0.95: today as
 * the issue date, an ambiguous date read day-first) pass; guesses (≤ 0.7: an assumed tax rate, the
 * nearest client) go to a person.
 */
export const draftDocumentCalibration: SkillCalibration = { threshold: 0.8, source: 'draft.document default: guessed fields go to a person' };

/** draft.reply: only a specific template with every slot filled (0.9); general, LLM-written or incomplete replies go to a person. */
export const draftReplyCalibration: SkillCalibration = { threshold: 0.9, source: 'draft.reply default: only complete template replies' };

/** flag: a clean document or info-level notes only; any warning (score ≥ 0.3) goes to a person. */
export const flagCalibration: SkillCalibration = { threshold: 0.9, source: 'flag default: no warnings' };

/** read without a measured calibration (a model trained elsewhere): as strict as the built-in model's strictest field. */
export const readFallbackCalibration: SkillCalibration = { threshold: 0.99, source: 'read default: model without calibration' };

/** The classifier's stored threshold and the precision it was calibrated for. */
export function classifierCalibration(name: string, model: ClassifierModel): SkillCalibration {
  return {
    threshold: model.threshold,
    precision: model.metadata.options.targetPrecision,
    source: `classifier "${name}", held-out folds of ${model.metadata.exampleCount} examples, trained ${model.metadata.trainedAt}`,
  };
}

/** The reader model's shipped calibration (before the business's decisions), or {@link readFallbackCalibration}. */
export function readerCalibration(model: ReaderModel): SkillCalibration {
  const measured = model.calibration;
  if (measured === undefined) return readFallbackCalibration;
  return { threshold: measured.threshold, precision: measured.precision, fields: { ...measured.fields }, source: measured.source };
}
