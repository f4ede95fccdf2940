/** Stable codes of the reply skill's errors. Match on these, never on messages. */
import { ValidationError } from '../../core/errors.ts';

export const ReplyErrorCode = {
  /** The intent, the context or an option does not validate; `details.path` names the field. */
  inputInvalid: 'REPLY_INPUT_INVALID',
  /** No template for the intent and `strict` is on (or there is no `general` template). */
  intentUnknown: 'REPLY_INTENT_UNKNOWN',
  /** A template does not compile or fails to render; `details.intent` names it. */
  templateInvalid: 'REPLY_TEMPLATE_INVALID',
} as const;
export type ReplyErrorCode = (typeof ReplyErrorCode)[keyof typeof ReplyErrorCode];

export function replyError(code: ReplyErrorCode, message: string, details: Record<string, unknown>, cause?: unknown): ValidationError {
  return new ValidationError(code, message, cause === undefined ? { details } : { details, cause });
}

/** REPLY_INPUT_INVALID naming `path` in the message and in `details.path`. */
export function inputError(path: string, problem: string, cause?: unknown): ValidationError {
  return replyError(ReplyErrorCode.inputInvalid, `Reply input "${path}" is invalid: ${problem}`, { path }, cause);
}
