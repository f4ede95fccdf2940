/** The web app: the built single-page UI served by `opsloop serve`. */
import type { Hono } from 'hono';
import type { OpsLoop } from '../app.ts';
import type { AppEnv } from './auth.ts';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function mountWebApp(app: Hono<AppEnv>, opsloop: OpsLoop): void {}
