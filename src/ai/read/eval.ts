/**
 * Evaluation of the READ extractor on SROIE-style data: field-level exact match (whitespace
 * collapsed) with precision, recall and F1 per field and micro-averaged, as in the ICDAR-SROIE
 * task-3 protocol. An empty prediction is no prediction; an empty ground truth is an absent field.
 */
import { readFileSync } from 'node:fs';
import { ValidationError } from '../../core/errors.ts';
import { collapseSpaces } from './text.ts';
import type { FieldName, LabelledDocument, OcrLine, ReadResult } from './types.ts';

export const SROIE_KEYS = ['company', 'date', 'address', 'total'] as const;
export type SroieKey = (typeof SROIE_KEYS)[number];

/** How SROIE keys map to READ fields. */
export const SROIE_TO_FIELD: Record<SroieKey, FieldName> = { company: 'vendor', date: 'issueDate', address: 'address', total: 'total' };

export interface SroieExample {
  id: string;
  lines: OcrLine[];
  fields: Record<SroieKey, string>;
}

/** Reads a SROIE JSON Lines file (`{ id, ocr_lines: [{text, box}], fields }` per line). */
export function loadSroieJsonl(path: string): SroieExample[] {
  const out: SroieExample[] = [];
  readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const record = JSON.parse(line) as { id?: unknown; ocr_lines?: unknown; fields?: Record<string, unknown> };
    if (!Array.isArray(record.ocr_lines) || typeof record.fields !== 'object' || record.fields === null) {
      throw new ValidationError('READ_DATASET_INVALID', `${path}:${i + 1} is not a SROIE record (needs ocr_lines and fields).`);
    }
    const fields = {} as Record<SroieKey, string>;
    for (const key of SROIE_KEYS) fields[key] = typeof record.fields[key] === 'string' ? record.fields[key] : '';
    out.push({ id: String(record.id ?? `line-${i + 1}`), lines: record.ocr_lines as OcrLine[], fields });
  });
  return out;
}

/** SROIE examples as training documents labelled with READ field names. */
export function sroieToLabelled(examples: readonly SroieExample[]): LabelledDocument[] {
  return examples.map((example) => {
    const fields: Record<string, string> = {};
    for (const key of SROIE_KEYS) if (example.fields[key] !== '') fields[SROIE_TO_FIELD[key]] = example.fields[key];
    return { id: example.id, lines: example.lines, fields };
  });
}

export interface PRF {
  precision: number;
  recall: number;
  f1: number;
}

export interface ConfidenceBucket {
  from: number;
  to: number;
  count: number;
  accuracy: number | null;
}

export interface ReaderEvaluation extends PRF {
  n: number;
  fields: Record<SroieKey, PRF & { correct: number; predicted: number; expected: number }>;
  /** Accuracy of non-empty predictions by confidence band (all keys pooled). */
  confidence: ConfidenceBucket[];
  /** Share of predictions with confidence ≥ 0.9, and their accuracy. */
  highConfidence: { share: number; accuracy: number | null };
  errors: { id: string; key: SroieKey; expected: string; predicted: string; confidence: number }[];
}

function prf(correct: number, predicted: number, expected: number): PRF {
  const precision = predicted === 0 ? 0 : correct / predicted;
  const recall = expected === 0 ? 0 : correct / expected;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision: round(precision), recall: round(recall), f1: round(f1) };
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}

const BANDS = [0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001];

/**
 * Scores a predictor on SROIE examples. Strings compare with whitespace collapsed (or, with
 * `ignoreSpaces`, removed: a lenient view that forgives OCR spacing around punctuation).
 *
 * @example
 * const dev = loadSroieJsonl('dev.jsonl');
 * const result = evaluateReader((lines) => extractFields(lines, { model }), dev);
 * result.f1; // micro F1 over (receipt, key) pairs
 */
export function evaluateReader(
  predict: (lines: OcrLine[]) => ReadResult,
  examples: readonly SroieExample[],
  options: { ignoreSpaces?: boolean } = {},
): ReaderEvaluation {
  const normalise = options.ignoreSpaces === true ? (text: string) => text.replace(/\s+/g, '') : collapseSpaces;
  const counts = Object.fromEntries(SROIE_KEYS.map((k) => [k, { correct: 0, predicted: 0, expected: 0 }])) as Record<SroieKey, { correct: number; predicted: number; expected: number }>;
  const scored: { confidence: number; correct: boolean }[] = [];
  const errors: ReaderEvaluation['errors'] = [];
  for (const example of examples) {
    const result = predict(example.lines);
    for (const key of SROIE_KEYS) {
      const field = result.fields[SROIE_TO_FIELD[key]];
      const predicted = normalise(field.value ?? '');
      const expected = normalise(example.fields[key]);
      const count = counts[key];
      if (expected !== '') count.expected++;
      if (predicted === '') {
        if (expected !== '') errors.push({ id: example.id, key, expected, predicted, confidence: field.confidence });
        continue;
      }
      count.predicted++;
      const correct = predicted === expected;
      if (correct) count.correct++;
      else errors.push({ id: example.id, key, expected, predicted, confidence: field.confidence });
      scored.push({ confidence: field.confidence, correct });
    }
  }
  const total = SROIE_KEYS.reduce(
    (sum, key) => ({ correct: sum.correct + counts[key].correct, predicted: sum.predicted + counts[key].predicted, expected: sum.expected + counts[key].expected }),
    { correct: 0, predicted: 0, expected: 0 },
  );
  const fields = Object.fromEntries(SROIE_KEYS.map((key) => [key, { ...prf(counts[key].correct, counts[key].predicted, counts[key].expected), ...counts[key] }])) as ReaderEvaluation['fields'];
  const confidence: ConfidenceBucket[] = [];
  for (let i = 0; i + 1 < BANDS.length; i++) {
    const from = BANDS[i] ?? 0;
    const to = BANDS[i + 1] ?? 1;
    const inBand = scored.filter((s) => s.confidence >= from && s.confidence < to);
    confidence.push({ from, to: Math.min(to, 1), count: inBand.length, accuracy: inBand.length === 0 ? null : round(inBand.filter((s) => s.correct).length / inBand.length) });
  }
  const high = scored.filter((s) => s.confidence >= 0.9);
  return {
    ...prf(total.correct, total.predicted, total.expected),
    n: examples.length,
    fields,
    confidence,
    highConfidence: { share: round(high.length / Math.max(1, scored.length)), accuracy: high.length === 0 ? null : round(high.filter((s) => s.correct).length / high.length) },
    errors,
  };
}
