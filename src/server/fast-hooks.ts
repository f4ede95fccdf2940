/** POST /hooks/<key> served directly from node:http (see listen()); same handler, same errors. */
import type http from 'node:http';
import type { OpsLoop } from '../app.ts';
import { httpStatusFor, OpsLoopError } from '../core/errors.ts';
import { api as apiErrors } from './codes.ts';
import { handleHook } from './hooks.ts';

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string>, security: [string, string][]): void {
  const text = JSON.stringify(body);
  for (const [name, value] of security) res.setHeader(name, value);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: http.IncomingMessage, limit: number): Promise<string | null> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) {
    req.resume();
    return Promise.resolve(null);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.destroy();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function serveHook(opsloop: OpsLoop, req: http.IncomingMessage, res: http.ServerResponse, security: [string, string][]): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const key = decodeURIComponent(url.pathname.slice('/hooks/'.length));
    if (key === '' || key.includes('/')) {
      send(res, 404, { error: { code: apiErrors.routeNotFound, message: `No route POST ${url.pathname}` } }, {}, security);
      return;
    }
    const rawBody = await readBody(req, opsloop.config.maxBodyBytes);
    if (rawBody === null) {
      send(res, 413, { error: { code: apiErrors.tooLarge, message: `Request body is larger than ${opsloop.config.maxBodyBytes} bytes (OPSLOOP_MAX_BODY_BYTES)` } }, {}, security);
      return;
    }
    const header = (name: string): string | undefined => {
      const value = req.headers[name.toLowerCase()];
      return Array.isArray(value) ? value[0] : value;
    };
    const result = await handleHook(opsloop, { key, rawBody, header, query: (name) => url.searchParams.get(name) ?? undefined });
    send(res, result.status, result.body, result.headers, security);
  } catch (error) {
    if (!(error instanceof OpsLoopError)) opsloop.logger.error({ err: error, path: req.url }, 'unhandled error');
    const body = error instanceof OpsLoopError ? { error: error.toJSON() } : { error: { code: 'INTERNAL', message: 'Something went wrong on the server; the error is in its log' } };
    if (!res.headersSent) send(res, httpStatusFor(error), body, {}, security);
  }
}
