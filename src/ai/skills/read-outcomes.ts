/**
 * READ's per-field thresholds, recalibrated from the business's own inbox decisions.
 *
 * Every decided `read` task says, for each field that had a value, whether the reader was right
 * at the confidence it gave: approved unchanged → right; approved with edits → the edited fields
 * were wrong, the others right; rejected → nothing (a rejection says nothing reliable about single
 * fields). The latest {@link readOutcomeDefaults.keepPerField} outcomes per field are kept.
 *
 * The rule, per field, for the target precision p (0.99) and at least N outcomes (100):
 *   1. the business's threshold is the lowest confidence t such that, among its outcomes with
 *      confidence ≥ t, there are at least N and at most (1 − p) of them wrong — the same
 *      "coverage at precision" rule as the shipped calibration, measured on this business;
 *   2. without such a t, the shipped threshold stays, unless the outcomes at or above it already
 *      hold more wrong answers than (1 − p) of max(their count, N) — then it is not safe for this
 *      business even if every outcome still to come were right, and the field gets 1 (a person
 *      always looks) until there is evidence for a threshold.
 *
 * Selection bias: outcomes exist only for steps that went to a person. Once a document's fields
 * all pass alone, it produces no outcome, so the evidence comes from the documents that had at
 * least one weak field (and from steps whose tier is `review`), and auto-passed values are never
 * checked. An approval is also only as good as the person's look: rubber-stamped approvals count
 * as right. Both are reasons for N ≥ 100 and for keeping a point estimate no looser than the
 * shipped SROIE calibration's.
 */
import type { SkillCalibration } from '../../workflow/registry.ts';
import { FIELD_NAMES } from '../read/index.ts';

export interface ReadOutcome {
  field: string;
  /** the confidence the reader gave the value, 0..1 */
  confidence: number;
  /** true when the person kept the value */
  right: boolean;
}

export const readOutcomeDefaults = {
  /** outcomes at or above a threshold needed before the business's own number replaces the shipped one */
  minOutcomes: 100,
  /** the latest outcomes kept per field */
  keepPerField: 2000,
} as const;

export interface RecalibrateOptions {
  /** default {@link readOutcomeDefaults.minOutcomes} */
  minOutcomes?: number;
  /** the precision thresholds are set for; default the shipped calibration's, else 0.99 */
  targetPrecision?: number;
}

const knownFields: ReadonlySet<string> = new Set(FIELD_NAMES);

/** Drops what cannot be an outcome: unknown fields, confidences that are not numbers in 0..1. */
export function validOutcome(value: unknown): value is ReadOutcome {
  if (value === null || typeof value !== 'object') return false;
  const o = value as Record<string, unknown>;
  return typeof o.field === 'string' && knownFields.has(o.field) && typeof o.confidence === 'number' && Number.isFinite(o.confidence) && o.confidence >= 0 && o.confidence <= 1 && typeof o.right === 'boolean';
}

const normalised = (value: unknown): string => (value === null || value === undefined ? '' : typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : JSON.stringify(value));

/**
 * The outcomes of one decided read task. Only approved tasks count; a field counts when the reader
 * gave it a value and a confidence. Spacing-only edits are not errors (the SROIE calibration
 * compares with spaces collapsed too).
 *
 * @example
 * outcomesOfDecision({ status: 'approved', proposed: { total: '9.90' }, final: { total: '9.99' }, fieldConfidence: { total: 0.97 } })
 * // [{ field: 'total', confidence: 0.97, right: false }]
 */
export function outcomesOfDecision(task: { status: string; proposed: unknown; final: unknown; fieldConfidence: unknown }): ReadOutcome[] {
  if (task.status !== 'approved') return [];
  const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isRecord(task.proposed) || !isRecord(task.fieldConfidence)) return [];
  const proposed = task.proposed;
  const final = isRecord(task.final) ? task.final : proposed;
  const outcomes: ReadOutcome[] = [];
  for (const [field, confidence] of Object.entries(task.fieldConfidence)) {
    if (normalised(proposed[field]) === '') continue;
    const outcome = { field, confidence, right: normalised(final[field]) === normalised(proposed[field]) };
    if (validOutcome(outcome)) outcomes.push(outcome);
  }
  return outcomes;
}

/**
 * The lowest confidence t with at least `minOutcomes` outcomes at or above it, at most
 * `1 − targetPrecision` of them wrong; null when there is none. Equal confidences are taken or
 * left together (a threshold cannot split them).
 *
 * @example
 * businessThreshold([...100 × { confidence: 0.8, right: true }], { minOutcomes: 100, targetPrecision: 0.99 }) // 0.8
 */
export function businessThreshold(outcomes: readonly { confidence: number; right: boolean }[], options: { minOutcomes: number; targetPrecision: number }): number | null {
  const sorted = [...outcomes].sort((a, b) => b.confidence - a.confidence);
  let best: number | null = null;
  let wrong = 0;
  let i = 0;
  while (i < sorted.length) {
    const value = (sorted[i] as ReadOutcome).confidence;
    while (i < sorted.length && (sorted[i] as ReadOutcome).confidence === value) {
      if (!(sorted[i] as ReadOutcome).right) wrong++;
      i++;
    }
    // Tolerance so that 1 wrong in 100 counts as 99 % despite floating point.
    if (i >= options.minOutcomes && wrong <= (1 - options.targetPrecision) * i + 1e-9) best = value;
  }
  return best;
}

