/**
 * Turns input lines into positioned segments. OCR lines keep their boxes; box-less text lines
 * (for example `pdftotext -layout`) are split on runs of 2+ spaces into segments whose box is
 * (character column, line number), so "label on the left" and "label above" work for both.
 */
import { collapseSpaces } from './text.ts';
import type { OcrLine } from './types.ts';

export interface Segment {
  /** Whitespace-collapsed text. */
  text: string;
  /** Index of the input line this segment comes from. */
  lineIndex: number;
  page: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Position in reading order. */
  order: number;
}

export interface Layout {
  segments: Segment[];
  hasBoxes: boolean;
  top: number;
  bottom: number;
  left: number;
  right: number;
  medianHeight: number;
}

export function buildLayout(lines: readonly OcrLine[]): Layout {
  const hasBoxes = lines.some((line) => line.box != null);
  const segments: Segment[] = [];
  let pageOffset = 0;
  let currentPage = lines[0]?.page ?? 0;
  let pageBottom = 0;
  lines.forEach((line, lineIndex) => {
    const page = line.page ?? currentPage;
    if (page !== currentPage) {
      pageOffset += pageBottom + 1;
      pageBottom = 0;
      currentPage = page;
    }
    if (hasBoxes) {
      const text = collapseSpaces(line.text);
      if (text === '') return;
      const box = line.box;
      // A line without a box among boxed lines sits just under the previous line.
      const previous = segments[segments.length - 1];
      let x0 = previous?.x0 ?? 0;
      let x1 = previous?.x1 ?? 1;
      let y0 = previous === undefined ? 0 : previous.y1 - pageOffset + 1;
      let y1 = previous === undefined ? 1 : y0 + (previous.y1 - previous.y0);
      if (box != null) {
        x0 = Math.min(box[0], box[6]);
        x1 = Math.max(box[2], box[4]);
        y0 = Math.min(box[1], box[3]);
        y1 = Math.max(box[5], box[7]);
      }
      pageBottom = Math.max(pageBottom, y1);
      segments.push({ text, lineIndex, page, x0, x1, y0: y0 + pageOffset, y1: y1 + pageOffset, order: 0 });
      return;
    }
    for (const match of line.text.matchAll(/\S+(?: \S+)*/g)) {
      const text = collapseSpaces(match[0]);
      const x0 = match.index;
      segments.push({ text, lineIndex, page, x0, x1: x0 + match[0].length, y0: lineIndex, y1: lineIndex + 1, order: 0 });
    }
    pageBottom = lineIndex + 1;
  });
  segments.forEach((segment, index) => (segment.order = index));
  const heights = segments.map((s) => s.y1 - s.y0).sort((a, b) => a - b);
  return {
    segments,
    hasBoxes,
    top: Math.min(...segments.map((s) => s.y0), 0),
    bottom: Math.max(...segments.map((s) => s.y1), 1),
    left: Math.min(...segments.map((s) => s.x0), 0),
    right: Math.max(...segments.map((s) => s.x1), 1),
    medianHeight: heights[Math.floor(heights.length / 2)] ?? 1,
  };
}

/** Vertical centre of a segment relative to the document, 0 = top, 1 = bottom. */
export function relativeY(layout: Layout, segment: Segment): number {
  const span = layout.bottom - layout.top || 1;
  return ((segment.y0 + segment.y1) / 2 - layout.top) / span;
}

/** Horizontal centre relative to the document width. */
export function relativeX(layout: Layout, segment: Segment): number {
  const span = layout.right - layout.left || 1;
  return ((segment.x0 + segment.x1) / 2 - layout.left) / span;
}

/** Segments on the same visual row (vertical overlap ≥ half the smaller height), left to right. */
export function rowOf(layout: Layout, segment: Segment): Segment[] {
  const height = segment.y1 - segment.y0;
  return layout.segments
    .filter((other) => {
      const overlap = Math.min(other.y1, segment.y1) - Math.max(other.y0, segment.y0);
      return overlap >= 0.5 * Math.min(height, other.y1 - other.y0);
    })
    .sort((a, b) => a.x0 - b.x0);
}

/** Text to the left of a segment on its row (nearest last), the usual place of a label. */
export function leftText(layout: Layout, segment: Segment): string {
  return rowOf(layout, segment)
    .filter((other) => other !== segment && other.x1 <= segment.x0 + (segment.x1 - segment.x0) * 0.5)
    .map((other) => other.text)
    .join(' ');
}

/** Text to the right of a segment on its row. */
export function rightText(layout: Layout, segment: Segment): string {
  return rowOf(layout, segment)
    .filter((other) => other !== segment && other.x0 >= segment.x0 + (segment.x1 - segment.x0) * 0.5)
    .map((other) => other.text)
    .join(' ');
}

/** The nearest segment above that overlaps horizontally (a column header), if any is close. */
export function aboveSegment(layout: Layout, segment: Segment): Segment | undefined {
  let best: Segment | undefined;
  for (const other of layout.segments) {
    if (other.y1 > segment.y0 + 1e-9 || other.page !== segment.page) continue;
    const overlap = Math.min(other.x1, segment.x1) - Math.max(other.x0, segment.x0);
    if (overlap <= 0) continue;
    if (best === undefined || other.y1 > best.y1) best = other;
  }
  if (best === undefined) return undefined;
  const gap = segment.y0 - best.y1;
  return gap <= 2.5 * layout.medianHeight ? best : undefined;
}
