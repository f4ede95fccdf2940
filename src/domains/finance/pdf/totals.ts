/**
 * Under the table: the totals right-aligned and, when given, the tax per rate on the left. Both
 * are measured first, so an amount never wraps: columns are as wide as their widest value, and
 * when the two blocks do not fit side by side the tax summary goes under the totals.
 */
import type { DocumentFormat } from './format.ts';
import type { LabelledValue } from './labels.ts';
import type { ValidDocument } from './schema.ts';
import { COLORS, STYLES, type Sheet, type TextStyle } from './sheet.ts';

const MIN_TOTALS_WIDTH = 250;
const LABEL_GAP = 16;
const BLOCK_GAP = 24;
const EMPHASIS_RULE_SPACE = 6;
const ROW_GAP = 4;
const TAX_TITLE = 'Tax summary';
const TAX_HEADINGS = ['Rate', 'Net', 'Tax'] as const;
const TAX_CELL_GAP = 14;
const TOTAL_STYLE: TextStyle = { size: 11, color: COLORS.text, bold: true };

interface TotalRow extends LabelledValue {
  emphasis: boolean;
}

function totalRows(doc: ValidDocument, format: DocumentFormat): TotalRow[] {
  const rows: TotalRow[] = [
    { label: 'Subtotal', value: format.money(doc.subtotal), emphasis: false },
    { label: 'Tax', value: format.money(doc.taxTotal), emphasis: false },
    { label: 'Total', value: format.money(doc.total), emphasis: true },
  ];
  if (doc.amountPaid !== null) rows.push({ label: 'Amount paid', value: format.money(doc.amountPaid), emphasis: false });
  if (doc.amountCredited !== null) rows.push({ label: 'Credited', value: format.money(doc.amountCredited), emphasis: false });
  if (doc.amountDue !== null) rows.push({ label: 'Amount due', value: format.money(doc.amountDue), emphasis: true });
  return rows;
}

const labelStyle = (row: TotalRow): TextStyle => (row.emphasis ? TOTAL_STYLE : STYLES.small);
const valueStyle = (row: TotalRow): TextStyle => (row.emphasis ? TOTAL_STYLE : STYLES.body);

interface TotalsBlock {
  rows: TotalRow[];
  width: number;
  valueWidth: number;
  height: number;
}

function measureTotals(sheet: Sheet, rows: TotalRow[]): TotalsBlock {
  const labelWidth = Math.max(...rows.map((row) => sheet.textWidth(row.label, labelStyle(row))));
  const valueWidth = Math.ceil(Math.max(...rows.map((row) => sheet.textWidth(row.value, valueStyle(row))))) + 1;
  const width = Math.min(sheet.width, Math.max(MIN_TOTALS_WIDTH, labelWidth + LABEL_GAP + valueWidth));
  const height = rows.reduce(
    (sum, row) => sum + sheet.textHeight(row.value, valueStyle(row), valueWidth) + ROW_GAP + (row.emphasis ? EMPHASIS_RULE_SPACE : 0),
    0,
  );
  return { rows, width, valueWidth, height };
}

/** Draws the totals right-aligned from `top`; returns the y below them. */
function drawTotals(sheet: Sheet, block: TotalsBlock, top: number): number {
  const x = sheet.right - block.width;
  const labelWidth = block.width - block.valueWidth;
  let y = top;
  for (const row of block.rows) {
    if (row.emphasis) {
      sheet.rule(y, x, sheet.right);
      y += EMPHASIS_RULE_SPACE;
    }
    sheet.text(row.label, x, y, labelWidth, labelStyle(row));
    y += sheet.text(row.value, sheet.right - block.valueWidth, y, block.valueWidth, valueStyle(row), 'right') + ROW_GAP;
  }
  return y;
}

interface TaxBlock {
  rows: string[][];
  columnWidths: number[];
  width: number;
  height: number;
}

function measureTaxSummary(sheet: Sheet, doc: ValidDocument, format: DocumentFormat): TaxBlock | null {
  if (doc.taxSummary.length === 0) return null;
  const rows = doc.taxSummary.map((row) => [format.percent(row.rate), format.money(row.base), format.money(row.tax)]);
  const columnWidths = TAX_HEADINGS.map((heading, index) =>
    Math.ceil(Math.max(sheet.textWidth(heading, STYLES.label), ...rows.map((cells) => sheet.textWidth(cells[index] ?? '', STYLES.body)))) + 1,
  );
  const width = columnWidths.reduce((sum, columnWidth) => sum + columnWidth, 0) + TAX_CELL_GAP * (columnWidths.length - 1);
  const lineHeight = sheet.textHeight('X', STYLES.body, width) + 3;
  const height = sheet.textHeight(TAX_TITLE, STYLES.strong, width) + 4 + (rows.length + 1) * lineHeight;
  return { rows, columnWidths, width, height };
}

/** Draws the tax-per-rate table at the left margin from `top`; returns the y below it. */
function drawTaxSummary(sheet: Sheet, block: TaxBlock, top: number): number {
  let y = top;
  y += sheet.text(TAX_TITLE, sheet.left, y, block.width, STYLES.strong) + 4;
  const drawCells = (cells: readonly string[], style: TextStyle) => {
    let x = sheet.left;
    let height = 0;
    cells.forEach((cell, index) => {
      const width = block.columnWidths[index] ?? 0;
      height = Math.max(height, sheet.text(cell, x, y, width, style, index === 0 ? 'left' : 'right'));
      x += width + TAX_CELL_GAP;
    });
    y += height + 3;
  };
  drawCells(TAX_HEADINGS, STYLES.label);
  for (const cells of block.rows) drawCells(cells, STYLES.body);
  return y;
}

/** Tax summary and totals, each kept whole on one page; leaves the cursor below both. */
export function drawTotalsSection(sheet: Sheet, doc: ValidDocument, format: DocumentFormat): void {
  const totals = measureTotals(sheet, totalRows(doc, format));
  const taxes = measureTaxSummary(sheet, doc, format);
  if (taxes !== null && taxes.width + BLOCK_GAP + totals.width <= sheet.width) {
    sheet.ensureSpace(Math.max(totals.height, taxes.height));
    const top = sheet.y;
    sheet.y = Math.max(drawTotals(sheet, totals, top), drawTaxSummary(sheet, taxes, top));
  } else {
    sheet.ensureSpace(totals.height);
    sheet.y = drawTotals(sheet, totals, sheet.y);
    if (taxes !== null) {
      sheet.y += 12;
      sheet.ensureSpace(taxes.height);
      sheet.y = drawTaxSummary(sheet, taxes, sheet.y);
    }
  }
  sheet.y += 18;
}
