/**
 * Card payments through Stripe Checkout, with the official `stripe` package: it encodes requests
 * the way Stripe expects, sends the Idempotency-Key, and verifies webhook signatures exactly as
 * Stripe signs them. Calls time out (STRIPE_TIMEOUT_MS) and are not retried by the client: the
 * person on the pay page sees an error at once and may click again (the idempotency key and the
 * stored session make a second click reuse the first session).
 */
import Stripe from 'stripe';
import { ErrorCategory, OpsLoopError, ValidationError, messageOf } from '../../../core/errors.ts';
import { formatMinor } from '../../../ai/draft/money/index.ts';
import type { DocumentView } from '../documents.ts';
import type { CheckoutRequest, CheckoutSession, PaymentInstructions, PaymentProvider } from './providers.ts';
import { money } from './links.ts';
import type { StripeSettings } from './settings.ts';

/** Stripe's webhook timestamp tolerance: older signed deliveries are refused (replays). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** Stripe counts ISK in hundredths although ISO 4217 gives it no decimals. */
const hundredthsCurrencies = new Set(['ISK']);
/** Stripe takes these three-decimal currencies only in whole tens of the minor unit. */
const tensCurrencies = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

/** Our minor units (ISO 4217 digits) to the integer Stripe expects for `unit_amount`. */
export function toStripeAmount(minor: bigint, currency: string): number {
  if (hundredthsCurrencies.has(currency)) return Number(minor * 100n);
  if (tensCurrencies.has(currency) && minor % 10n !== 0n) {
    throw new ValidationError('PAYMENT_AMOUNT_UNSUPPORTED', `Stripe takes ${currency} only in steps of 0.010; ${formatMinor(minor, currency)} ${currency} cannot be paid by card`);
  }
  return Number(minor);
}

/** An amount Stripe reports back, in our minor units. */
export function fromStripeAmount(amount: number, currency: string): bigint {
  return hundredthsCurrencies.has(currency) ? BigInt(amount) / 100n : BigInt(amount);
}

/** A Stripe failure as an error the pay page can show: unreachable, or refused with Stripe's reason. */
export function stripeFailure(error: unknown, doing: string): OpsLoopError {
  if (error instanceof OpsLoopError) return error;
  if (error instanceof Stripe.errors.StripeConnectionError) {
    return new OpsLoopError('PAYMENT_PROVIDER_UNAVAILABLE', ErrorCategory.unavailable, `Stripe could not be reached to ${doing} (${error.message})`, { cause: error });
  }
  if (error instanceof Stripe.errors.StripeError) {
    return new OpsLoopError('PAYMENT_PROVIDER_REFUSED', ErrorCategory.unavailable, `Stripe refused to ${doing}: ${error.message}`, {
      cause: error,
      details: { type: error.type, code: error.code ?? null, requestId: error.requestId ?? null, status: error.statusCode ?? null },
    });
  }
  return new OpsLoopError('PAYMENT_PROVIDER_UNAVAILABLE', ErrorCategory.unavailable, `Stripe could not ${doing}: ${messageOf(error)}`, { cause: error });
}

export function sessionOf(session: Stripe.Checkout.Session, fallbackCurrency: string): CheckoutSession {
  const currency = (session.currency ?? fallbackCurrency).toUpperCase();
  const paymentId = typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? null);
  return {
    id: session.id,
    url: session.url,
    status: session.status === 'complete' ? 'complete' : session.status === 'expired' ? 'expired' : 'open',
    paymentStatus: session.payment_status === 'paid' ? 'paid' : session.payment_status === 'no_payment_required' ? 'no_payment_required' : 'unpaid',
    amountMinor: fromStripeAmount(session.amount_total ?? 0, currency),
    currency,
    expiresAt: typeof session.expires_at === 'number' ? session.expires_at * 1000 : null,
    paymentId,
    metadata: { ...(session.metadata ?? {}) },
  };
}

export class StripeProvider implements PaymentProvider {
  readonly name = 'stripe';
  readonly #client: Stripe;
  readonly #webhookSecret: string;

  constructor(settings: StripeSettings) {
    const api = settings.apiUrl === undefined ? null : new URL(settings.apiUrl);
    const protocol = api?.protocol === 'http:' ? 'http' : 'https';
    this.#client = new Stripe(settings.secretKey, {
      maxNetworkRetries: 0,
      timeout: settings.timeoutMs,
      telemetry: false,
      appInfo: { name: 'OpsLoop' },
      ...(api === null ? {} : { host: api.hostname, port: api.port === '' ? (protocol === 'http' ? 80 : 443) : Number(api.port), protocol }),
    });
    this.#webhookSecret = settings.webhookSecret;
  }

  describe(doc: DocumentView, dueMinor: bigint): PaymentInstructions {
    return { provider: this.name, title: 'Card', text: `Pay ${money(dueMinor, doc.currency)} by card, securely through Stripe.`, details: [], reference: doc.number };
  }

  async createCheckout(doc: DocumentView, request: CheckoutRequest): Promise<CheckoutSession> {
    const unitAmount = toStripeAmount(request.amountMinor, doc.currency);
    const metadata = { opsloop_document_id: doc.id, opsloop_document_number: doc.number };
    try {
      const session = await this.#client.checkout.sessions.create(
        {
          mode: 'payment',
          line_items: [{ quantity: 1, price_data: { currency: doc.currency.toLowerCase(), unit_amount: unitAmount, product_data: { name: `Invoice ${doc.number}`, description: `For ${doc.client.name}` } } }],
          client_reference_id: doc.id,
          metadata,
          payment_intent_data: { description: `Invoice ${doc.number}`, metadata },
          success_url: request.successUrl,
          cancel_url: request.cancelUrl,
        },
        { idempotencyKey: request.idempotencyKey },
      );
      return sessionOf(session, doc.currency);
    } catch (error) {
      throw stripeFailure(error, `start a card payment for ${doc.number}`);
    }
  }

  async retrieveCheckout(id: string, currency: string): Promise<CheckoutSession> {
    try {
      return sessionOf(await this.#client.checkout.sessions.retrieve(id), currency);
    } catch (error) {
      throw stripeFailure(error, `look up checkout session ${id}`);
    }
  }

  /**
   * Checks the Stripe-Signature header (HMAC-SHA256 of `${t}.${body}` with the webhook secret, at
   * most five minutes old by `nowMs`) and returns the event; anything else is a ValidationError.
   */
  verifyEvent(rawBody: Buffer, signature: string | undefined, nowMs: number): Stripe.Event {
    if (signature === undefined || signature === '') throw new ValidationError('PAYMENT_WEBHOOK_SIGNATURE_INVALID', 'The Stripe-Signature header is missing: only Stripe may call this address');
    try {
      return this.#client.webhooks.constructEvent(rawBody, signature, this.#webhookSecret, WEBHOOK_TOLERANCE_SECONDS, undefined, nowMs);
    } catch (error) {
      throw new ValidationError('PAYMENT_WEBHOOK_SIGNATURE_INVALID', `The Stripe-Signature header is not valid for this endpoint's secret (STRIPE_WEBHOOK_SECRET) or is more than five minutes old: ${messageOf(error)}`, { cause: error });
    }
  }
}
