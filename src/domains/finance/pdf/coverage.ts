/**
 * Refuses text the embedded font cannot print, instead of sending a document with empty boxes
 * where a name should be. DejaVu Sans covers Latin, Greek and Cyrillic and the currency signs,
 * not CJK or Indic scripts; right-to-left scripts have glyphs but pdfkit does not reorder them,
 * so they would print backwards. Both are refused with the field named, and so is a locale whose
 * numbers or dates need such characters (zh-CN dates "2026年3月1日", bn-BD digits, ar-EG).
 */
import { readFileSync } from 'node:fs';
import { create, type Font } from 'fontkit';
import { ValidationError } from '../../../core/errors.ts';
import { FONT_BOLD, FONT_FILES, FONT_REGULAR } from './fonts.ts';
import { documentFormat } from './format.ts';
import { PdfErrorCode, type ValidDocument } from './schema.ts';

const RIGHT_TO_LEFT = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Adlam}]/u;
const RIGHT_TO_LEFT_SCRIPTS: ReadonlySet<string> = new Set(['Arab', 'Hebr', 'Syrc', 'Thaa', 'Nkoo', 'Adlm', 'Rohg']);
const MAX_NAMED_CHARACTERS = 5;

let fonts: readonly Font[] | undefined;

/** Parsed once per process: read-only tables, the same for every render. */
function loadedFonts(): readonly Font[] {
  fonts ??= [FONT_REGULAR, FONT_BOLD].map((name) => create(readFileSync(FONT_FILES[name])));
  return fonts;
}

/** The characters of `text` that would not print as written, each once. */
export function unprintableCharacters(text: string): string[] {
  const missing = new Set<string>();
  for (const character of text) {
    const codePoint = character.codePointAt(0) ?? 0;
    if (codePoint <= 0x7e || /\s/u.test(character)) continue;
    if (RIGHT_TO_LEFT.test(character) || loadedFonts().some((font) => !font.hasGlyphForCodePoint(codePoint))) {
      missing.add(character);
    }
  }
  return [...missing];
}

function refuse(path: string, what: string, missing: string[]): never {
  const named = missing.slice(0, MAX_NAMED_CHARACTERS).map((character) => `"${character}"`).join(', ');
  const more = missing.length > MAX_NAMED_CHARACTERS ? ` and ${missing.length - MAX_NAMED_CHARACTERS} more` : '';
  const why = missing.some((character) => RIGHT_TO_LEFT.test(character))
    ? 'right-to-left text is not supported yet'
    : 'the PDF font (DejaVu Sans) has no glyph for them';
  throw new ValidationError(PdfErrorCode.inputInvalid, `Cannot render the document: ${path}: ${what} ${named}${more}; ${why}.`, {
    details: { path, characters: missing },
  });
}

/** Every text field of the document with its path. */
function textFields(doc: ValidDocument): [string, string | null][] {
  const { business, client } = doc;
  const fields: [string, string | null][] = [
    ['number', doc.number],
    ['reference', doc.reference],
    ['business.name', business.name],
    ['business.address', business.address],
    ['business.email', business.email],
    ['business.phone', business.phone],
    ['business.taxId', business.taxId],
    ['client.name', client.name],
    ['client.contact', client.contact],
    ['client.address', client.address],
    ['client.email', client.email],
    ['client.taxId', client.taxId],
    ['terms', doc.terms],
    ['notes', doc.notes],
    ['paymentInstructions', doc.paymentInstructions],
    ['payUrl', doc.payUrl],
  ];
  for (const [key, value] of Object.entries(business.bank ?? {})) fields.push([`business.bank.${key}`, value]);
  doc.lines.forEach((line, index) => {
    fields.push([`lines.${index}.description`, line.description], [`lines.${index}.unit`, line.unit]);
  });
  return fields;
}

/** Throws `PDF_INPUT_INVALID` naming the first field, or the locale, that would not print as written. */
export function assertPrintable(doc: ValidDocument): void {
  const script = new Intl.Locale(doc.locale).maximize().script;
  if (script !== undefined && RIGHT_TO_LEFT_SCRIPTS.has(script)) {
    throw new ValidationError(PdfErrorCode.inputInvalid, `Cannot render the document: locale: ${doc.locale} is written right to left, which is not supported yet.`, {
      details: { path: 'locale' },
    });
  }
  const format = documentFormat(doc.locale, doc.currency);
  const samples = [format.money('-1234567.89'), format.quantity('1234.5'), format.percent('12.5'), format.date('2026-12-31')];
  const localeMissing = unprintableCharacters(samples.join(' '));
  if (localeMissing.length > 0) refuse('locale', `numbers and dates in ${doc.locale} (${doc.currency}) use`, localeMissing);
  for (const [path, value] of textFields(doc)) {
    if (value === null) continue;
    const missing = unprintableCharacters(value);
    if (missing.length > 0) refuse(path, 'has', missing);
  }
}
