/**
 * How expression errors are built. Syntax errors are `EXPRESSION_INVALID`, evaluation errors are
 * `EXPRESSION_FAILED`; both carry `details.expression` (the full source) and `details.position`
 * (a 0-based character offset) and name that position in the message.
 */
import { ValidationError } from '../../core/errors.ts';

/**
 * Raised by value helpers and built-in functions, which do not know where in the source they
 * were called. The evaluator turns it into an `EXPRESSION_FAILED` error located at the node.
 */
export class ExpressionFault extends Error {
  /** Advice appended after the location, e.g. "convert with number() first". */
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'ExpressionFault';
    this.hint = hint;
  }
}

const maxQuotedLength = 120;

/** The source, quoted, shortened around `position` when it is long. */
export function quoteSource(source: string, position: number): string {
  if (source.length <= maxQuotedLength) return JSON.stringify(source);
  const start = Math.max(0, Math.min(position - maxQuotedLength / 2, source.length - maxQuotedLength));
  const excerpt = source.slice(start, start + maxQuotedLength);
  const before = start > 0 ? '…' : '';
  const after = start + maxQuotedLength < source.length ? '…' : '';
  return `${before}${JSON.stringify(excerpt)}${after}`;
}

/** `EXPRESSION_INVALID`: "<problem> at position N in "<source>"<suffix>". */
export function syntaxError(source: string, position: number, problem: string, suffix = ''): ValidationError {
  return new ValidationError(
    'EXPRESSION_INVALID',
    `${problem} at position ${position} in ${quoteSource(source, position)}${suffix}`,
    { details: { expression: source, position } },
  );
}

/** `EXPRESSION_FAILED`: "<problem> at position N in "<source>"[: <hint>]". */
export function evaluationError(source: string, position: number, problem: string, hint?: string, cause?: unknown): ValidationError {
  return new ValidationError(
    'EXPRESSION_FAILED',
    `${problem} at position ${position} in ${quoteSource(source, position)}${hint === undefined ? '' : `: ${hint}`}`,
    { details: { expression: source, position }, cause },
  );
}
