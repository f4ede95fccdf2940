/**
 * Renders a validated document with pdfkit: header, client, line table, totals, payment, terms and
 * notes, then "Page i of n" on every page once the page count is known (pages are buffered).
 *
 * Same input, same bytes: the only clock pdfkit reads is the creation date, which is set to the
 * issue date (midnight UTC); the file ID is a hash of the document info, and font subsets and
 * compression are deterministic.
 */
import PDFDocument from 'pdfkit';
import { FONT_BOLD, FONT_FILES, FONT_REGULAR } from './fonts.ts';
import { documentFormat } from './format.ts';
import { drawHeader } from './header.ts';
import { documentTitle } from './labels.ts';
import type { ValidDocument } from './schema.ts';
import { COLORS, FOOTER_FROM_BOTTOM, MARGINS, Sheet, type Pdf } from './sheet.ts';
import { drawPayment, drawTermsAndNotes } from './summary.ts';
import { drawTotalsSection } from './totals.ts';
import { drawLineTable } from './table.ts';

const PRODUCER = 'OpsLoop';
const FOOTER_STYLE = { size: 8, color: COLORS.muted } as const;

function createPdf(doc: ValidDocument): Pdf {
  const title = `${documentTitle(doc.kind)} ${doc.number}`;
  const pdf = new PDFDocument({
    size: 'A4',
    margins: { ...MARGINS },
    bufferPages: true,
    lang: doc.locale,
    displayTitle: true,
    info: {
      Title: title,
      Author: doc.business.name,
      Subject: `${title} for ${doc.client.name}`,
      Creator: PRODUCER,
      Producer: PRODUCER,
      CreationDate: new Date(`${doc.issueDate}T00:00:00Z`),
    },
  });
  pdf.registerFont(FONT_REGULAR, FONT_FILES[FONT_REGULAR]);
  pdf.registerFont(FONT_BOLD, FONT_FILES[FONT_BOLD]);
  return pdf;
}

/** "Invoice INV-1042" left and "Page 2 of 3" right, at the foot of every page. */
function drawFooters(sheet: Sheet, doc: ValidDocument): void {
  const { pdf } = sheet;
  const range = pdf.bufferedPageRange();
  const label = `${documentTitle(doc.kind)} ${doc.number}`;
  for (let index = range.start; index < range.start + range.count; index += 1) {
    pdf.switchToPage(index);
    // Writing below the bottom margin would make pdfkit start a new page: lift the margin first.
    const margins = pdf.page.margins;
    const bottomMargin = margins.bottom;
    margins.bottom = 0;
    const y = pdf.page.height - FOOTER_FROM_BOTTOM;
    sheet.rule(y - 6, sheet.left, sheet.right, COLORS.faintRule, 0.5);
    const half = sheet.width / 2;
    sheet.text(label, sheet.left, y, half, FOOTER_STYLE);
    sheet.text(`Page ${index - range.start + 1} of ${range.count}`, sheet.left + half, y, half, FOOTER_STYLE, 'right');
    margins.bottom = bottomMargin;
  }
}

function collect(pdf: Pdf): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
}

/** Draws every section and returns the finished file. `doc` must come from `validateDocument`. */
export async function renderValidDocument(doc: ValidDocument): Promise<Buffer> {
  const pdf = createPdf(doc);
  const bytes = collect(pdf);
  const sheet = new Sheet(pdf);
  const format = documentFormat(doc.locale, doc.currency);
  drawHeader(sheet, doc, format);
  drawLineTable(sheet, doc, format);
  drawTotalsSection(sheet, doc, format);
  drawPayment(sheet, doc);
  drawTermsAndNotes(sheet, doc);
  drawFooters(sheet, doc);
  pdf.end();
  return bytes;
}
