/**
 * The fonts embedded in every document: DejaVu Sans, from the `dejavu-fonts-ttf` package. The PDF
 * standard fonts (Helvetica…) only cover Latin-1, so "€" may survive but "₹", "ż" and "zł" do not;
 * DejaVu covers Latin, Greek, Cyrillic and the currency signs. pdfkit embeds only the glyphs used.
 * Not covered: CJK, and right-to-left scripts (pdfkit does not reorder them).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const FONT_REGULAR = 'DejaVuSans' as const;
export const FONT_BOLD = 'DejaVuSans-Bold' as const;

/** Absolute paths of the TTF files, resolved through the installed package. */
export const FONT_FILES: Readonly<Record<typeof FONT_REGULAR | typeof FONT_BOLD, string>> = {
  [FONT_REGULAR]: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  [FONT_BOLD]: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
};
