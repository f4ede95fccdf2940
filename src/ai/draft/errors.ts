/** Stable codes for the draft parser's ValidationErrors. Match on these, never on messages. */
import { ValidationError } from '../../core/errors.ts';

export const DraftErrorCode = {
  sentenceEmpty: 'DRAFT_SENTENCE_EMPTY',
  sentenceTooLong: 'DRAFT_SENTENCE_TOO_LONG',
  optionInvalid: 'DRAFT_OPTION_INVALID',
  amountMissing: 'DRAFT_AMOUNT_MISSING',
  amountNegative: 'DRAFT_AMOUNT_NEGATIVE',
  amountTooLarge: 'DRAFT_AMOUNT_TOO_LARGE',
  amountPrecision: 'DRAFT_AMOUNT_PRECISION',
  currencyUnknown: 'DRAFT_CURRENCY_UNKNOWN',
  currencyMixed: 'DRAFT_CURRENCY_MIXED',
  quantityInvalid: 'DRAFT_QUANTITY_INVALID',
  taxRateInvalid: 'DRAFT_TAX_RATE_INVALID',
  clientMissing: 'DRAFT_CLIENT_MISSING',
} as const;
export type DraftErrorCode = (typeof DraftErrorCode)[keyof typeof DraftErrorCode];

/** A ValidationError with a draft code; `details.path` names the offending field when there is one. */
export function draftError(code: DraftErrorCode, message: string, details?: Record<string, unknown>): ValidationError {
  return details === undefined ? new ValidationError(code, message) : new ValidationError(code, message, { details });
}
