/**
 * Inbound webhooks: POST /hooks/<key>. The workflow with that webhook trigger gets a run whose
 * input is the JSON body. Optional HMAC-SHA256 signature (header `X-OpsLoop-Signature:
 * sha256=<hex>` over the raw body, secret from the environment variable the trigger names);
 * `Idempotency-Key` maps a retried delivery to the same run; `?wait=<ms>` (or `Prefer: wait=<s>`)
 * answers with the run's result when it ends or reaches a wait within that time, else 202.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Hono } from 'hono';
import { ErrorCategory, NotFoundError, OpsLoopError, ValidationError } from '../core/errors.ts';
import type { OpsLoop } from '../app.ts';
import { RunStatus } from '../workflow/index.ts';
import type { AppEnv } from './auth.ts';

export const signatureHeader = 'x-opsloop-signature';

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function verifySignature(secret: string, body: string, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header.trim());
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function requestedWaitMs(query: string | undefined, prefer: string | undefined, maxMs: number): number {
  let ms = 0;
  if (query !== undefined && query !== '') {
    ms = Number(query);
    if (!Number.isFinite(ms) || ms < 0) throw new ValidationError('REQUEST_INVALID', 'wait must be a number of milliseconds', { details: { path: 'wait' } });
  } else if (prefer !== undefined) {
    const match = /(?:^|[,;\s])wait=(\d+)/i.exec(prefer);
    if (match !== null) ms = Number(match[1]) * 1000;
  }
  return Math.min(ms, maxMs);
}

/** A webhook call, independent of the HTTP framework. */
export interface HookRequest {
  key: string;
  rawBody: string;
  header(name: string): string | undefined;
  query(name: string): string | undefined;
}

export interface HookResponse {
  status: 200 | 202;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** Handles POST /hooks/<key>; throws typed errors for the caller to map to responses. */
export async function handleHook(opsloop: OpsLoop, req: HookRequest): Promise<HookResponse> {
  const { engine, config } = opsloop;
  const { key, rawBody: raw } = req;
  const hook = await engine.workflows.findWebhook(key);
  if (hook === null) throw new NotFoundError('WEBHOOK_NOT_FOUND', `No workflow listens on /hooks/${key}`, { details: { key } });
  const secretEnv = typeof hook.config.secretEnv === 'string' ? hook.config.secretEnv : undefined;
  if (secretEnv !== undefined) {
    const secret = process.env[secretEnv];
    if (secret === undefined || secret === '') {
      throw new OpsLoopError('WEBHOOK_SECRET_MISSING', ErrorCategory.unavailable, `Webhook ${key} requires a signature but ${secretEnv} is not set on the server`);
    }
    if (!verifySignature(secret, raw, req.header(signatureHeader))) {
      throw new OpsLoopError('WEBHOOK_SIGNATURE_INVALID', ErrorCategory.unauthenticated, `Missing or wrong ${signatureHeader} header (expected sha256=<hex HMAC-SHA256 of the body>)`);
    }
  }
  let input: unknown = {};
  if (raw.trim() !== '') {
    try {
      input = JSON.parse(raw);
    } catch (error) {
      throw new ValidationError('REQUEST_JSON_INVALID', `Webhook body is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ValidationError('RUN_INPUT_INVALID', 'Webhook body must be a JSON object', { details: { path: 'body' } });
  }
  const idempotencyKey = req.header('idempotency-key');
  if (idempotencyKey !== undefined && (idempotencyKey.length === 0 || idempotencyKey.length > 200)) {
    throw new ValidationError('REQUEST_INVALID', 'Idempotency-Key must be 1 to 200 characters', { details: { path: 'Idempotency-Key' } });
  }
  const waitMs = requestedWaitMs(req.query('wait'), req.header('prefer'), config.webhookWaitMaxMs);
  const started = await engine.startRun(hook.workflowId, input, {
    trigger: { type: 'webhook', key },
    ...(idempotencyKey === undefined ? {} : { idempotencyKey: `hook:${idempotencyKey}` }),
    execute: waitMs > 0,
  });
  const headers: Record<string, string> = started.created ? {} : { 'Idempotent-Replayed': 'true' };
  if (waitMs === 0) return { status: 202, headers, body: { runId: started.runId, status: started.created ? RunStatus.queued : (await engine.getRun(started.runId)).status } };
  const final = started.final;
  if (final !== undefined && final.status !== RunStatus.running && final.status !== RunStatus.queued) {
    return { status: 200, headers, body: { runId: started.runId, status: final.status, output: final.output ?? null, ...(final.error === undefined ? {} : { error: final.error }) } };
  }
  const view = await engine.waitForRun(started.runId, waitMs);
  const settled = view.status !== RunStatus.running && view.status !== RunStatus.queued;
  return { status: settled ? 200 : 202, headers, body: { runId: view.id, status: view.status, output: view.output, ...(view.error === null ? {} : { error: view.error }) } };
}

export function mountHooks(app: Hono<AppEnv>, opsloop: OpsLoop): void {
  app.post('/hooks/:key', async (c) => {
    const result = await handleHook(opsloop, { key: c.req.param('key'), rawBody: await c.req.text(), header: (n) => c.req.header(n), query: (n) => c.req.query(n) });
    for (const [name, value] of Object.entries(result.headers)) c.header(name, value);
    return c.json(result.body, result.status);
  });
}
