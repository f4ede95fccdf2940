/** The text around a value that usually names it: before it on its line, left on its row, above it. */
import { aboveSegment, leftText, rightText, type Layout, type Segment } from './layout.ts';

export interface ValueContext {
  /** Same segment, before the value. */
  before: string;
  /** Same segment, after the value. */
  after: string;
  /** Other segments left of it on the same row. */
  left: string;
  /** Other segments right of it on the same row. */
  right: string;
  /** The segment just before it in reading order. */
  previous: string;
  /** The nearest overlapping segment above (column header), if close. */
  above: string;
}

export function valueContext(layout: Layout, segment: Segment, start: number, end: number): ValueContext {
  return {
    before: segment.text.slice(0, start).toUpperCase(),
    after: segment.text.slice(end).toUpperCase(),
    left: leftText(layout, segment).toUpperCase(),
    right: rightText(layout, segment).toUpperCase(),
    previous: (layout.segments[segment.order - 1]?.text ?? '').toUpperCase(),
    above: (aboveSegment(layout, segment)?.text ?? '').toUpperCase(),
  };
}

/** Sets `${prefix}_${name}` = 1 for each keyword family that matches `text`. */
export function keywordFeatures(
  features: Record<string, number>,
  prefix: string,
  text: string,
  families: Readonly<Record<string, RegExp>>,
): void {
  if (text === '') return;
  for (const name in families) {
    const pattern = families[name];
    if (pattern !== undefined && pattern.test(text)) features[`${prefix}_${name}`] = 1;
  }
}

/** One-hot bin of a number among ascending upper bounds: `name_b0`, `name_b1`, ... */
export function binFeature(features: Record<string, number>, name: string, value: number, bounds: readonly number[]): void {
  let bin = bounds.findIndex((bound) => value < bound);
  if (bin === -1) bin = bounds.length;
  features[`${name}_b${bin}`] = 1;
}
