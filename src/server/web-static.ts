/**
 * The web app: the built single-page UI (web/dist, made by `npm run build:web`) served by
 * `opsloop serve`. Hashed files under /assets/ are cached for good; index.html is revalidated
 * every time so a new build is picked up at once. Any other GET that is not an API, webhook or
 * public page gets index.html, and the UI's router shows the screen. Without a build, a page says
 * how to make one.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, Hono } from 'hono';
import type { OpsLoop } from '../app.ts';
import type { AppEnv } from './auth.ts';

/** Where `vite build --config web/vite.config.ts` writes the UI. */
export const defaultWebDir = fileURLToPath(new URL('../../web/dist/', import.meta.url));

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Paths the UI never owns: they keep their JSON or page 404s. */
const notTheApp = /^\/(api|hooks|q|pay|healthz)(\/|$)/;

/** The page's own rules: scripts and styles from this origin; PDFs in same-origin or blob frames. */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "frame-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const notBuiltPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>OpsLoop — web app not built</title>
<style>body{font-family:system-ui,sans-serif;max-width:38rem;margin:4rem auto;padding:0 1.25rem;color:#1d2433;line-height:1.55}code{background:#eef1f6;padding:.15rem .35rem;border-radius:.25rem}</style></head>
<body><h1>The web app is not built yet</h1><p>OpsLoop is running and its API answers under <code>/api</code>, but the pages of the web app have not been built on this machine.</p>
<p>Build them once with <code>npm run build:web</code> (<code>npm install</code> does it too), then reload this page.</p></body></html>`;

export interface WebAppOptions {
  /** The folder with index.html and assets/ (default: web/dist of this checkout). */
  dir?: string;
}

export function mountWebApp(app: Hono<AppEnv>, _opsloop: OpsLoop, options: WebAppOptions = {}): void {
  const root = path.resolve(options.dir ?? defaultWebDir);

  const sendIndex = async (c: Context<AppEnv>): Promise<Response> => {
    const file = await readIfFile(path.join(root, 'index.html'));
    if (file === null) return c.html(notBuiltPage, 503, { 'cache-control': 'no-store' });
    const headers = { 'content-type': contentTypes['.html'] as string, 'cache-control': 'no-cache', 'content-security-policy': contentSecurityPolicy };
    return c.body(new Uint8Array(file), 200, headers);
  };

  const handler = async (c: Context<AppEnv>): Promise<Response | undefined> => {
    const urlPath = c.req.path;
    if (notTheApp.test(urlPath)) return undefined;
    if (urlPath === '/' || urlPath === '/index.html') return sendIndex(c);
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      return c.text('Bad path', 400);
    }
    const target = path.resolve(root, `.${decoded}`);
    // Only files inside the build folder; `..` and odd paths fall through to the app.
    if (target.startsWith(root + path.sep) && !decoded.includes('\0')) {
      const ext = path.extname(target).toLowerCase();
      const file = await readIfFile(target);
      if (file !== null) {
        const immutable = decoded.startsWith('/assets/');
        return c.body(new Uint8Array(file), 200, {
          'content-type': contentTypes[ext] ?? 'application/octet-stream',
          'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        });
      }
      // A missing asset is a real 404, not the app: a stale page asking for an old bundle must see it.
      if (decoded.startsWith('/assets/') || (ext !== '' && ext !== '.html')) return c.text('Not found', 404, { 'cache-control': 'no-store' });
    }
    return sendIndex(c);
  };

  // Hono answers HEAD with the GET handler, without the body.
  app.get('*', async (c, next) => {
    const response = await handler(c);
    if (response === undefined) {
      await next();
      return;
    }
    return response;
  });
}

async function readIfFile(file: string): Promise<Buffer | null> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return null;
    return await readFile(file);
  } catch {
    return null;
  }
}
