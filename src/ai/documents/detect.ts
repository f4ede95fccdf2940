/**
 * Decides what a file is: by its bytes first (`%PDF`, PNG and JPEG signatures, RFC 822 headers),
 * then by its declared name or MIME type. A declared PDF or image without its signature is a
 * damaged file (`DOCUMENT_UNREADABLE`); anything else we do not read is `DOCUMENT_UNSUPPORTED`.
 */
import { unreadable, unsupported } from './errors.ts';
import type { DocumentKind } from './types.ts';

export interface DetectedType {
  kind: DocumentKind;
  /** Images only. */
  imageFormat?: 'png' | 'jpeg';
}

export interface DeclaredType {
  filename?: string | undefined;
  contentType?: string | undefined;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Formats we recognise only to say clearly that they are not supported. */
const UNSUPPORTED_SIGNATURES: { label: string; test: (bytes: Uint8Array) => boolean }[] = [
  { label: 'a GIF image', test: (b) => ascii(b, 0, 4) === 'GIF8' },
  { label: 'a TIFF image', test: (b) => ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*' },
  { label: 'a WebP image', test: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP' },
  { label: 'a HEIC/AVIF image', test: (b) => ascii(b, 4, 8) === 'ftyp' && /^(heic|heix|hevc|mif1|msf1|avif)$/.test(ascii(b, 8, 12)) },
  { label: 'a ZIP archive or Office document (Word, Excel)', test: (b) => ascii(b, 0, 4) === 'PK\x03\x04' },
  { label: 'an old Office or Outlook .msg file', test: (b) => startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) },
  { label: 'a gzip archive', test: (b) => startsWith(b, [0x1f, 0x8b]) },
  { label: 'an RTF document', test: (b) => ascii(b, 0, 5) === '{\\rtf' },
];

const EXTENSIONS: Record<string, DetectedType> = {
  pdf: { kind: 'pdf' },
  png: { kind: 'image', imageFormat: 'png' },
  jpg: { kind: 'image', imageFormat: 'jpeg' },
  jpeg: { kind: 'image', imageFormat: 'jpeg' },
  jpe: { kind: 'image', imageFormat: 'jpeg' },
  jfif: { kind: 'image', imageFormat: 'jpeg' },
  eml: { kind: 'email' },
  txt: { kind: 'text' },
  text: { kind: 'text' },
  csv: { kind: 'text' },
  tsv: { kind: 'text' },
  md: { kind: 'text' },
  log: { kind: 'text' },
};

const CONTENT_TYPES: Record<string, DetectedType> = {
  'application/pdf': { kind: 'pdf' },
  'application/x-pdf': { kind: 'pdf' },
  'image/png': { kind: 'image', imageFormat: 'png' },
  'image/jpeg': { kind: 'image', imageFormat: 'jpeg' },
  'image/jpg': { kind: 'image', imageFormat: 'jpeg' },
  'image/pjpeg': { kind: 'image', imageFormat: 'jpeg' },
  'message/rfc822': { kind: 'email' },
  'text/plain': { kind: 'text' },
  'text/csv': { kind: 'text' },
  'text/tab-separated-values': { kind: 'text' },
  'text/markdown': { kind: 'text' },
};

/** Content types that say nothing about the content. */
const GENERIC_CONTENT_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/unknown']);

/** Header names that mark the start of an RFC 822 message. */
const EMAIL_HEADERS = new Set([
  'from', 'to', 'cc', 'subject', 'date', 'message-id', 'mime-version', 'received', 'return-path',
  'delivered-to', 'reply-to', 'content-type', 'x-mailer', 'dkim-signature', 'authentication-results',
]);
const EMAIL_ANCHORS = new Set(['from', 'date', 'message-id', 'received', 'mime-version', 'return-path']);

export function detectDocumentType(bytes: Uint8Array, declared: DeclaredType): DetectedType {
  const { filename } = declared;
  if (bytes.length === 0) throw unreadable(filename, 'the file is empty');
  const sniffed = sniff(bytes);
  if (sniffed !== undefined) return sniffed;
  const badSignature = UNSUPPORTED_SIGNATURES.find((s) => s.test(bytes));
  if (badSignature !== undefined) throw unsupported(filename, badSignature.label);
  if (looksLikeEmail(bytes)) return { kind: 'email' };

  const claimed = declaredType(declared);
  if (claimed !== undefined && claimed !== 'unknown') {
    switch (claimed.kind) {
      case 'pdf':
        throw unreadable(filename, 'it is not a valid PDF (no %PDF header)');
      case 'image':
        throw unreadable(filename, `it is not a valid ${claimed.imageFormat === 'png' ? 'PNG' : 'JPEG'} image`);
      case 'email':
        return claimed;
      case 'text':
        if (looksLikeText(bytes)) return claimed;
        throw unreadable(filename, 'it is declared as text but contains binary data');
      default: {
        const exhaustive: never = claimed.kind;
        throw new Error(`unhandled kind ${String(exhaustive)}`);
      }
    }
  }
  if (looksLikeHtml(bytes)) throw unsupported(filename, 'an HTML page');
  if (claimed === undefined && looksLikeText(bytes)) return { kind: 'text' };
  throw unsupported(filename, describeDeclared(declared));
}

function sniff(bytes: Uint8Array): DetectedType | undefined {
  if (startsWith(bytes, PNG_SIGNATURE)) return { kind: 'image', imageFormat: 'png' };
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { kind: 'image', imageFormat: 'jpeg' };
  // The PDF header may follow some junk; readers accept it within the first 1024 bytes.
  if (ascii(bytes, 0, Math.min(bytes.length, 1024)).includes('%PDF-')) return { kind: 'pdf' };
  return undefined;
}

/**
 * The type the name or MIME type claims: a {@link DetectedType}, `'unknown'` when one of them
 * names a type we do not read, or `undefined` when nothing was declared.
 */
function declaredType({ filename, contentType }: DeclaredType): DetectedType | 'unknown' | undefined {
  const extension = /\.([a-z0-9]{1,8})$/i.exec(filename ?? '')?.[1]?.toLowerCase();
  if (extension !== undefined) return EXTENSIONS[extension] ?? 'unknown';
  const mime = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (GENERIC_CONTENT_TYPES.has(mime)) return undefined;
  return CONTENT_TYPES[mime] ?? (mime.startsWith('text/') && mime !== 'text/html' ? { kind: 'text' } : 'unknown');
}

function describeDeclared({ filename, contentType }: DeclaredType): string {
  const extension = /\.([a-z0-9]{1,8})$/i.exec(filename ?? '')?.[1]?.toLowerCase();
  if (extension !== undefined) return `a .${extension} file`;
  const mime = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!GENERIC_CONTENT_TYPES.has(mime)) return `of type ${mime}`;
  return 'a binary file of an unknown type';
}

/** RFC 822: a header block of `Name: value` lines (with folded continuations) naming known headers. */
function looksLikeEmail(bytes: Uint8Array): boolean {
  const head = latin1(bytes, 0, Math.min(bytes.length, 16 * 1024)).replace(/^\uFEFF/, '');
  const lines = head.split(/\r?\n/);
  if (lines[0]?.startsWith('From ')) lines.shift(); // mbox separator line
  const names = new Set<string>();
  for (const line of lines) {
    if (line === '') break;
    if (/^[ \t]/.test(line)) {
      if (names.size === 0) return false;
      continue;
    }
    const match = /^([!-9;-~]+):/.exec(line);
    if (match === null) return false;
    names.add(match[1]?.toLowerCase() ?? '');
  }
  const known = [...names].filter((name) => EMAIL_HEADERS.has(name));
  return known.length >= 2 && known.some((name) => EMAIL_ANCHORS.has(name));
}

function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = latin1(bytes, 0, Math.min(bytes.length, 1024)).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html');
}

/** No NUL bytes and hardly any other control characters (UTF-16 with a BOM counts as text). */
export function looksLikeText(bytes: Uint8Array): boolean {
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return true;
  const sample = bytes.subarray(0, 64 * 1024);
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return false;
    if ((byte < 0x09 || (byte > 0x0d && byte < 0x20 && byte !== 0x1b) || byte === 0x7f)) control += 1;
  }
  return control <= sample.length / 100;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((value, index) => bytes[index] === value);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return latin1(bytes, start, end);
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.max(0, Math.min(end, bytes.length) - start)).toString('latin1');
}
