/**
 * parseDocumentSentence: one sentence → a draft business document, offline and deterministic.
 *
 * The sentence is data, never instructions. Status is always "draft"; the first kind word decides
 * the kind; totals are computed from the lines (see money/totals.ts), never read from the text.
 *
 * Pipeline (each step masks what it read, so later steps cannot re-read it):
 * dates → kind → reference → tax phrases → amounts → quantities → client → descriptions.
 *
 * Decisions:
 * - taxRate is a percentage string ("19", "7.7", "0"). null means "not stated and no
 *   defaultTaxRate": such lines add no tax, and confidence.taxRate is low so a person sets it.
 * - Rounding is half-up (halves away from zero) to the currency's minor unit, per line: line net
 *   = round(quantity × unitPrice), line tax = round(net × rate / 100).
 * - unitPrice is always net. An inclusive price ("€100 incl. 19% VAT") becomes the net price whose
 *   line, computed as above, gives back the stated gross (84.03 + 15.97 = 100.00). When no net
 *   price in whole minor units can (at 19%, €1.03 cannot: 0.87 gives 1.04, 0.86 gives 1.02), the
 *   nearest is used and confidence.lines drops to 0.7.
 * - Credit notes carry positive amounts (the kind says it is a credit); "-£20" on a credit note is
 *   read as 20.00. A negative amount on any other kind is an error.
 * - dueDate applies to invoices, purchase orders and credit notes; validUntil to quotes and
 *   estimates. Neither is invented when the sentence does not state it.
 */
import { extractAmounts } from './amounts.ts';
import { formatIsoDate, parseIsoDate } from './calendar.ts';
import type { CalendarDate } from './calendar.ts';
import { extractClient } from './client.ts';
import { resolveDate, extractDates } from './dates.ts';
import type { FoundDate } from './dates.ts';
import { DraftErrorCode, draftError } from './errors.ts';
import { extractKind } from './kind.ts';
import { attachQuantities, describeLines } from './lines.ts';
import type { LineSlot } from './lines.ts';
import {
  computeTotals,
  currencyDigits,
  formatMinor,
  isCurrency,
  netPriceForGross,
  normalizeTaxRate,
  powerOfTen,
  rescaleExact,
  Rounding,
} from './money/index.ts';
import type { PricedLine } from './money/index.ts';
import { extractReference } from './reference.ts';
import { extractTaxPhrases, TaxMode } from './tax.ts';
import type { TaxPhrase } from './tax.ts';
import { MaskedText, normalizeSentence } from './text.ts';
import { DocumentKind } from './types.ts';
import type { DraftDocument, DraftLine, ParseDocumentOptions } from './types.ts';

/** Longest sentence accepted, after normalisation. */
export const MAX_SENTENCE_LENGTH = 1000;
/** Largest unit price or total accepted, in major units (one trillion). */
export const MAX_AMOUNT_MAJOR = 1_000_000_000_000n;
/** The rounding every computed amount uses. */
export const DRAFT_ROUNDING: Rounding = Rounding.halfUp;

const DUE_KINDS: ReadonlySet<DocumentKind> = new Set([DocumentKind.invoice, DocumentKind.purchaseOrder, DocumentKind.creditNote]);
const DUE_EXPECTED: ReadonlySet<DocumentKind> = new Set([DocumentKind.invoice, DocumentKind.purchaseOrder]);
const VALIDITY_KINDS: ReadonlySet<DocumentKind> = new Set([DocumentKind.quote, DocumentKind.estimate]);

interface Settings {
  readonly today: CalendarDate;
  readonly defaultCurrency: string;
  readonly defaultTaxRate: string | null;
}

/**
 * Turns one sentence into a draft document. Throws a ValidationError with a DRAFT_* code (see
 * errors.ts) when the sentence lacks an amount or a client, or states something unusable.
 *
 * ### Examples
 * ```ts
 * parseDocumentSentence('Invoice Acme Ltd $2,500 for website development due in 14 days', { today: '2026-11-22' });
 * // → { kind: 'invoice', client: { name: 'Acme Ltd' }, currency: 'USD', lines: [{ description:
 * //   'website development', quantity: '1', unitPrice: '2500.00', taxRate: null }], subtotal: '2500.00',
 * //   taxTotal: '0.00', total: '2500.00', issueDate: '2026-11-22', dueDate: '2026-12-06', ... }
 * ```
 */
