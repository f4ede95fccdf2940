/**
 * Outbound HTTP as an external effect: the step writes an outbox row; the dispatcher sends it
 * after commit with an `Idempotency-Key` header derived from run and step, so a receiver that
 * honours the header processes it once even if a crash makes OpsLoop send it again.
 */
import { z } from 'zod';
import { NonRetriableError, RetryAfterError } from '../core/errors.ts';
import type { ActionDefinition, EffectHandler } from '../workflow/registry.ts';

const httpPayload = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    method: z.enum(['POST', 'PUT', 'PATCH', 'DELETE', 'GET']).default('POST'),
    headers: z.record(z.string(), z.string()).default({}),
    body: z.unknown().optional(),
  })
  .strict();
type HttpPayload = z.infer<typeof httpPayload>;

export const httpRequestAction: ActionDefinition<HttpPayload, { outboxId: string; idempotent: true }> = {
  name: 'http.request',
  description: 'Sends an HTTP request (JSON body) through the outbox, once, after the step commits.',
  input: httpPayload,
  pure: true,
  run: (input, ctx) => ({ outboxId: ctx.effect('http', input), idempotent: true }),
};

export const httpEffect: EffectHandler = {
  kind: 'http',
  async deliver(raw, delivery) {
    const payload = httpPayload.parse(raw);
    const response = await fetch(payload.url, {
      method: payload.method,
      headers: { 'content-type': 'application/json', ...payload.headers, 'idempotency-key': delivery.idempotencyKey },
      body: payload.method === 'GET' || payload.body === undefined ? null : JSON.stringify(payload.body),
      signal: delivery.signal,
    });
    const text = await response.text();
    if (response.status === 429) {
      const retryAfter = Number(response.headers.get('retry-after') ?? '5');
      throw new RetryAfterError(`HTTP 429 from ${payload.url}`, (Number.isFinite(retryAfter) ? retryAfter : 5) * 1000);
    }
    if (response.status >= 400 && response.status < 500 && response.status !== 408) {
      throw new NonRetriableError(`HTTP ${response.status} from ${payload.url}: ${text.slice(0, 200)}`, { code: 'HTTP_REJECTED' });
    }
    if (!response.ok) throw new Error(`HTTP ${response.status} from ${payload.url}: ${text.slice(0, 200)}`);
    let body: unknown = text;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      // keep the text
    }
    const bodyId = body !== null && typeof body === 'object' && typeof (body as { id?: unknown }).id === 'string' ? (body as { id: string }).id : undefined;
    const externalId = response.headers.get('x-request-id') ?? bodyId;
    return { ...(externalId === undefined ? {} : { externalId }), response: { status: response.status, body } };
  },
};
