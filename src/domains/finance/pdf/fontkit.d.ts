/**
 * The part of fontkit (pdfkit's own font engine, same installed copy) that the coverage check
 * uses. fontkit ships no type declarations.
 */
declare module 'fontkit' {
  export interface Font {
    readonly familyName: string;
    hasGlyphForCodePoint(codePoint: number): boolean;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
