/**
 * The edge: a {@link RenderableDocument} is checked with zod and copied into a {@link ValidDocument}
 * (optional fields as null, texts trimmed, locale defaulted) before anything is drawn. A bad field
 * is a ValidationError `PDF_INPUT_INVALID` whose `details.path` names it ("lines.3.amount").
 */
import { z } from 'zod';
import { ValidationError } from '../../../core/errors.ts';
import { compareDecimal, currencyDigits, isCurrency, parseDecimal } from '../../../ai/draft/money/index.ts';
import { pngProblem } from './logo.ts';
import { DOCUMENT_KINDS } from './types.ts';

export const PdfErrorCode = {
  inputInvalid: 'PDF_INPUT_INVALID',
} as const;
export type PdfErrorCode = (typeof PdfErrorCode)[keyof typeof PdfErrorCode];

export const MAX_LINES = 1000;
/** Extra digits a unit price may carry beyond the currency's ("0.125" per kWh). */
export const MAX_UNIT_PRICE_DECIMALS = 6;
export const DEFAULT_LOCALE = 'en-US';

const signedDecimal = /^-?\d{1,18}(?:\.\d{1,12})?$/;
const unsignedDecimal = /^\d{1,6}(?:\.\d{1,6})?$/;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** 2026-02-28 yes, 2026-02-30 no. */
function isCalendarDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * Line breaks as "\n", tabs as spaces, ends trimmed; other control characters dropped, and so are
 * bidirectional overrides, which could make "IBAN …1234" display as "…4321" on a payment document.
 */
function cleanText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      .replace(/\t/g, ' ')
      // eslint-disable-next-line no-control-regex -- stripping control characters is the point
      .replace(/[\u0000-\u0008\u000B-\u001F\u007F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, '')
      .trim()
  );
}

