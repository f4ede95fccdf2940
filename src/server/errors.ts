/** The one place where errors become HTTP responses. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { httpStatusFor, OpsLoopError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';

export function errorResponse(c: Context, error: unknown, logger: Logger): Response {
  const status = httpStatusFor(error) as ContentfulStatusCode;
  if (error instanceof OpsLoopError) return c.json({ error: error.toJSON() }, status);
  logger.error({ err: error, path: c.req.path }, 'unhandled error');
  return c.json({ error: { code: 'INTERNAL', message: 'Something went wrong on the server; the error is in its log' } }, 500);
}
