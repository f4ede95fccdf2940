import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boundsOf, orderIntoRows, segmentQuad, segmentRuns, splitAtGaps, type TextRun } from '../../../src/ai/documents/layout.ts';
import type { Quad } from '../../../src/ai/documents/index.ts';

/** A run of 10-unit-high text on baseline `baseline`, starting at x. */
function run(text: string, x0: number, x1: number, baseline = 100, confidence?: number): TextRun {
  const out: TextRun = { text, x0, x1, top: baseline - 8, bottom: baseline + 2, baseline };
  if (confidence !== undefined) out.confidence = confidence;
  return out;
}

const box = (x0: number, y0: number, x1: number, y1: number): Quad => [x0, y0, x1, y0, x1, y1, x0, y1];

describe('joining runs into lines', () => {
  it('joins kerned pieces without a space and words with one', () => {
    const [line] = splitAtGaps([run('In', 0, 10), run('voice', 10.3, 40), run('No:', 43, 60)]);
    assert.equal(line?.text, 'Invoice No:');
    assert.deepEqual([line?.x0, line?.x1, line?.top, line?.bottom], [0, 60, 92, 102]);
  });

  it('splits at a column gap (wider than 1.5 text heights)', () => {
    const texts = splitAtGaps([run('Widget', 0, 40), run('2', 200, 206), run('100.00', 300, 336), run('x', 350, 356)]).map((s) => s.text);
    assert.deepEqual(texts, ['Widget', '2', '100.00 x']);
  });

  it('sorts runs left to right whatever order they were drawn in', () => {
    assert.deepEqual(splitAtGaps([run('1,234.56', 42, 90), run('Total:', 0, 38)]).map((s) => s.text), ['Total: 1,234.56']);
  });

  it('drops text drawn twice on top of itself (fake bold) and collapses spaces', () => {
    assert.deepEqual(splitAtGaps([run('TOTAL', 0, 40), run('TOTAL', 0.4, 40.4), run('  7.70 ', 44, 70)]).map((s) => s.text), ['TOTAL 7.70']);
  });

  it('averages OCR confidence weighted by characters', () => {
    const [line] = splitAtGaps([run('CORNER', 0, 60, 100, 0.9), run('B', 64, 70, 100, 0.3)]);
    assert.equal(line?.confidence, 0.814);
  });

  it('groups by baseline, tolerating jitter but not the next line', () => {
    const lines = segmentRuns([run('Date:', 0, 30, 100), run('15/03/2024', 33, 90, 101.5), run('Due:', 0, 25, 114)]);
    assert.deepEqual(lines.map((s) => s.text), ['Date: 15/03/2024', 'Due:']);
  });
});

describe('reading order', () => {
  it('reads rows top to bottom and each row left to right', () => {
    const lines = [
      { text: 'Total: 1,234.56', box: box(700, 600, 900, 620) },
      { text: 'Invoice No: INV-1042', box: box(700, 96, 950, 120) },
      // A big title overlaps the small line beside it: same row, read first (it is on the left).
      { text: 'Acme Supplies Ltd', box: box(100, 92, 460, 137) },
      { text: 'Invoice Date: 15/03/2024', box: box(700, 128, 950, 152) },
      { text: 'Widget', box: box(100, 396, 168, 420) },
      { text: '100.00', box: box(900, 397, 967, 421) },
    ];
    const rows = orderIntoRows(lines).map((row) => row.map((line) => line.text));
    assert.deepEqual(rows, [
      ['Acme Supplies Ltd', 'Invoice No: INV-1042'],
      ['Invoice Date: 15/03/2024'],
      ['Widget', '100.00'],
      ['Total: 1,234.56'],
    ]);
  });

  it('keeps lines without a box in their order, after the boxed ones', () => {
    const rows = orderIntoRows([{ text: 'b', box: null }, { text: 'a', box: box(0, 0, 5, 5) }, { text: 'c', box: null }]);
    assert.deepEqual(rows.flat().map((line) => line.text), ['a', 'b', 'c']);
  });
});

describe('quads', () => {
  it('are clockwise from the top-left of the text', () => {
    const segment = { text: 'x', x0: 10, x1: 50, top: 20, bottom: 30 };
    assert.deepEqual(segmentQuad(segment), [10, 20, 50, 20, 50, 30, 10, 30]);
    // Text running down the page (rotated 90° clockwise): its top-left is at the top-right.
    const down = segmentQuad({ text: 'x', x0: 100, x1: 140, top: -60, bottom: -50 }, Math.PI / 2);
    assert.deepEqual(down, [60, 100, 60, 140, 50, 140, 50, 100]);
    assert.deepEqual(boundsOf(down), { x0: 50, y0: 100, x1: 60, y1: 140 });
  });
});