const requiredText = (max: number) =>
  z.string().transform(cleanText).pipe(z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`));

/** Absent, null and blank all mean "not given" (null). */
const optionalText = (max: number) =>
  z
    .string()
    .nullish()
    .transform((value) => (value === undefined || value === null ? '' : cleanText(value)))
    .pipe(z.string().max(max, `must be at most ${max} characters`))
    .transform((value) => (value === '' ? null : value));

const money = z.string().regex(signedDecimal, 'must be a plain decimal such as 1200.50 (no grouping, no currency sign)');
const optionalMoney = money.nullish().transform((value) => value ?? null);
const quantity = z.string().regex(signedDecimal, 'must be a plain decimal such as 2 or 2.5');
const percent = z.string().regex(unsignedDecimal, 'must be a percentage such as 19 or 7.5');
const optionalPercent = percent.nullish().transform((value) => value ?? null);

const calendarDate = z
  .string()
  .regex(isoDate, 'must be a date written YYYY-MM-DD')
  // zod runs this check even after the pattern failed: test the pattern again before parsing.
  .refine((value) => !isoDate.test(value) || isCalendarDate(value), 'is not a real calendar date');
const optionalDate = calendarDate.nullish().transform((value) => value ?? null);

const email = optionalText(254).refine((value) => value === null || /^[^\s@]+@[^\s@]+$/.test(value), 'is not an email address');

const payUrl = optionalText(2000).refine((value) => {
  if (value === null) return true;
  // Only web links become clickable: a javascript: or file: link on a document is an attack.
  const url = URL.parse(value);
  return url !== null && (url.protocol === 'https:' || url.protocol === 'http:');
}, 'must be an http or https link');

function isSupportedLocale(tag: string): boolean {
  try {
    return Intl.NumberFormat.supportedLocalesOf(tag).length > 0 && Intl.DateTimeFormat.supportedLocalesOf(tag).length > 0;
  } catch {
    return false; // not even a well-formed BCP 47 tag
  }
}

const logo = z
  .instanceof(Uint8Array, { message: 'must be the bytes of a PNG image' })
  .superRefine((bytes, ctx) => {
    const problem = pngProblem(bytes);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  })
  .nullish()
  .transform((value) => (value === undefined || value === null ? null : Buffer.from(value)));

const bank = z
  .object({
    accountName: optionalText(200),
    iban: optionalText(50),
    bic: optionalText(20),
    accountNumber: optionalText(50),
    sortCode: optionalText(20),
  })
  .nullish()
  .transform((value) => value ?? null);

const line = z.object({
  description: requiredText(1000),
  quantity,
  unit: optionalText(20),
  unitPrice: money,
  discount: optionalPercent.refine((value) => value === null || !unsignedDecimal.test(value) || compareDecimal(parseDecimal(value), parseDecimal('100')) <= 0, 'must be at most 100'),
  taxRate: optionalPercent,
  amount: money,
});

const documentSchema = z
  .object({
    kind: z.enum(DOCUMENT_KINDS),
    number: requiredText(60),
    issueDate: calendarDate,
    dueDate: optionalDate,
    validUntil: optionalDate,
    reference: optionalText(100),
    currency: z.string().refine(isCurrency, 'must be an ISO 4217 currency code in upper case, such as EUR'),
    business: z.object({
      name: requiredText(200),
      address: optionalText(500),
      email,
      phone: optionalText(50),
      taxId: optionalText(50),
      logoPng: logo,
      bank,
    }),
    client: z.object({
      name: requiredText(200),
      contact: optionalText(200),
      address: optionalText(500),
      email,
      taxId: optionalText(50),
    }),
    lines: z.array(line).min(1, 'must have at least one line').max(MAX_LINES, `must have at most ${MAX_LINES} lines`),
    subtotal: money,
    taxTotal: money,
    total: money,
    taxSummary: z
      .array(z.object({ rate: percent, base: money, tax: money }))
      .max(50)
      .optional()
      .transform((value) => value ?? []),
    amountPaid: optionalMoney,
    amountCredited: optionalMoney,
    amountDue: optionalMoney,
    terms: optionalText(20_000), // full terms and conditions run to several pages
    notes: optionalText(4000),
    paymentInstructions: optionalText(2000),
    payUrl,
    locale: z
      .string()
      .optional()
      .transform((value) => value ?? DEFAULT_LOCALE)
      .refine(isSupportedLocale, 'must be a locale this server knows, such as en-US or de-DE'),
  })
  .superRefine((doc, ctx) => {
    // Amounts may not carry more digits than the currency has: "12.345" EUR is a mistake upstream.
    // Other issues do not stop this check from running: skip what is already reported.
    if (!isCurrency(doc.currency)) return;
    const digits = currencyDigits(doc.currency);
    const check = (value: string | null, path: (string | number)[], maxPlaces: number) => {
      if (value !== null && signedDecimal.test(value) && parseDecimal(value).scale > maxPlaces) {
        ctx.addIssue({ code: 'custom', path, message: `has more decimal places than ${doc.currency} allows (${maxPlaces})` });
      }
    };
    for (const field of ['subtotal', 'taxTotal', 'total', 'amountPaid', 'amountCredited', 'amountDue'] as const) check(doc[field], [field], digits);
    doc.lines.forEach((item, index) => {
      check(item.amount, ['lines', index, 'amount'], digits);
      check(item.unitPrice, ['lines', index, 'unitPrice'], Math.max(digits, MAX_UNIT_PRICE_DECIMALS));
    });
    doc.taxSummary.forEach((row, index) => {
      check(row.base, ['taxSummary', index, 'base'], digits);
      check(row.tax, ['taxSummary', index, 'tax'], digits);
    });
  });

/** The checked, normalised document the renderer draws. */
export type ValidDocument = z.output<typeof documentSchema>;

/** Checks and normalises a document; throws `PDF_INPUT_INVALID` naming the first bad field. */
export function validateDocument(input: unknown): ValidDocument {
  const parsed = documentSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.length === 0 ? 'document' : issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const first = issues[0] ?? { path: 'document', message: 'is invalid' };
  const more = issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : '';
  throw new ValidationError(PdfErrorCode.inputInvalid, `Cannot render the document: ${first.path}: ${first.message}${more}.`, {
    details: { path: first.path, issues },
  });
}
