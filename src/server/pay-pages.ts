/** Public pay pages and payment-provider webhooks (no login; reached by unguessable links or signed calls). */
import type { Hono } from 'hono';
import type { OpsLoop } from '../app.ts';
import type { AppEnv } from './auth.ts';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function mountPayPages(app: Hono<AppEnv>, opsloop: OpsLoop): void {}