export interface FieldRecalibration {
  threshold: number;
  /** shipped: kept (too little evidence); business: the business's own; raised: shipped shown unsafe, no evidence for another */
  from: 'shipped' | 'business' | 'raised';
  outcomes: number;
  wrong: number;
}

/** One field's threshold from the shipped one and the business's outcomes for that field (see the rule above). */
export function recalibrateField(shipped: number, outcomes: readonly { confidence: number; right: boolean }[], options: { minOutcomes: number; targetPrecision: number }): FieldRecalibration {
  const wrong = outcomes.filter((o) => !o.right).length;
  const own = businessThreshold(outcomes, options);
  if (own !== null) return { threshold: own, from: 'business', outcomes: outcomes.length, wrong };
  const above = outcomes.filter((o) => o.confidence >= shipped);
  const wrongAbove = above.filter((o) => !o.right).length;
  if (wrongAbove > (1 - options.targetPrecision) * Math.max(above.length, options.minOutcomes) + 1e-9) return { threshold: 1, from: 'raised', outcomes: outcomes.length, wrong };
  return { threshold: shipped, from: 'shipped', outcomes: outcomes.length, wrong };
}

/**
 * The read skill's calibration for this business: the shipped per-field thresholds (fields without
 * one use the pooled `threshold`), replaced field by field where the business's outcomes decide.
 * The pooled threshold stays the shipped one. Invalid outcomes are ignored.
 */
export function recalibrateReader(shipped: SkillCalibration, outcomes: readonly unknown[], options: RecalibrateOptions = {}): SkillCalibration {
  const rule = { minOutcomes: Math.max(1, options.minOutcomes ?? readOutcomeDefaults.minOutcomes), targetPrecision: options.targetPrecision ?? shipped.precision ?? 0.99 };
  const byField = new Map<string, ReadOutcome[]>();
  for (const o of outcomes) {
    if (!validOutcome(o)) continue;
    const list = byField.get(o.field) ?? [];
    list.push(o);
    byField.set(o.field, list);
  }
  const fields: Record<string, number> = { ...shipped.fields };
  const own: string[] = [];
  const raised: string[] = [];
  for (const field of FIELD_NAMES) {
    const list = byField.get(field);
    if (list === undefined) continue;
    const r = recalibrateField(shipped.fields?.[field] ?? shipped.threshold, list, rule);
    if (r.from === 'shipped') continue;
    fields[field] = r.threshold;
    const counts = `${r.outcomes} decisions, ${r.wrong} edited`;
    if (r.from === 'business') own.push(`${field} ${r.threshold} (${counts})`);
    else raised.push(`${field} (${counts})`);
  }
  if (own.length === 0 && raised.length === 0) return { ...shipped, ...(shipped.fields === undefined ? {} : { fields: { ...shipped.fields } }) };
  const parts = [
    ...(own.length === 0 ? [] : [`business decisions in the inbox: ${own.join(', ')}`]),
    ...(raised.length === 0 ? [] : [`raised to 1 by business decisions (the shipped threshold was wrong too often): ${raised.join(', ')}`]),
    `other fields: ${shipped.source}`,
  ];
  return { threshold: shipped.threshold, precision: rule.targetPrecision, fields, source: parts.join('; ') };
}

/** The stored form: per field, the latest outcomes as `[confidence, 1|0]`, oldest first. */
export type StoredOutcomes = Record<string, [number, 0 | 1][]>;

/** Reads the stored form, dropping whatever is not a valid outcome. */
export function parseStoredOutcomes(value: unknown): ReadOutcome[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const outcomes: ReadOutcome[] = [];
  for (const [field, list] of Object.entries(value as Record<string, unknown>)) {
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (!Array.isArray(entry)) continue;
      const outcome = { field, confidence: entry[0] as unknown, right: entry[1] === 1 };
      if ((entry[1] === 0 || entry[1] === 1) && validOutcome(outcome)) outcomes.push(outcome);
    }
  }
  return outcomes;
}

/**
 * Appends outcomes to the stored form, keeping the latest `keepPerField` per field. Confidences are
 * rounded down to 6 decimals, so a threshold taken from them is never above the value it came from.
 */
export function appendOutcomes(stored: readonly ReadOutcome[], added: readonly ReadOutcome[], keepPerField: number = readOutcomeDefaults.keepPerField): StoredOutcomes {
  const out: StoredOutcomes = {};
  for (const o of [...stored, ...added]) {
    if (!validOutcome(o)) continue;
    (out[o.field] ??= []).push([Math.floor(o.confidence * 1e6) / 1e6, o.right ? 1 : 0]);
  }
  for (const field of Object.keys(out)) out[field] = (out[field] ?? []).slice(-keepPerField);
  return out;
}
