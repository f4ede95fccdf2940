/**
 * The numbered line table. Numeric columns are as wide as their widest value (so "€1,200,000.00"
 * never wraps), the description takes the rest and wraps. Unit, discount and tax columns appear
 * only when some line has one. A row that does not fit goes to the next page, under a repeated
 * header row.
 */
import type { DocumentFormat } from './format.ts';
import type { ValidDocument } from './schema.ts';
import { COLORS, STYLES, type Align, type Sheet, type TextStyle } from './sheet.ts';

type Line = ValidDocument['lines'][number];

interface Column {
  title: string;
  align: Align;
  /** Grows to the widest cell when not flexible; the flexible column takes what is left. */
  flexible: boolean;
  cell: (line: Line, index: number) => string;
  width: number;
}

const PAD_X = 4;
const PAD_Y = 5;
const MIN_DESCRIPTION_WIDTH = 120;
const HEADER_STYLE: TextStyle = { size: 8, color: COLORS.muted, bold: true };
const CELL_STYLE = STYLES.body;

function columnsFor(doc: ValidDocument, format: DocumentFormat): Column[] {
  const has = (pick: (line: Line) => string | null) => doc.lines.some((line) => pick(line) !== null);
  const column = (title: string, align: Align, cell: Column['cell'], flexible = false): Column => ({ title, align, flexible, cell, width: 0 });
  const columns: Column[] = [
    column('#', 'left', (_line, index) => String(index + 1)),
    column('Description', 'left', (line) => line.description, true),
    column('Qty', 'right', (line) => format.quantity(line.quantity)),
  ];
  if (has((line) => line.unit)) columns.push(column('Unit', 'left', (line) => line.unit ?? ''));
  columns.push(column('Unit price', 'right', (line) => format.unitPrice(line.unitPrice)));
  if (has((line) => line.discount)) {
    columns.push(column('Discount', 'right', (line) => (line.discount === null ? '' : format.percent(line.discount))));
  }
  if (has((line) => line.taxRate)) {
    columns.push(column('Tax', 'right', (line) => (line.taxRate === null ? '' : format.percent(line.taxRate))));
  }
  columns.push(column('Amount', 'right', (line) => format.money(line.amount)));
  return columns;
}

/** Sizes the columns to the content and the page width. */
function layoutColumns(sheet: Sheet, doc: ValidDocument, columns: Column[]): void {
  for (const column of columns) {
    if (column.flexible) continue;
    let widest = sheet.textWidth(column.title, HEADER_STYLE);
    doc.lines.forEach((line, index) => {
      widest = Math.max(widest, sheet.textWidth(column.cell(line, index), CELL_STYLE));
    });
    column.width = Math.ceil(widest) + 2 * PAD_X + 1;
  }
  const fixedColumns = columns.filter((column) => !column.flexible);
  const available = sheet.width - MIN_DESCRIPTION_WIDTH;
  if (fixedColumns.reduce((sum, column) => sum + column.width, 0) > available) {
    // Huge amounts: cap the widest columns (only they wrap) so the description keeps its room.
    const cap = widthCap(fixedColumns.map((column) => column.width), available);
    for (const column of fixedColumns) column.width = Math.min(column.width, cap);
  }
  const flexibleWidth = sheet.width - fixedColumns.reduce((sum, column) => sum + column.width, 0);
  for (const column of columns) if (column.flexible) column.width = flexibleWidth;
}

/** The largest cap such that the capped widths add up to at most `available`. */
function widthCap(widths: number[], available: number): number {
  let low = 0;
  let high = Math.max(...widths);
  for (let step = 0; step < 30; step += 1) {
    const middle = (low + high) / 2;
    if (widths.reduce((sum, width) => sum + Math.min(width, middle), 0) <= available) low = middle;
    else high = middle;
  }
  return Math.floor(low);
}

function rowHeight(sheet: Sheet, cells: string[], columns: Column[], style: TextStyle): number {
  let height = 0;
  cells.forEach((cell, index) => {
    const width = (columns[index]?.width ?? 0) - 2 * PAD_X;
    if (cell !== '') height = Math.max(height, sheet.textHeight(cell, style, width));
  });
  return Math.ceil(height) + 2 * PAD_Y;
}

function drawRow(sheet: Sheet, cells: string[], columns: Column[], style: TextStyle, height: number): void {
  let x = sheet.left;
  cells.forEach((cell, index) => {
    const column = columns[index];
    if (column === undefined) return;
    if (cell !== '') sheet.text(cell, x + PAD_X, sheet.y + PAD_Y, column.width - 2 * PAD_X, style, column.align);
    x += column.width;
  });
  sheet.y += height;
}

function drawHeaderRow(sheet: Sheet, columns: Column[]): void {
  const titles = columns.map((column) => column.title);
  const height = rowHeight(sheet, titles, columns, HEADER_STYLE);
  sheet.band(sheet.left, sheet.y, sheet.width, height);
  drawRow(sheet, titles, columns, HEADER_STYLE, height);
}

/** Draws the whole table from the cursor, across as many pages as it takes. */
export function drawLineTable(sheet: Sheet, doc: ValidDocument, format: DocumentFormat): void {
  const columns = columnsFor(doc, format);
  layoutColumns(sheet, doc, columns);
  const headerHeight = rowHeight(sheet, columns.map((column) => column.title), columns, HEADER_STYLE);
  doc.lines.forEach((line, index) => {
    const cells = columns.map((column) => column.cell(line, index));
    const height = rowHeight(sheet, cells, columns, CELL_STYLE);
    if (index === 0 || !sheet.fits(height)) {
      // The header row never sits alone at the bottom of a page: it goes with the row under it.
      sheet.ensureSpace(headerHeight + height);
      drawHeaderRow(sheet, columns);
    }
    drawRow(sheet, cells, columns, CELL_STYLE, height);
    sheet.rule(sheet.y, sheet.left, sheet.right, COLORS.faintRule, 0.5);
  });
  sheet.y += 12;
}
