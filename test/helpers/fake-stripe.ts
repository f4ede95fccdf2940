/**
 * A local stand-in for Stripe's API, speaking its wire format: a real node:http server on
 * 127.0.0.1 (port 0) that takes form-encoded requests with a Bearer secret key and answers with
 * Stripe's JSON objects and error bodies. It covers what OpsLoop uses:
 *
 *   POST /v1/checkout/sessions            create (Idempotency-Key honoured like Stripe's)
 *   GET  /v1/checkout/sessions/:id        retrieve
 *   POST /v1/checkout/sessions/:id/expire expire
 *   GET  /c/pay/:id                       the "hosted checkout" page a client is sent to
 *
 * A test plays the client paying with `complete()`: the session becomes paid and the real
 * `checkout.session.completed` event is POSTed to a webhook URL with a Stripe-Signature header
 * (t=…,v1=HMAC-SHA256 of `${t}.${body}` with the webhook secret), or a wrong or missing one.
 *
 * `payInvoiceByCard()` runs the whole client journey against a running OpsLoop server.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OpsLoop } from '../../src/app.ts';
import { payLink } from '../../src/domains/finance/index.ts';

export type StripeObject = Record<string, unknown>;

export interface FakeStripeOptions {
  secretKey?: string;
  webhookSecret?: string;
  /** the clock for `created`, `expires_at` and webhook timestamps (ms); OpsLoop checks signatures against its own clock */
  now?: () => number;
}

export interface FakeStripeRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  /** the decoded form body */
  params: Record<string, unknown>;
}

export interface WebhookDelivery {
  event: StripeObject;
  status: number;
  body: string;
}

export type SignatureMode = 'valid' | 'wrong' | 'missing' | 'stale';

export interface FakeStripe {
  /** http://127.0.0.1:<port> */
  url: string;
  secretKey: string;
  webhookSecret: string;
  /** what to pass to OpsLoop.open({ config }) */
  config: { stripeSecretKey: string; stripeWebhookSecret: string; stripeApiUrl: string };
  sessions: Map<string, StripeObject>;
  /** every API request received, in order */
  requests: FakeStripeRequest[];
  /** when true, API requests are held unanswered (a Stripe that does not answer) */
  hang: boolean;
  /** `cs_test_…` from a checkout URL the fake handed out */
  sessionIdOf(checkoutUrl: string): string;
  /** Marks the session paid (payment_intent `pi_…`) and returns the `checkout.session.completed` event. */
  completeEvent(sessionId: string, options?: { amountTotal?: number }): StripeObject;
  /** An event of any type about a session (e.g. checkout.session.expired). */
  event(type: string, object: StripeObject): StripeObject;
  /** The Stripe-Signature header for a payload. */
  sign(payload: string, options?: { timestampSeconds?: number; secret?: string }): string;
  /** The body and headers of a webhook delivery, for in-process requests (`app.request`). */
  webhookRequest(event: StripeObject, signature?: SignatureMode): { body: string; headers: Record<string, string> };
  /** POSTs an event to a webhook URL the way Stripe does. */
  deliver(webhookUrl: string, event: StripeObject, signature?: SignatureMode): Promise<WebhookDelivery>;
  /** The client pays: completeEvent() then deliver(). */
  complete(sessionId: string, webhookUrl: string, options?: { signature?: SignatureMode; amountTotal?: number }): Promise<WebhookDelivery>;
  close(): Promise<void>;
}

const API_VERSION = '2026-10-28.endive';

function id(prefix: string): string {
  return `${prefix}${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
}

/**
 * Stripe's form encoding back into objects: `line_items[0][price_data][currency]=usd`
 * becomes `{ line_items: [{ price_data: { currency: 'usd' } }] }`.
 */
export function parseStripeForm(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split(/\[|\]\[|\]/).filter((part) => part !== '');
    let node: Record<string, unknown> | unknown[] = root;
    path.forEach((part, index) => {
      const last = index === path.length - 1;
      const container = node as Record<string, unknown>;
      if (last) {
        container[part] = value;
        return;
      }
      const nextIsIndex = /^\d+$/.test(path[index + 1] ?? '');
      container[part] ??= nextIsIndex ? [] : {};
      node = container[part] as Record<string, unknown>;
    });
  }
  return root;
}

function stripeError(status: number, error: { type: string; message: string; code?: string; param?: string }): { status: number; body: StripeObject } {
  return { status, body: { error: { ...error, ...(error.code === undefined ? {} : { doc_url: `https://stripe.com/docs/error-codes/${error.code.replace(/_/g, '-')}` }) } } };
}

