/** The top of page 1: logo and business top-left, title and dates top-right, then the client. */
import { ValidationError } from '../../../core/errors.ts';
import type { DocumentFormat } from './format.ts';
import { documentTitle, headerRows, partyLabel } from './labels.ts';
import { pngSize } from './logo.ts';
import { PdfErrorCode, type ValidDocument } from './schema.ts';
import { COLORS, STYLES, type Sheet } from './sheet.ts';

const LOGO_BOX = { width: 150, height: 60 } as const;
const LEFT_WIDTH = 260;
const RIGHT_WIDTH = 220;
const RIGHT_LABEL_WIDTH = 90;
const TITLE_STYLE = { size: 20, color: COLORS.text, bold: true } as const;
const NAME_STYLE = { size: 12, color: COLORS.text, bold: true } as const;
const CLIENT_NAME_STYLE = { size: 10.5, color: COLORS.text, bold: true } as const;

/** Draws the header and the client block; leaves the cursor below them. */
export function drawHeader(sheet: Sheet, doc: ValidDocument, format: DocumentFormat): void {
  const top = sheet.y;
  const leftBottom = drawBusiness(sheet, doc, top);
  const rightBottom = drawTitleBlock(sheet, doc, format, top);
  sheet.y = Math.max(leftBottom, rightBottom) + 22;
  drawParty(sheet, doc);
}

function drawLogo(sheet: Sheet, logo: Buffer, x: number, y: number): number {
  const size = pngSize(logo);
  const scale = Math.min(LOGO_BOX.width / size.width, LOGO_BOX.height / size.height, 1);
  const width = size.width * scale;
  const height = size.height * scale;
  try {
    sheet.pdf.image(logo, x, y, { width, height });
  } catch (cause) {
    throw new ValidationError(PdfErrorCode.inputInvalid, 'Cannot render the document: business.logoPng: the PNG could not be embedded.', {
      cause,
      details: { path: 'business.logoPng' },
    });
  }
  return height;
}

/** Business name, address and contact lines; returns the y below them. */
function drawBusiness(sheet: Sheet, doc: ValidDocument, top: number): number {
  const { business } = doc;
  const x = sheet.left;
  let y = top;
  if (business.logoPng !== null) y += drawLogo(sheet, business.logoPng, x, y) + 10;
  y += sheet.text(business.name, x, y, LEFT_WIDTH, NAME_STYLE) + 3;
  const details = [
    business.address,
    business.email,
    business.phone,
    business.taxId === null ? null : `Tax ID: ${business.taxId}`,
  ].filter((line): line is string => line !== null);
  for (const line of details) y += sheet.text(line, x, y, LEFT_WIDTH, STYLES.small) + 1;
  return y;
}

/** "Invoice" and its number, dates and reference, right-aligned; returns the y below them. */
function drawTitleBlock(sheet: Sheet, doc: ValidDocument, format: DocumentFormat, top: number): number {
  const x = sheet.right - RIGHT_WIDTH;
  let y = top;
  y += sheet.text(documentTitle(doc.kind), x, y, RIGHT_WIDTH, TITLE_STYLE, 'right') + 8;
  const valueWidth = RIGHT_WIDTH - RIGHT_LABEL_WIDTH;
  for (const row of headerRows(doc, format)) {
    const labelHeight = sheet.text(row.label, x, y, RIGHT_LABEL_WIDTH, STYLES.small);
    const valueHeight = sheet.text(row.value, x + RIGHT_LABEL_WIDTH, y, valueWidth, STYLES.body, 'right');
    y += Math.max(labelHeight, valueHeight) + 3;
  }
  return y;
}

/** "Bill to" (or "Supplier", "Received from") and the client's details. */
function drawParty(sheet: Sheet, doc: ValidDocument): void {
  const { client } = doc;
  const x = sheet.left;
  let y = sheet.y;
  y += sheet.text(partyLabel(doc.kind), x, y, LEFT_WIDTH, STYLES.label) + 3;
  y += sheet.text(client.name, x, y, LEFT_WIDTH, CLIENT_NAME_STYLE) + 2;
  const details = [
    client.contact === null ? null : `Attn: ${client.contact}`,
    client.address,
    client.email,
    client.taxId === null ? null : `Tax ID: ${client.taxId}`,
  ].filter((line): line is string => line !== null);
  for (const line of details) y += sheet.text(line, x, y, LEFT_WIDTH, STYLES.body) + 1;
  sheet.y = y + 20;
}
