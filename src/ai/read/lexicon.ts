/**
 * Line kinds and word lexicons for the receipt header (vendor name, address, registration
 * numbers, contact lines). Kinds are fixed patterns; lexicons are learned word log-odds
 * ("how much more often does this word occur in a vendor name than in other header lines").
 */
import { digitRatio, words } from './text.ts';

export const ADDRESS_WORDS =
  /\b(JALAN|JLN|JL|TAMAN|TMN|LOT|BANDAR|KAWASAN|SEKSYEN|SEK|LORONG|LRG|PERSIARAN|LEBUH(RAYA)?|KAMPUNG|KG|BLOK|BLOCK|BLK|LEVEL|FLOOR|TINGKAT|UNIT|PLAZA|MALL|PUSAT|PERINDUSTRIAN|INDUSTRI|STREET|ROAD|RD|AVENUE|AVE|SUITE|STR(ASSE|AßE)?|WEG|PLEIN|STRAAT|ULICA|UL)\b|^\s*NO\b/;
export const STATES =
  /\b(JOHOR|SELANGOR|KUALA LUMPUR|PUTRAJAYA|PERAK|PENANG|PULAU PINANG|KEDAH|KELANTAN|TERENGGANU|PAHANG|MELAKA|MALACCA|NEGERI SEMBILAN|SABAH|SARAWAK|PERLIS|LABUAN|MALAYSIA|DARUL EHSAN|SINGAPORE|W\.?P\.?)\b/;
export const POSTCODE = /(?<![\d-])\d{5}(?![\d-])/;
export const COMPANY_SUFFIX =
  /\b(SDN\.?\s*BHD|S\/B|BHD|BERHAD|ENTERPRISE|ENTERPRISES|TRADING|RESTAURANT|RESTORAN|HARDWARE|STATIONERY|MARKETING|HOLDINGS|PERNIAGAAN|SYARIKAT|KEDAI|CAFE|BAKERY|BAKERIES|STORE|SHOP|MART|PHARMACY|FARMASI|COMPANY|LTD|LIMITED|INC|LLC|GMBH|AG|B\.V|PLT|TRADERS?|SUPERMARKET|MINI ?MARKET|SEAFOOD|CORP(ORATION)?)\b\.?/;
const REG_NO = /^[([]?\s*(?:(?:CO|COMPANY|ROC|BR|REG|REGISTRATION)\.?\s*)*(?:NO\.?\s*)?[:.]?\s*[([]?\s*[A-Z]{0,3}\s*\d[\d ]{3,}\s*-?\s*[A-Z]?\s*[)\]]?[.,]?$/;
const CONTACT = /\b(TEL|TELEPHONE|PHONE|FAX|H\/P|HP|MOBILE|EMAIL|E-MAIL|WEBSITE|WWW|HTTPS?)\b|@|\b0\d{1,3}-?\s?\d{3,4}\s?\d{3,5}\b/;
const TAX_ID = /\b(GST|SST|VAT|TAX\s*ID|TIN|BTW|USTID|NIP)\b/;
const TITLE = /\b(INVOICE|RECEIPT|BILL|CASH\s*SALES?|CHECK|ORDER|QUOTATION|TABLE|CASHIER|MEMBER|DOC|SLIP)\b/;
const DATE_TIME = /\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}:\d{2}/;

export interface LineKinds {
  regNo: boolean;
  address: boolean;
  addressStart: boolean;
  postcode: boolean;
  state: boolean;
  companySuffix: boolean;
  contact: boolean;
  taxId: boolean;
  title: boolean;
  dateTime: boolean;
  digits: boolean;
}

export function lineKinds(text: string): LineKinds {
  const upper = text.toUpperCase();
  return {
    regNo: REG_NO.test(upper),
    address: ADDRESS_WORDS.test(upper) || POSTCODE.test(upper) || STATES.test(upper),
    addressStart: /^(NO\b|NO\.|LOT\b|\d|JALAN|JLN|LEVEL|BLOCK|BLK|UNIT|SUITE|G-|TINGKAT|KM\b|BATU\b|[A-Z]-?\d+[-,])/.test(upper),
    postcode: POSTCODE.test(upper),
    state: STATES.test(upper),
    companySuffix: COMPANY_SUFFIX.test(upper),
    contact: CONTACT.test(upper),
    taxId: TAX_ID.test(upper),
    title: TITLE.test(upper),
    dateTime: DATE_TIME.test(upper),
    digits: digitRatio(upper) > 0.5,
  };
}

/** Sets `${prefix}_${kind}` for each kind that is true. */
export function kindFeatures(features: Record<string, number>, prefix: string, kinds: LineKinds | undefined): void {
  if (kinds === undefined) {
    features[`${prefix}_none`] = 1;
    return;
  }
  for (const key in kinds) if (kinds[key as keyof LineKinds]) features[`${prefix}_${key}`] = 1;
}

/** Lexicon tokens: words, numbers reduced to their length (`#5` for a postcode). */
export function lexiconTokens(text: string): string[] {
  return words(text).map((word) => (/^\d+$/.test(word) ? `#${Math.min(word.length, 8)}` : word));
}

export type Lexicon = Record<string, number>;

/** Learns word log-odds (positive lines vs negative lines), add-one smoothed, clipped to ±4. */
export function trainLexicon(positive: readonly string[], negative: readonly string[], minCount = 2): Lexicon {
  const pos = new Map<string, number>();
  const neg = new Map<string, number>();
  const add = (map: Map<string, number>, text: string): void => {
    for (const token of new Set(lexiconTokens(text))) map.set(token, (map.get(token) ?? 0) + 1);
  };
  positive.forEach((text) => add(pos, text));
  negative.forEach((text) => add(neg, text));
  const lexicon: Lexicon = {};
  const nPos = positive.length + 2;
  const nNeg = negative.length + 2;
  for (const token of new Set([...pos.keys(), ...neg.keys()])) {
    const a = pos.get(token) ?? 0;
    const b = neg.get(token) ?? 0;
    if (a + b < minCount) continue;
    const logOdds = Math.log((a + 0.5) / nPos) - Math.log((b + 0.5) / nNeg);
    lexicon[token] = Math.round(Math.max(-4, Math.min(4, logOdds)) * 100) / 100;
  }
  return lexicon;
}

/** Mean log-odds of a text's tokens (unknown tokens count 0), scaled to about [-1, 1]. */
export function lexiconScore(lexicon: Lexicon, text: string): number {
  const tokens = lexiconTokens(text);
  if (tokens.length === 0) return 0;
  let sum = 0;
  for (const token of tokens) sum += lexicon[token] ?? 0;
  return sum / tokens.length / 4;
}
