import { z } from 'zod';
import { ValidationError } from '../../core/errors.ts';
import type { OcrLine } from './types.ts';

const finite = z.number().finite();
const lineSchema = z.object({
  text: z.string({ error: 'text must be a string' }),
  box: z.tuple([finite, finite, finite, finite, finite, finite, finite, finite]).nullish(),
  page: z.number().int().nonnegative().optional(),
});
const linesSchema = z.array(lineSchema, { error: 'lines must be an array of { text, box? } objects' });

/**
 * Checks OCR input at the edge. Throws `ValidationError('READ_INPUT_INVALID')` naming the first
 * bad path (for example `lines[3].text`) so the caller can fix the producer of the lines.
 */
export function validateLines(input: unknown): OcrLine[] {
  const parsed = linesSchema.safeParse(input);
  if (parsed.success) return parsed.data as OcrLine[];
  const issue = parsed.error.issues[0];
  const path = issue === undefined ? '' : formatPath(issue.path);
  throw new ValidationError(
    'READ_INPUT_INVALID',
    `READ input is invalid at ${path === '' ? 'lines' : path}: ${issue?.message ?? 'unexpected value'}. ` +
      'Pass an array of { text: string, box?: [8 numbers] | null, page?: number }.',
    { details: { path: path === '' ? 'lines' : path } },
  );
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = 'lines';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
  return out;
}

/** Plain text (for example `pdftotext -layout` output) as box-less lines. */
export function linesFromText(text: string): OcrLine[] {
  if (typeof text !== 'string') {
    throw new ValidationError('READ_INPUT_INVALID', 'READ text input must be a string.', { details: { path: 'text' } });
  }
  return text.split(/\r?\n/).map((line) => ({ text: line }));
}
