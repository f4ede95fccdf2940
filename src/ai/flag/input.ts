/**
 * The edge of FLAG: zod schemas for the document, the history and the options, and their parsed,
 * normalised form. Anything that does not validate is a ValidationError `FLAG_INPUT_INVALID`
 * whose `details.path` names the field, e.g. `doc.lines[2].quantity` or `history[4].total`.
 */
import { z } from 'zod';
import { ValidationError } from '../../core/errors.ts';
import { currencyDigits, isCurrency, parseDecimal, parseDecimalToMinor, rescaleExact } from '../draft/money/index.ts';
import { dayNumber } from './days.ts';
import {
  descriptionWords,
  normalizeBankAccount,
  normalizeCounterpartyName,
  normalizeDocumentNumber,
  normalizeTaxId,
} from './normalize.ts';
import { Direction, DocumentKind } from './types.ts';
import type { FlagDocument, FlagOptions } from './types.ts';

export const FLAG_INPUT_INVALID = 'FLAG_INPUT_INVALID';

const DECIMAL = /^-?\d+(?:\.\d+)?$/;
const decimal = z
  .string()
  .regex(DECIMAL, 'must be a plain decimal such as 1250.00 (no currency sign, no thousands separator)');
const taxRate = decimal.refine((rate) => !rate.startsWith('-') && Number(rate) <= 100, 'must be a percentage from 0 to 100');
const calendarDate = z.string().refine((value) => dayNumber(value) !== null, 'must be a calendar date written YYYY-MM-DD');

const lineSchema = z.object({
  description: z.string(),
  quantity: decimal,
  unitPrice: decimal,
  taxRate: taxRate.nullish(),
  amount: decimal.nullish(),
});

const documentSchema = z
  .object({
    id: z.string().min(1).optional(),
    kind: z.enum(DocumentKind),
    direction: z.enum(Direction).optional(),
    number: z.string().nullish(),
    counterparty: z.object({
      name: z.string().trim().min(1, 'must name the counterparty'),
      taxId: z.string().nullish(),
      email: z.string().nullish(),
      bankAccount: z.string().nullish(),
    }),
    currency: z.string().refine(isCurrency, 'must be an ISO 4217 code in upper case such as EUR'),
    issueDate: calendarDate.nullish(),
    dueDate: calendarDate.nullish(),
    lines: z.array(lineSchema).optional(),
    subtotal: decimal.nullish(),
    taxTotal: decimal.nullish(),
    total: decimal,
    fileHash: z.string().nullish(),
    description: z.string().nullish(),
  })
  .superRefine((doc, context) => {
    // Stated amounts must fit the currency: "12.345" is not a USD amount, "0.5" not a JPY one.
    // zod runs this even when a field above failed (those issues do not abort), so re-check.
    if (!isCurrency(doc.currency)) return;
    const digits = currencyDigits(doc.currency);
    const amounts: [PropertyKey[], string | null | undefined][] = [
      [['subtotal'], doc.subtotal],
      [['taxTotal'], doc.taxTotal],
      [['total'], doc.total],
      ...(doc.lines ?? []).map((line, index): [PropertyKey[], string | null | undefined] => [['lines', index, 'amount'], line.amount]),
    ];
    for (const [path, value] of amounts) {
      if (typeof value === 'string' && DECIMAL.test(value) && rescaleExact(parseDecimal(value), digits) === null) {
        context.addIssue({ code: 'custom', path, message: `has more decimal places than ${doc.currency} allows (${digits})` });
      }
    }
  });

const optionsSchema = z.object({
  today: calendarDate,
  duplicateWindowDays: z.number().int().min(0).max(3650).default(30),
  futureDays: z.number().int().min(0).max(36_500).default(365),
  minHistoryForStats: z.number().int().min(1).max(100_000).default(4),
});

/** Options with defaults filled in; `today` is a day number, or null when no options were given. */
export interface ResolvedOptions {
  readonly today: number | null;
  readonly duplicateWindowDays: number;
  readonly futureDays: number;
  readonly minHistoryForStats: number;
}

/** Documents are compared within a family: a quote and the invoice that follows it are not duplicates. */
export type KindFamily = 'invoice' | 'quote' | 'purchase_order' | 'credit_note' | 'receipt';