export function parseDocumentSentence(sentence: string, options: ParseDocumentOptions): DraftDocument {
  const settings = readOptions(options);
  const text = new MaskedText(readSentence(sentence));

  const dates = extractDates(text, settings.today);
  const foundKind = extractKind(text);
  const kind = foundKind?.kind ?? DocumentKind.invoice;
  const reference = extractReference(text);
  const taxPhrases = extractTaxPhrases(text);
  const tokens = extractAmounts(text, settings.defaultCurrency);
  const [firstToken] = tokens;
  if (firstToken === undefined) {
    throw draftError(DraftErrorCode.amountMissing, 'No amount found: write one with its currency, such as "$2,500" or "1200 EUR".', {
      path: 'lines',
    });
  }
  const negative = tokens.find((token) => token.negative);
  if (negative !== undefined && kind !== DocumentKind.creditNote) {
    throw draftError(
      DraftErrorCode.amountNegative,
      `Amount "${text.original.slice(negative.span.start, negative.span.end)}" is negative; only a credit note may credit money.`,
      { path: 'lines.unitPrice' },
    );
  }
  const slots = attachQuantities(text, tokens);
  const client = extractClient(text, foundKind?.span ?? null);
  if (client === null) {
    throw draftError(DraftErrorCode.clientMissing, 'No client found: name who the document is for, as in "Invoice Acme Ltd $500".', {
      path: 'client.name',
    });
  }
  const fallbackDescription = kind === DocumentKind.creditNote ? (reference === null ? 'Credit' : `Credit for ${reference.value}`) : 'Services';
  const descriptions = describeLines(text, slots, foundKind?.span.end ?? 0, fallbackDescription);

  const currency = firstToken.currency;
  const priced = slots.map((slot, index) => priceLine(slot, taxFor(slot, index, slots, taxPhrases, text), settings, currency));
  const totals = computeTotals(priced.map((line) => line.priced), DRAFT_ROUNDING);
  if (totals.totalMinor > MAX_AMOUNT_MAJOR * powerOfTen(currencyDigits(currency))) throw tooLarge(formatMinor(totals.totalMinor, currency), currency);

  const issue = dates.issue === null ? settings.today : resolveDate(dates.issue.rule, settings.today);
  const due = applicableDate(dates.due, DUE_KINDS.has(kind), DUE_EXPECTED.has(kind), issue);
  const validUntil = applicableDate(dates.validUntil, VALIDITY_KINDS.has(kind), VALIDITY_KINDS.has(kind), issue);
  const lines: DraftLine[] = priced.map((line, index) => ({
    description: descriptions[index]?.text ?? fallbackDescription,
    quantity: line.priced.quantity,
    unitPrice: formatMinor(line.priced.unitPriceMinor, currency),
    taxRate: line.priced.taxRate,
  }));

  return {
    kind,
    client: { name: client.name },
    currency,
    lines,
    subtotal: formatMinor(totals.subtotalMinor, currency),
    taxTotal: formatMinor(totals.taxTotalMinor, currency),
    total: formatMinor(totals.totalMinor, currency),
    issueDate: formatIsoDate(issue),
    dueDate: due.value,
    validUntil: validUntil.value,
    reference: reference?.value ?? null,
    status: 'draft',
    confidence: {
      kind: foundKind?.confidence ?? 0.3,
      client: client.confidence,
      currency: Math.min(...tokens.map((token) => token.currencyConfidence)),
      lines: Math.min(...priced.map((line) => line.confidence)),
      description: Math.min(...descriptions.map((description) => description.confidence)),
      taxRate: Math.min(...priced.map((line) => line.taxConfidence)),
      issueDate: dates.issue?.confidence ?? 0.8,
      dueDate: due.confidence,
      validUntil: validUntil.confidence,
      reference: reference?.confidence ?? 0.9,
    },
  };
}

interface LineTax {
  readonly mode: TaxMode;
  readonly rate: string | null;
  readonly confidence: number;
}

/**
 * A tax phrase right after a line's amount ("$500 + 19% VAT for design") is that line's; any other
 * phrase ("..., plus 20% VAT") is the sentence's and applies to every line without its own.
 */
