/** Reading request bodies: JSON only, with errors that say what is wrong. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { ValidationError } from '../core/errors.ts';

/** Parses the body as JSON; an empty body is `fallback`. */
export async function readJson(c: Context, fallback: unknown = {}): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return fallback;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ValidationError('REQUEST_JSON_INVALID', `Request body is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** Validates with zod; the error names the field. */
export function validate<T>(schema: z.ZodType<T>, value: unknown, what = 'body'): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue === undefined || issue.path.length === 0 ? what : `${what}.${issue.path.join('.')}`;
  throw new ValidationError('REQUEST_INVALID', `${path}: ${issue?.message ?? 'invalid'}`, { details: { path } });
}
