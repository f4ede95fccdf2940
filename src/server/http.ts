/**
 * The HTTP server: Hono on Node. Health, inbound webhooks and the JSON API; errors mapped in one
 * place; bodies limited in size; security headers on every response; no CORS (same origin only).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { sql } from 'kysely';
import type { OpsLoop } from '../app.ts';
import { api as apiErrors } from './codes.ts';
import { mountApi } from './api.ts';
import { requireAuth, type AppEnv } from './auth.ts';
import { mountOpenApi } from './openapi.ts';
import { mountSessionRoutes } from './session.ts';
import { mountStream } from './stream.ts';
import { mountDashboardApi } from './dashboard-api.ts';
import { mountGovernanceApi } from './governance-api.ts';
import { mountDocumentPagesApi, mountEvidenceApi } from './evidence-api.ts';
import { mountFinanceApi } from './finance-api.ts';
import { mountClientsApi } from './clients-api.ts';
import { mountSettingsApi } from './settings-api.ts';
import { mountRecurringApi } from './recurring-api.ts';
import { mountPublicPages } from './public-pages.ts';
import { mountPayPages } from './pay-pages.ts';
import { mountBankingApi } from './banking-api.ts';
import { mountWebApp } from './web-static.ts';
import { errorResponse } from './errors.ts';
import { mountHooks } from './hooks.ts';
import { serveHook } from './fast-hooks.ts';

/** Sent with every response (what hono/secure-headers sets by default, precomputed). */
export const securityHeaders: [string, string][] = [
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
];

export function createHttpApp(opsloop: OpsLoop): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    await next();
    for (const [name, value] of securityHeaders) c.res.headers.set(name, value);
  });
  app.use(
    '*',
    bodyLimit({
      maxSize: opsloop.config.maxBodyBytes,
      onError: (c) => c.json({ error: { code: apiErrors.tooLarge, message: `Request body is larger than ${opsloop.config.maxBodyBytes} bytes (OPSLOOP_MAX_BODY_BYTES)` } }, 413),
    }),
  );
  app.get('/healthz', async (c) => {
    await sql`select 1`.execute(opsloop.database.db);
    return c.json({ status: 'ok', database: opsloop.database.dialect, worker: opsloop.config.workerId });
  });
  mountHooks(app, opsloop);
  mountPublicPages(app, opsloop);
  mountPayPages(app, opsloop);
  // Public /api routes come before the auth middleware; everything after it needs credentials.
  mountOpenApi(app, { title: 'OpsLoop API', version: '1', description: 'The JSON API of OpsLoop: a bearer token (scripts) or the session cookie (the web app).' });
  mountSessionRoutes(app, opsloop);
  app.use('/api/*', requireAuth(opsloop));
  mountApi(app, opsloop);
  mountGovernanceApi(app, opsloop);
  mountEvidenceApi(app, opsloop);
  mountDocumentPagesApi(app, opsloop);
  mountFinanceApi(app, opsloop);
  mountClientsApi(app, opsloop);
  mountSettingsApi(app, opsloop);
  mountRecurringApi(app, opsloop);
  mountBankingApi(app, opsloop);
  mountStream(app, opsloop);
  mountDashboardApi(app, opsloop);
  mountWebApp(app, opsloop);
  app.notFound((c) => c.json({ error: { code: apiErrors.routeNotFound, message: `No route ${c.req.method} ${c.req.path}` } }, 404));
  app.onError((error, c) => errorResponse(c, error, opsloop.logger));
  return app;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Listens on the configured host and port (port 0: any free port). Webhook calls are served
 * straight from node:http by the same handler the Hono route uses — they are the hot path, and
 * building web-standard Request objects for them costs more than the rest of the handling.
 */
export function listen(opsloop: OpsLoop, app: Hono<AppEnv> = createHttpApp(opsloop)): Promise<RunningServer> {
  const honoListener = getRequestListener(app.fetch);
  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url !== undefined && req.url.startsWith('/hooks/')) {
      void serveHook(opsloop, req, res, securityHeaders);
      return;
    }
    void honoListener(req, res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opsloop.config.port, opsloop.config.host, () => {
      const info = server.address() as AddressInfo;
      const host = info.address.includes(':') ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
