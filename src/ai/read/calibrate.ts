/**
 * Calibration of the reader: per-field confidence thresholds for a target precision, measured on
 * held-out folds (each document read by a model trained without it). The governance gate lets a
 * read step act alone only when every field is at or above its threshold.
 */
import { coverageAtPrecision } from '../eval/metrics.ts';
import { extractFields } from './reader.ts';
import { collapseSpaces } from './text.ts';
import { trainReader, type ReaderCalibration, type TrainReaderOptions } from './train.ts';
import { normaliseFieldKeys, type LabelledDocument } from './types.ts';
import { RANKED_FIELDS } from './pipeline.ts';

export interface CalibrateReaderOptions extends TrainReaderOptions {
  /** Precision the thresholds are set for. Default 0.99. */
  targetPrecision?: number;
  /** Held-out folds. Default 5. */
  calibrationFolds?: number;
  /** Says where the examples come from, for people reading a verdict. */
  source?: string;
}

/**
 * Thresholds for vendor, address, issue date and total, and one pooled over them for the other
 * fields. A field whose answers never reach the target precision gets threshold 1 (a person
 * always looks).
 *
 * @example
 * const calibration = calibrateReader(sroieToLabelled(train), { includeKnowledge: false, source: 'SROIE train' });
 * calibration.fields.total; // e.g. 0.93: totals at or above it were right 99 times in 100
 */
export function calibrateReader(examples: readonly LabelledDocument[], options: CalibrateReaderOptions = {}): ReaderCalibration {
  const targetPrecision = options.targetPrecision ?? 0.99;
  const folds = Math.max(2, Math.min(options.calibrationFolds ?? 5, examples.length));
  const byField = Object.fromEntries(RANKED_FIELDS.map((f) => [f, { confidences: [] as number[], correct: [] as boolean[] }]));
  for (let fold = 0; fold < folds; fold++) {
    const model = trainReader(examples.filter((_, i) => i % folds !== fold), options);
    examples.forEach((example, i) => {
      if (i % folds !== fold) return;
      const truth = normaliseFieldKeys(example.fields);
      const { fields } = extractFields(example.lines, { model });
      for (const name of RANKED_FIELDS) {
        const field = fields[name];
        if (field.value === null || field.value === '') continue;
        byField[name]?.confidences.push(field.confidence);
        byField[name]?.correct.push(collapseSpaces(field.value) === collapseSpaces(truth[name] ?? ''));
      }
    });
  }
  const threshold = (confidences: number[], correct: boolean[]): number => coverageAtPrecision(confidences, correct, targetPrecision).threshold ?? 1;
  const all = Object.values(byField);
  return {
    precision: targetPrecision,
    threshold: threshold(all.flatMap((f) => f.confidences), all.flatMap((f) => f.correct)),
    fields: Object.fromEntries(RANKED_FIELDS.map((name) => [name, threshold(byField[name]?.confidences ?? [], byField[name]?.correct ?? [])])),
    source: `${options.source ?? 'labelled documents'}, ${folds}-fold held-out, ${examples.length} documents`,
  };
}