/** A validated document with everything the checks compare already normalised. */
export interface ParsedDocument {
  readonly source: FlagDocument;
  readonly id: string | null;
  /** Position in the history array; null for the document being checked. */
  readonly historyIndex: number | null;
  readonly family: KindFamily;
  readonly direction: Direction;
  /** Who the counterparty is to the business: a client it bills or a vendor it pays. */
  readonly role: 'client' | 'vendor';
  readonly currency: string;
  readonly totalMinor: bigint;
  readonly subtotalMinor: bigint | null;
  readonly taxTotalMinor: bigint | null;
  readonly issueDay: number | null;
  readonly dueDay: number | null;
  readonly name: string;
  readonly taxId: string | null;
  readonly bankAccount: string | null;
  readonly number: string | null;
  readonly fileHash: string | null;
  readonly words: ReadonlySet<string>;
}

export function parseDocument(input: unknown, path: string, historyIndex: number | null): ParsedDocument {
  const source: FlagDocument = validate(documentSchema, input, path);
  const direction = source.direction ?? (source.kind === 'bill' || source.kind === 'receipt' ? 'incoming' : 'outgoing');
  const minor = (value: string | null | undefined): bigint | null =>
    value === null || value === undefined ? null : parseDecimalToMinor(value, source.currency);
  const nonEmpty = (value: string | null | undefined, normalize: (raw: string) => string): string | null => {
    const normalized = value === null || value === undefined ? '' : normalize(value);
    return normalized === '' ? null : normalized;
  };
  const description = source.description ?? (source.lines ?? []).map((line) => line.description).join(' ');
  return {
    source,
    id: source.id ?? null,
    historyIndex,
    family: familyOf(source.kind),
    direction,
    role: direction === 'incoming' || source.kind === 'purchase_order' ? 'vendor' : 'client',
    currency: source.currency,
    totalMinor: parseDecimalToMinor(source.total, source.currency),
    subtotalMinor: minor(source.subtotal),
    taxTotalMinor: minor(source.taxTotal),
    issueDay: source.issueDate === null || source.issueDate === undefined ? null : dayNumber(source.issueDate),
    dueDay: source.dueDate === null || source.dueDate === undefined ? null : dayNumber(source.dueDate),
    name: normalizeCounterpartyName(source.counterparty.name) || source.counterparty.name.trim().toLowerCase(),
    taxId: nonEmpty(source.counterparty.taxId, normalizeTaxId),
    bankAccount: nonEmpty(source.counterparty.bankAccount, normalizeBankAccount),
    number: nonEmpty(source.number, normalizeDocumentNumber),
    fileHash: nonEmpty(source.fileHash, (hash) => hash.trim().toLowerCase()),
    words: descriptionWords(description),
  };
}

export function parseHistory(input: unknown): ParsedDocument[] {
  const entries = validate(z.array(z.unknown(), { error: 'must be an array of documents' }), input, 'history');
  return entries.map((entry, index) => parseDocument(entry, `history[${index}]`, index));
}

export function parseOptions(input: unknown): ResolvedOptions {
  if (input === undefined) return { today: null, duplicateWindowDays: 30, futureDays: 365, minHistoryForStats: 4 };
  const options: Required<FlagOptions> = validate(optionsSchema, input, 'options');
  return { ...options, today: dayNumber(options.today) };
}

function familyOf(kind: DocumentKind): KindFamily {
  switch (kind) {
    case 'invoice':
    case 'bill':
      return 'invoice';
    case 'quote':
    case 'estimate':
      return 'quote';
    case 'purchase_order':
    case 'credit_note':
    case 'receipt':
      return kind;
    default: {
      const unknown: never = kind;
      throw new Error(`unreachable kind ${String(unknown)}`);
    }
  }
}

function validate<T>(schema: z.ZodType<T>, input: unknown, root: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  let path = root;
  for (const part of issue?.path ?? []) path += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
  const problem = issue?.message ?? 'is not valid';
  throw new ValidationError(FLAG_INPUT_INVALID, `FLAG input is invalid at ${path}: ${problem}.`, {
    details: { path, problem },
  });
}