const missing = (param: string) => stripeError(400, { type: 'invalid_request_error', code: 'parameter_missing', param, message: `Missing required param: ${param}.` });
const invalidInteger = (param: string, value: unknown) => stripeError(400, { type: 'invalid_request_error', code: 'parameter_invalid_integer', param, message: `Invalid integer: ${String(value)}` });

export async function startFakeStripe(options: FakeStripeOptions = {}): Promise<FakeStripe> {
  const secretKey = options.secretKey ?? `sk_test_${randomBytes(12).toString('hex')}`;
  const webhookSecret = options.webhookSecret ?? `whsec_${randomBytes(16).toString('hex')}`;
  const now = options.now ?? (() => Date.now());
  const seconds = () => Math.floor(now() / 1000);
  const sessions = new Map<string, StripeObject>();
  const requests: FakeStripeRequest[] = [];
  const idempotent = new Map<string, { hash: string; status: number; body: StripeObject }>();
  let base = '';

  function createSession(params: Record<string, unknown>): { status: number; body: StripeObject } {
    if (params.mode === undefined) return missing('mode');
    if (params.mode !== 'payment') return stripeError(400, { type: 'invalid_request_error', param: 'mode', message: 'This fake supports only mode=payment.' });
    if (params.success_url === undefined) return missing('success_url');
    const items = params.line_items;
    if (!Array.isArray(items) || items.length === 0) return stripeError(400, { type: 'invalid_request_error', param: 'line_items', message: 'You must provide at least one line item in `line_items` when `mode` is `payment`.' });
    let total = 0;
    let currency: string | null = null;
    for (const [index, raw] of items.entries()) {
      const item = raw as { quantity?: string; price_data?: { currency?: string; unit_amount?: string; product_data?: { name?: string } } };
      const at = `line_items[${index}]`;
      if (item.price_data === undefined) return missing(`${at}[price_data]`);
      if (item.price_data.currency === undefined) return missing(`${at}[price_data][currency]`);
      if (!/^[a-z]{3}$/.test(item.price_data.currency)) return stripeError(400, { type: 'invalid_request_error', code: 'parameter_invalid_string', param: `${at}[price_data][currency]`, message: `Invalid currency: ${item.price_data.currency}.` });
      if (item.price_data.product_data?.name === undefined) return missing(`${at}[price_data][product_data][name]`);
      if (item.price_data.unit_amount === undefined) return missing(`${at}[price_data][unit_amount]`);
      if (!/^\d+$/.test(item.price_data.unit_amount)) return invalidInteger(`${at}[price_data][unit_amount]`, item.price_data.unit_amount);
      const quantity = item.quantity ?? '1';
      if (!/^[1-9]\d*$/.test(quantity)) return invalidInteger(`${at}[quantity]`, quantity);
      if (currency !== null && currency !== item.price_data.currency) return stripeError(400, { type: 'invalid_request_error', param: `${at}[price_data][currency]`, message: 'All line items must use the same currency.' });
      currency = item.price_data.currency;
      total += Number(item.price_data.unit_amount) * Number(quantity);
    }
    const sessionId = id('cs_test_');
    const created = seconds();
    const session: StripeObject = {
      id: sessionId,
      object: 'checkout.session',
      amount_subtotal: total,
      amount_total: total,
      cancel_url: params.cancel_url ?? null,
      client_reference_id: params.client_reference_id ?? null,
      created,
      currency,
      customer: null,
      customer_details: null,
      customer_email: params.customer_email ?? null,
      expires_at: created + 24 * 3600,
      invoice: null,
      livemode: false,
      locale: null,
      metadata: params.metadata ?? {},
      mode: 'payment',
      payment_intent: null,
      payment_method_types: ['card'],
      payment_status: 'unpaid',
      status: 'open',
      success_url: params.success_url,
      total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
      ui_mode: 'hosted',
      url: `${base}/c/pay/${sessionId}`,
    };
    sessions.set(sessionId, session);
    return { status: 200, body: session };
  }

  function route(method: string, path: string, params: Record<string, unknown>, idempotencyKey: string | null, rawBody: string): { status: number; body: StripeObject; replayed?: boolean } {
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      if (idempotencyKey !== null) {
        const hash = createHash('sha256').update(rawBody).digest('hex');
        const earlier = idempotent.get(idempotencyKey);
        if (earlier !== undefined) {
          if (earlier.hash !== hash) {
            return stripeError(400, { type: 'idempotency_error', message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.` });
          }
          return { status: earlier.status, body: earlier.body, replayed: true };
        }
        const result = createSession(params);
        idempotent.set(idempotencyKey, { hash, ...result });
        return result;
      }
      return createSession(params);
    }
    const match = /^\/v1\/checkout\/sessions\/([^/]+)(\/expire)?$/.exec(path);
    if (match !== null) {
      const session = sessions.get(match[1] ?? '');
      if (session === undefined) return stripeError(404, { type: 'invalid_request_error', code: 'resource_missing', param: 'session', message: `No such checkout.session: '${match[1] ?? ''}'` });
      if (method === 'GET' && match[2] === undefined) return { status: 200, body: session };
      if (method === 'POST' && match[2] !== undefined) {
        if (session.status !== 'open') return stripeError(400, { type: 'invalid_request_error', message: `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${String(session.status)}".` });
        Object.assign(session, { status: 'expired', url: null });
        return { status: 200, body: session };
      }
    }
    return stripeError(404, { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path}).` });
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (req.method === 'GET' && path.startsWith('/c/pay/')) {
        const session = sessions.get(path.slice('/c/pay/'.length));
        res.writeHead(session === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(session === undefined ? '<h1>Not found</h1>' : `<h1>Fake Stripe Checkout</h1><p>${String(session.amount_total)} ${String(session.currency)} (${String(session.status)})</p>`);
        return;
      }
      const idempotencyKey = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
      const params = req.method === 'POST' ? parseStripeForm(rawBody) : parseStripeForm((req.url ?? '').split('?')[1] ?? '');
      requests.push({ method: req.method ?? 'GET', path, idempotencyKey, params });
      if (fake.hang) return; // never answered: the caller's timeout has to end it
      const send = (status: number, body: StripeObject, replayed = false) => {
        res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req_'), 'stripe-version': API_VERSION, ...(replayed ? { 'idempotent-replayed': 'true' } : {}) });
        res.end(JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${secretKey}`) {
        const given = (req.headers.authorization ?? '').replace(/^Bearer\s+/, '');
        const { status, body } = stripeError(401, { type: 'invalid_request_error', message: given === '' ? 'You did not provide an API key.' : `Invalid API Key provided: ${given.slice(0, 8)}${'*'.repeat(Math.max(0, given.length - 12))}${given.slice(-4)}` });
        send(status, body);
        return;
      }
      const result = route(req.method ?? 'GET', path, params, idempotencyKey, rawBody);
      send(result.status, result.body, result.replayed === true);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function sign(payload: string, opts: { timestampSeconds?: number; secret?: string } = {}): string {
    const t = opts.timestampSeconds ?? seconds();
    const v1 = createHmac('sha256', opts.secret ?? webhookSecret).update(`${t}.${payload}`, 'utf8').digest('hex');
    return `t=${t},v1=${v1}`;
  }

  function event(type: string, object: StripeObject): StripeObject {
    return { id: id('evt_'), object: 'event', api_version: API_VERSION, created: seconds(), data: { object: structuredClone(object) }, livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, type };
  }

  function webhookRequest(evt: StripeObject, signature: SignatureMode = 'valid'): { body: string; headers: Record<string, string> } {
    const body = JSON.stringify(evt, null, 2);
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' };
    if (signature === 'valid') headers['stripe-signature'] = sign(body);
    if (signature === 'wrong') headers['stripe-signature'] = sign(body, { secret: `whsec_${randomBytes(16).toString('hex')}` });
    if (signature === 'stale') headers['stripe-signature'] = sign(body, { timestampSeconds: seconds() - 3600 });
    return { body, headers };
  }

  const fake: FakeStripe = {
    url: base,
    secretKey,
    webhookSecret,
    config: { stripeSecretKey: secretKey, stripeWebhookSecret: webhookSecret, stripeApiUrl: base },
    sessions,
    requests,
    hang: false,
    sessionIdOf(checkoutUrl) {
      const found = /\/c\/pay\/(cs_test_[A-Za-z0-9]+)/.exec(checkoutUrl)?.[1];
      if (found === undefined) throw new Error(`${checkoutUrl} is not a checkout URL of this fake Stripe`);
      return found;
    },
    completeEvent(sessionId, opts = {}) {
      const session = sessions.get(sessionId);
      if (session === undefined) throw new Error(`the fake Stripe has no session ${sessionId}`);
      if (session.payment_intent === null) session.payment_intent = id('pi_');
      Object.assign(session, { status: 'complete', payment_status: 'paid', url: null }, opts.amountTotal === undefined ? {} : { amount_total: opts.amountTotal, amount_subtotal: opts.amountTotal });
      return event('checkout.session.completed', session);
    },
    event,
    sign,
    webhookRequest,
    async deliver(webhookUrl, evt, signature = 'valid') {
      const { body, headers } = webhookRequest(evt, signature);
      const response = await fetch(webhookUrl, { method: 'POST', headers, body });
      return { event: evt, status: response.status, body: await response.text() };
    },
    async complete(sessionId, webhookUrl, opts = {}) {
      const evt = fake.completeEvent(sessionId, opts.amountTotal === undefined ? {} : { amountTotal: opts.amountTotal });
      return fake.deliver(webhookUrl, evt, opts.signature ?? 'valid');
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return fake;
}

export interface CardPayment {
  /** the invoice's absolute pay link (built on OPSLOOP_PUBLIC_URL) */
  payLink: string;
  /** the same page on the running server */
  pageUrl: string;
  sessionId: string;
  /** where "Pay by card" redirected to */
  checkoutUrl: string;
  webhook: WebhookDelivery;
}

/**
 * The client's journey for one invoice, against a running OpsLoop server (`listen()`) whose
 * configuration points at `fake` (`config: { ...fake.config }`): get the pay link, open the pay
 * page, press "Pay by card" (303 to the fake's checkout), pay, and let Stripe's webhook arrive.
 *
 * @example
 * let t: TestApp;
 * const fake = await startFakeStripe({ now: () => t.clock.now() }); // sign with OpsLoop's clock
 * t = await openTestApp(dialect, { config: { ...fake.config, port: 0 } });
 * const server = await listen(t.app);
 * const paid = await payInvoiceByCard(t.app, server.url, fake, 'INV-2026-0001');
 * // paid.webhook.status === 200; the invoice is paid; payment.received was emitted
 */
export async function payInvoiceByCard(app: OpsLoop, serverUrl: string, fake: FakeStripe, invoice: string, options: { signature?: SignatureMode } = {}): Promise<CardPayment> {
  const link = await app.engine.committer.unit((tx) => payLink(tx, invoice, { publicUrl: app.config.publicUrl }));
  const pageUrl = `${serverUrl}${new URL(link).pathname}`;
  const pageResponse = await fetch(pageUrl);
  const html = await pageResponse.text();
  if (pageResponse.status !== 200 || !html.includes('Pay by card')) throw new Error(`the pay page of ${invoice} offers no card payment (${pageResponse.status}): ${html.slice(0, 300)}`);
  const checkout = await fetch(`${pageUrl}/checkout`, { method: 'POST', redirect: 'manual' });
  const checkoutUrl = checkout.headers.get('location');
  if (checkout.status !== 303 || checkoutUrl === null) throw new Error(`"Pay by card" did not redirect to Stripe (${checkout.status}): ${(await checkout.text()).slice(0, 300)}`);
  const sessionId = fake.sessionIdOf(checkoutUrl);
  const webhook = await fake.complete(sessionId, `${serverUrl}/pay/webhooks/stripe`, options.signature === undefined ? {} : { signature: options.signature });
  return { payLink: link, pageUrl, sessionId, checkoutUrl, webhook };
}
