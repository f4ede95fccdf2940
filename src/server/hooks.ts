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

export function mountHooks(app: Hono<AppEnv>, opsloop: OpsLoop): void {
  const { engine, config } = opsloop;
  app.post('/hooks/:key', async (c) => {
    const key = c.req.param('key');
    const hook = await engine.workflows.findWebhook(key);
    if (hook === null) throw new NotFoundError('WEBHOOK_NOT_FOUND', `No workflow listens on /hooks/${key}`, { details: { key } });
    const raw = await c.req.text();
    const secretEnv = typeof hook.config.secretEnv === 'string' ? hook.config.secretEnv : undefined;
    if (secretEnv !== undefined) {
      const secret = process.env[secretEnv];
      if (secret === undefined || secret === '') {
        throw new OpsLoopError('WEBHOOK_SECRET_MISSING', ErrorCategory.unavailable, `Webhook ${key} requires a signature but ${secretEnv} is not set on the server`);
      }
      if (!verifySignature(secret, raw, c.req.header(signatureHeader))) {
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
    const idempotencyKey = c.req.header('idempotency-key');
    if (idempotencyKey !== undefined && (idempotencyKey.length === 0 || idempotencyKey.length > 200)) {
      throw new ValidationError('REQUEST_INVALID', 'Idempotency-Key must be 1 to 200 characters', { details: { path: 'Idempotency-Key' } });
    }
    const waitMs = requestedWaitMs(c.req.query('wait'), c.req.header('prefer'), config.webhookWaitMaxMs);
    const started = await engine.startRun(hook.workflowId, input, {
      trigger: { type: 'webhook', key },
      ...(idempotencyKey === undefined ? {} : { idempotencyKey: `hook:${idempotencyKey}` }),
      execute: waitMs > 0,
    });
    if (!started.created) c.header('Idempotent-Replayed', 'true');
    if (waitMs === 0) return c.json({ runId: started.runId, status: started.created ? RunStatus.queued : (await engine.getRun(started.runId)).status }, 202);
    const final = started.final;
    if (final !== undefined && final.status !== RunStatus.running && final.status !== RunStatus.queued) {
      return c.json({ runId: started.runId, status: final.status, output: final.output ?? null, ...(final.error === undefined ? {} : { error: final.error }) }, 200);
    }
    const view = await engine.waitForRun(started.runId, waitMs);
    const settled = view.status !== RunStatus.running && view.status !== RunStatus.queued;
    return c.json({ runId: view.id, status: view.status, output: view.output, ...(view.error === null ? {} : { error: view.error }) }, settled ? 200 : 202);
  });
}
