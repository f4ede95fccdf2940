/** The banking API: statement import and reconciliation. */
import type { Hono } from 'hono';
import type { OpsLoop } from '../app.ts';
import type { AppEnv } from './auth.ts';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function mountBankingApi(app: Hono<AppEnv>, opsloop: OpsLoop): void {}
