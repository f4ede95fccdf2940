/**
 * Pure geometry shared by the PDF text layer and OCR: pieces of text → lines → reading order.
 *
 * A {@link TextRun} is a piece of text in its own frame, where the text runs along +x and y grows
 * downward (for rotated text the caller rotates into this frame and back). Runs on one baseline
 * are joined left to right, with a space where there is a gap; a gap wider than
 * {@link COLUMN_GAP_RATIO} × the text height starts a new line, so table columns and
 * "label ……… value" pairs come back as separate lines on one row, like OCR line segments.
 */
import type { Quad } from './types.ts';

export interface TextRun {
  text: string;
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  /** Runs whose baselines agree within a fraction of their height are on one line. */
  baseline: number;
  /** 0..1, OCR only. */
  confidence?: number;
}

export interface Segment {
  text: string;
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  confidence?: number;
}

/** A gap wider than this many text heights (~1.4 em) separates two lines on one row. */
export const COLUMN_GAP_RATIO = 1.5;
/** A gap wider than this many text heights (~0.1 em) is a space; narrower ones are kerning. */
const SPACE_GAP_RATIO = 0.12;
/** Baselines within this many text heights of each other are one line. */
const BASELINE_TOLERANCE = 0.3;

/** Clusters runs into lines by baseline; lines come back top to bottom. */
export function groupByBaseline(runs: readonly TextRun[]): TextRun[][] {
  const sorted = runs.filter((run) => run.text.trim() !== '').sort((a, b) => a.baseline - b.baseline || a.x0 - b.x0);
  const lines: TextRun[][] = [];
  let reference: TextRun | undefined;
  for (const run of sorted) {
    const current = lines[lines.length - 1];
    if (current !== undefined && reference !== undefined) {
      const tolerance = BASELINE_TOLERANCE * Math.min(heightOf(run), heightOf(reference));
      if (Math.abs(run.baseline - reference.baseline) <= tolerance) {
        current.push(run);
        continue;
      }
    }
    lines.push([run]);
    reference = run;
  }
  return lines;
}

/**
 * Joins the runs of one line left to right into segments, splitting where the gap is wider than
 * `columnGapRatio` text heights. Text is whitespace-collapsed; a run repeated on top of itself
 * (fake bold) is dropped.
 */
export function splitAtGaps(runs: readonly TextRun[], columnGapRatio = COLUMN_GAP_RATIO): Segment[] {
  const sorted = runs.filter((run) => run.text.trim() !== '').sort((a, b) => a.x0 - b.x0);
  const segments: Segment[] = [];
  let current: (Segment & { confidences: number[]; weights: number[] }) | undefined;
  let previous: TextRun | undefined;
  const flush = () => {
    if (current === undefined) return;
    const text = current.text.replace(/\s+/g, ' ').trim();
    if (text !== '') {
      const { confidences, weights, ...segment } = current;
      const segmentOut: Segment = { ...segment, text };
      if (confidences.length > 0) segmentOut.confidence = weightedMean(confidences, weights);
      segments.push(segmentOut);
    }
    current = undefined;
  };
  for (const run of sorted) {
    if (previous !== undefined && run.text === previous.text && Math.abs(run.x0 - previous.x0) < 0.2 * heightOf(run)) continue;
    const height = Math.max(heightOf(run), current === undefined ? 0 : current.bottom - current.top);
    const gap = current === undefined ? 0 : run.x0 - current.x1;
    if (current !== undefined && gap > columnGapRatio * height) flush();
    if (current === undefined) {
      current = { text: run.text, x0: run.x0, x1: run.x1, top: run.top, bottom: run.bottom, confidences: [], weights: [] };
    } else {
      const needsSpace = gap > SPACE_GAP_RATIO * height && !/\s$/.test(current.text) && !/^\s/.test(run.text);
      current.text += (needsSpace ? ' ' : '') + run.text;
      current.x1 = Math.max(current.x1, run.x1);
      current.top = Math.min(current.top, run.top);
      current.bottom = Math.max(current.bottom, run.bottom);
    }
    if (run.confidence !== undefined) {
      current.confidences.push(run.confidence);
      current.weights.push(Math.max(1, run.text.trim().length));
    }
    previous = run;
  }
  flush();
  return segments;
}

/** Lines of text from runs: {@link groupByBaseline} then {@link splitAtGaps}. */
export function segmentRuns(runs: readonly TextRun[], columnGapRatio = COLUMN_GAP_RATIO): Segment[] {
  return groupByBaseline(runs).flatMap((line) => splitAtGaps(line, columnGapRatio));
}

/**
 * Orders boxed lines into rows, top to bottom, each left to right. A line belongs to the row of
 * the line above it when their vertical extents overlap by at least half the smaller height
 * (the READ extractor uses the same rule). Lines without a box keep their order, at the end.
 */
export function orderIntoRows<T extends { box: Quad | null }>(lines: readonly T[]): T[][] {
  const boxed = lines
    .filter((line) => line.box !== null)
    .map((line) => ({ line, ...boundsOf(line.box as Quad) }))
    .sort((a, b) => a.y0 + a.y1 - (b.y0 + b.y1) || a.x0 - b.x0);
  const rows: (typeof boxed)[] = [];
  for (const item of boxed) {
    const row = rows[rows.length - 1];
    const anchor = row?.[0];
    if (row !== undefined && anchor !== undefined) {
      const overlap = Math.min(anchor.y1, item.y1) - Math.max(anchor.y0, item.y0);
      if (overlap > 0 && overlap >= 0.5 * Math.min(anchor.y1 - anchor.y0, item.y1 - item.y0)) {
        row.push(item);
        continue;
      }
    }
    rows.push([item]);
  }
  const ordered = rows.map((row) => row.sort((a, b) => a.x0 - b.x0).map((item) => item.line));
  const unboxed = lines.filter((line) => line.box === null);
  return unboxed.length > 0 ? [...ordered, ...unboxed.map((line) => [line])] : ordered;
}

/** The axis-aligned bounds of a quad. */
export function boundsOf(box: Quad): { x0: number; y0: number; x1: number; y1: number } {
  const xs = [box[0], box[2], box[4], box[6]];
  const ys = [box[1], box[3], box[5], box[7]];
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

/** The quad of a segment whose frame is rotated by `angle` radians (0 = horizontal text). */
export function segmentQuad(segment: Segment, angle = 0, scale = 1): Quad {
  const corners: [number, number][] = [
    [segment.x0, segment.top],
    [segment.x1, segment.top],
    [segment.x1, segment.bottom],
    [segment.x0, segment.bottom],
  ];
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const out = corners.flatMap(([x, y]) => [round((x * cos - y * sin) * scale), round((x * sin + y * cos) * scale)]);
  return out as Quad;
}

/** Rotates a point from page coordinates into the frame of text at `angle` radians. */
export function toFrame(x: number, y: number, angle: number): [number, number] {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  return [x * cos + y * sin, -x * sin + y * cos];
}

function heightOf(run: { top: number; bottom: number }): number {
  return Math.max(run.bottom - run.top, 1e-6);
}

function weightedMean(values: readonly number[], weights: readonly number[]): number {
  let sum = 0;
  let total = 0;
  values.forEach((value, index) => {
    const weight = weights[index] ?? 1;
    sum += value * weight;
    total += weight;
  });
  return total === 0 ? 0 : Math.round((sum / total) * 1000) / 1000;
}

/** Two decimals are far below a pixel; keeps output small and stable. */
function round(value: number): number {
  return Math.round(value * 100) / 100;
}
