/**
 * A thin layer over a pdfkit document: A4 geometry, the text styles of the design, and a cursor
 * `y` that the sections move down. Sections check {@link Sheet.fits} before drawing a block, so
 * pdfkit never breaks a page in the middle of a table row on its own.
 */
import { FONT_BOLD, FONT_REGULAR } from './fonts.ts';

export type Pdf = PDFKit.PDFDocument;
export type Align = 'left' | 'right';

export interface TextStyle {
  bold?: boolean;
  size: number;
  color: string;
}

export const COLORS = {
  text: '#111827',
  muted: '#6b7280',
  rule: '#d1d5db',
  faintRule: '#e5e7eb',
  band: '#f3f4f6',
  link: '#1d4ed8',
} as const;

/** Points (1/72 inch). A4 is 595.28 × 841.89. */
export const MARGINS = { top: 50, left: 50, right: 50, bottom: 66 } as const;
/** Distance of the footer's text from the bottom edge. */
export const FOOTER_FROM_BOTTOM = 44;

export const STYLES = {
  body: { size: 9, color: COLORS.text },
  small: { size: 8.5, color: COLORS.muted },
  label: { size: 8.5, color: COLORS.muted, bold: true },
  heading: { size: 10, color: COLORS.text, bold: true },
  strong: { size: 9, color: COLORS.text, bold: true },
} as const satisfies Record<string, TextStyle>;

export class Sheet {
  readonly pdf: Pdf;
  /** Where the next block starts. */
  y: number;

  constructor(pdf: Pdf) {
    this.pdf = pdf;
    this.y = MARGINS.top;
  }

  get left(): number {
    return MARGINS.left;
  }

  get right(): number {
    return this.pdf.page.width - MARGINS.right;
  }

  get width(): number {
    return this.right - this.left;
  }

  /** The lowest y a block may reach on this page. */
  get bottom(): number {
    return this.pdf.page.height - MARGINS.bottom;
  }

  /** Whether a block this tall fits below the cursor on the current page. */
  fits(height: number): boolean {
    return this.y + height <= this.bottom;
  }

  newPage(): void {
    this.pdf.addPage();
    this.y = MARGINS.top;
  }

  /** Starts a new page unless `height` fits; true when it did. Blocks taller than a page just start. */
  ensureSpace(height: number): boolean {
    if (this.fits(height) || this.y === MARGINS.top) return false;
    this.newPage();
    return true;
  }

  use(style: TextStyle): this {
    this.pdf.font(style.bold === true ? FONT_BOLD : FONT_REGULAR).fontSize(style.size).fillColor(style.color);
    return this;
  }

  textWidth(text: string, style: TextStyle): number {
    return this.use(style).pdf.widthOfString(text);
  }

  textHeight(text: string, style: TextStyle, width: number): number {
    return this.use(style).pdf.heightOfString(text, { width });
  }

  /** Draws text wrapped within `width` at (x, y); returns its height. Does not move the cursor. */
  text(text: string, x: number, y: number, width: number, style: TextStyle, align: Align = 'left', link?: string): number {
    const height = this.textHeight(text, style, width);
    this.use(style).pdf.text(text, x, y, { width, align, ...(link === undefined ? {} : { link, underline: true }) });
    return height;
  }

  /**
   * Draws text at the cursor across the full width and moves the cursor below it. Long text flows
   * onto new pages (pdfkit breaks it at the bottom margin), so any length of terms fits.
   */
  flow(text: string, style: TextStyle, gapAfter = 0): void {
    this.use(style).pdf.text(text, this.left, this.y, { width: this.width, paragraphGap: 2 });
    this.y = this.pdf.y + gapAfter;
  }

  rule(y: number, from = this.left, to = this.right, color: string = COLORS.rule, lineWidth = 0.75): void {
    this.pdf.save().moveTo(from, y).lineTo(to, y).lineWidth(lineWidth).strokeColor(color).stroke().restore();
  }

  band(x: number, y: number, width: number, height: number, color: string = COLORS.band): void {
    this.pdf.save().rect(x, y, width, height).fillColor(color).fill().restore();
  }
}
