/** Made-up receipts and invoices (realistic layouts, invented businesses) for READ tests. */
import type { OcrLine, Quad } from '../../../src/ai/read/index.ts';

/** A row of text cells: `[x, text]` pairs on one printed line. */
export type Row = [number, string][];

/** Lays rows out top to bottom as OCR lines with boxes (one box per cell, 9 px per character). */
export function ocrLines(rows: readonly Row[], top = 40, rowHeight = 28): OcrLine[] {
  const lines: OcrLine[] = [];
  rows.forEach((row, r) => {
    const y0 = top + r * rowHeight;
    const y1 = y0 + 18;
    for (const [x, text] of row) {
      const x1 = x + text.length * 9;
      const box: Quad = [x, y0, x1, y0, x1, y1, x, y1];
      lines.push({ text, box });
    }
  });
  return lines;
}

export interface ReceiptSpec {
  vendor: string;
  date: string;
  items: [string, string][];
  total: string;
  cash: string;
  change: string;
  number: string;
  /** Lines under the vendor name (registration number, address, phone, tax id). */
  header?: string[];
}

const KEDAI_HEADER = ['(123456-K)', 'NO 12, JALAN MELATI 3,', 'TAMAN BUNGA RAYA,', '43000 KAJANG, SELANGOR.', 'TEL: 03-8736 1234', 'GST ID: 000123456789'];

/** A Malaysian-style cash receipt of a small shop (by default the made-up Kedai Runcit Maju Jaya). */
export function shopReceipt(spec: ReceiptSpec): OcrLine[] {
  const rows: Row[] = [
    [[90, spec.vendor]],
    ...(spec.header ?? KEDAI_HEADER).map((text): Row => [[Math.max(10, 240 - text.length * 4.5), text]]),
    [[170, 'TAX INVOICE']],
    [[20, `INV NO: ${spec.number}`]],
    [[20, 'DATE:'], [120, `${spec.date} 10:21:05`]],
    [[20, 'CASHIER: AMIR']],
    [[20, 'DESCRIPTION'], [230, 'QTY'], [290, 'PRICE'], [380, 'AMOUNT']],
    ...spec.items.map(([name, amount]): Row => [[20, name], [240, '1'], [290, amount], [390, amount]]),
    [[20, 'SUB TOTAL'], [390, spec.total]],
    [[20, 'GST 6% INCLUDED'], [390, '1.33']],
    [[20, 'TOTAL (RM):'], [390, spec.total]],
    [[20, 'CASH'], [390, spec.cash]],
    [[20, 'CHANGE'], [390, spec.change]],
    [[110, 'THANK YOU. PLEASE COME AGAIN']],
  ];
  return ocrLines(rows);
}