function taxFor(slot: LineSlot, index: number, slots: readonly LineSlot[], phrases: readonly TaxPhrase[], text: MaskedText): LineTax | null {
  const attachedTo = (phrase: TaxPhrase): number =>
    slots.findIndex((candidate) => candidate.span.end <= phrase.span.start && /^[\s(]*$/.test(text.original.slice(candidate.span.end, phrase.span.start)));
  const own = phrases.find((phrase) => attachedTo(phrase) === index);
  const shared = phrases.filter((phrase) => attachedTo(phrase) === -1);
  const phrase = own ?? shared[0];
  if (phrase === undefined) return null;
  const conflicting = own === undefined && shared.some((other) => other.rate !== phrase.rate || other.mode !== phrase.mode);
  return { mode: phrase.mode, rate: phrase.rate, confidence: conflicting ? 0.5 : 1 };
}

interface PricedDraftLine {
  readonly priced: PricedLine;
  readonly confidence: number;
  readonly taxConfidence: number;
}

function priceLine(slot: LineSlot, tax: LineTax | null, settings: Settings, currency: string): PricedDraftLine {
  const digits = currencyDigits(currency);
  const written = slot.token.amount;
  const unitMinor = rescaleExact(written, digits);
  if (unitMinor === null) {
    throw draftError(
      DraftErrorCode.amountPrecision,
      `An amount has more decimal places than ${currency} allows (${digits}); round it to whole ${digits === 0 ? 'units' : 'minor units'}.`,
      { path: 'lines.unitPrice', currency },
    );
  }
  if (unitMinor > MAX_AMOUNT_MAJOR * powerOfTen(digits)) throw tooLarge(formatMinor(unitMinor, currency), currency);
  const rate = tax?.rate ?? settings.defaultTaxRate;
  const taxConfidence = tax === null ? (rate === null ? 0.3 : 0.6) : tax.rate !== null ? tax.confidence : rate === null ? 0.2 : 0.7;
  const base = Math.min(slot.token.amountConfidence, slot.quantityConfidence);
  if (tax?.mode === TaxMode.inclusive && rate !== null) {
    const net = netPriceForGross(unitMinor, slot.quantity, rate, DRAFT_ROUNDING);
    return {
      priced: { quantity: slot.quantity, unitPriceMinor: net.unitPriceMinor, taxRate: rate },
      confidence: net.exact ? base : Math.min(base, 0.7),
      taxConfidence,
    };
  }
  return { priced: { quantity: slot.quantity, unitPriceMinor: unitMinor, taxRate: rate }, confidence: base, taxConfidence };
}

function applicableDate(
  found: FoundDate | null,
  applies: boolean,
  expected: boolean,
  issue: CalendarDate,
): { value: string | null; confidence: number } {
  if (!applies) return { value: null, confidence: found === null ? 1 : 0.8 };
  if (found === null) return { value: null, confidence: expected ? 0.5 : 1 };
  return { value: formatIsoDate(resolveDate(found.rule, issue)), confidence: found.confidence };
}

function tooLarge(written: string, currency: string): Error {
  return draftError(
    DraftErrorCode.amountTooLarge,
    `Amount ${written} ${currency} is larger than this parser accepts (${MAX_AMOUNT_MAJOR.toLocaleString('en-US')}); check the number.`,
    { path: 'lines.unitPrice', currency },
  );
}

function readSentence(sentence: unknown): string {
  const normalized = typeof sentence === 'string' ? normalizeSentence(sentence) : '';
  if (normalized.length === 0) {
    throw draftError(DraftErrorCode.sentenceEmpty, 'The sentence is empty: describe the document, as in "Invoice Acme Ltd $500 for design".', {
      path: 'sentence',
    });
  }
  if (normalized.length > MAX_SENTENCE_LENGTH) {
    throw draftError(DraftErrorCode.sentenceTooLong, `The sentence has ${normalized.length} characters; one sentence of at most ${MAX_SENTENCE_LENGTH} is expected.`, {
      path: 'sentence',
    });
  }
  return normalized;
}

function readOptions(options: ParseDocumentOptions): Settings {
  const today = typeof options.today === 'string' ? parseIsoDate(options.today) : null;
  if (today === null) {
    throw draftError(DraftErrorCode.optionInvalid, `Option today must be a real date written YYYY-MM-DD, got ${JSON.stringify(options.today)}.`, {
      path: 'today',
    });
  }
  const defaultCurrency = options.defaultCurrency ?? 'USD';
  if (!isCurrency(defaultCurrency)) {
    throw draftError(DraftErrorCode.currencyUnknown, `Option defaultCurrency "${defaultCurrency}" is not an ISO 4217 currency code such as USD.`, {
      path: 'defaultCurrency',
    });
  }
  let defaultTaxRate: string | null = null;
  if (options.defaultTaxRate !== undefined) {
    try {
      defaultTaxRate = normalizeTaxRate(String(options.defaultTaxRate));
    } catch {
      throw draftError(DraftErrorCode.taxRateInvalid, `Option defaultTaxRate "${String(options.defaultTaxRate)}" must be a percentage from 0 to 100, such as "19".`, {
        path: 'defaultTaxRate',
      });
    }
  }
  return { today, defaultCurrency, defaultTaxRate };
}
