/** Plain text files: decoding and splitting into box-less lines. */
import type { DocumentLine, DocumentPage } from './types.ts';

/**
 * Decodes text bytes: UTF-8 or UTF-16 by byte-order mark, else UTF-8, else Windows-1252 (the
 * usual encoding of old exports that are not valid UTF-8).
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/**
 * Text as pages of lines without boxes. A form feed starts a new page (as in `pdftotext`
 * output); blank lines are kept, because a box-less reader uses the line number as position.
 */
export function textPages(text: string): DocumentPage[] {
  if (text.trim() === '') return [{ page: 1, width: 0, height: 0, source: 'plain', lines: [] }];
  const pageTexts = text.split('\f');
  // A final form feed ends the last page; it does not start an empty one.
  if (pageTexts.length > 1 && pageTexts[pageTexts.length - 1]?.trim() === '') pageTexts.pop();
  return pageTexts.map((pageText, index): DocumentPage => {
    const rawLines = pageText.split(/\r\n|\r|\n/);
    if (rawLines.length > 1 && rawLines[rawLines.length - 1]?.trim() === '') rawLines.pop();
    if (index > 0 && rawLines[0]?.trim() === '') rawLines.shift();
    const lines: DocumentLine[] = rawLines.map((line) => ({ text: line.trimEnd(), box: null, page: index + 1 }));
    return { page: index + 1, width: 0, height: 0, source: 'plain', lines };
  });
}
