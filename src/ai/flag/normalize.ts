/**
 * Normalisation of the identifiers FLAG compares: counterparty names, tax ids, bank accounts,
 * document numbers, and the words of a description. Pure string functions.
 */

/**
 * Legal-form words dropped from the end of a name (after punctuation is removed, so "S.A." is
 * "sa" and "Sdn. Bhd." is "sdn bhd"). Several may stack: "GmbH & Co. KG", "Pte. Ltd.".
 */
const LEGAL_SUFFIXES: ReadonlySet<string> = new Set([
  'ltd', 'limited', 'llc', 'llp', 'lp', 'inc', 'incorporated', 'corp', 'corporation', 'co', 'company', 'plc',
  'gmbh', 'mbh', 'ag', 'kg', 'ohg', 'gbr', 'ug', 'ek', 'ev', 'se',
  'sa', 'sas', 'sarl', 'sl', 'srl', 'spa', 'sro', 'bv', 'nv', 'vof',
  'ab', 'as', 'asa', 'aps', 'oy', 'oyj',
  'pty', 'pte', 'pvt', 'private', 'sdn', 'bhd', 'berhad', 'kk', 'tbk', 'pt', 'cv',
]);

/** Lower case, accents and punctuation removed, "&" read as "and", words separated by one space. */
function plainWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    // "S.A." and "L.L.C." lose their dots before splitting, so they become one word.
    .replace(/(?<=\b\p{L})\.(?=\p{L}\b)/gu, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

/**
 * The comparable form of a company or person name: case, accents, punctuation, a leading "the"
 * and trailing legal forms ignored.
 *
 * ### Examples
 * `normalizeCounterpartyName('Acme Ltd.')` and `normalizeCounterpartyName('ACME LIMITED')` are
 * both "acme"; "Müller GmbH & Co. KG" is "muller"; "Tan Trading Sdn. Bhd." is "tan trading".
 */
export function normalizeCounterpartyName(name: string): string {
  const words = plainWords(name);
  if (words[0] === 'the' && words.length > 1) words.shift();
  let droppedLegalForm = false;
  while (words.length > 1) {
    const last = words[words.length - 1] as string;
    // "Smith & Co." → "smith and" → "smith"; "Smith and Jones" keeps its "and".
    if (LEGAL_SUFFIXES.has(last) || (last === 'and' && droppedLegalForm)) {
      words.pop();
      droppedLegalForm = true;
    } else break;
  }
  return words.join(' ');
}

/** Tax ids compared without spaces, dots, dashes or case: "GB 123 456 789" = "gb123456789". */
export function normalizeTaxId(taxId: string): string {
  return taxId.toUpperCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * Bank accounts compared without spaces, punctuation or case, and without a printed "IBAN" label:
 * "IBAN: de89 3704-0044 0532 0130 00" = "DE89370400440532013000".
 */
export function normalizeBankAccount(account: string): string {
  const compact = account.toUpperCase().replace(/[^\p{L}\p{N}]/gu, '');
  return /^IBAN[A-Z]{2}\d{2}/.test(compact) ? compact.slice(4) : compact;
}

/** Document numbers compared on letters and digits only: "INV-0042" = "inv 0042". */
export function normalizeDocumentNumber(documentNumber: string): string {
  return documentNumber.toUpperCase().replace(/[^\p{L}\p{N}]/gu, '');
}

const STOP_WORDS: ReadonlySet<string> = new Set(['a', 'an', 'and', 'the', 'for', 'of', 'to', 'in', 'on', 'at', 'per', 'with']);

/** The set of content words of a description, for {@link descriptionSimilarity}. */
export function descriptionWords(text: string): Set<string> {
  return new Set(plainWords(text).filter((word) => !STOP_WORDS.has(word)));
}

/**
 * Jaccard similarity of two word sets, 0..1. Two empty descriptions count as identical: nothing
 * tells them apart. "Website maintenance March" vs "Website maintenance April" is 0.5.
 */
export function descriptionSimilarity(left: ReadonlySet<string>, right: ReadonlySet<string>): number {
  if (left.size === 0 && right.size === 0) return 1;
  let shared = 0;
  for (const word of left) if (right.has(word)) shared += 1;
  return shared / (left.size + right.size - shared);
}
