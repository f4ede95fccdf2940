/**
 * "Pay by card": opens a hosted checkout for what is left to pay and sends the client there. A
 * session that is still open for the same invoice and amount is reused, so a second click (or a
 * reload) never opens a second charge; a new one carries an idempotency key derived from the
 * invoice, the amount and how many sessions came before, so two clicks at the same moment get
 * the same session from the provider too.
 */
import { ConflictError, OpsLoopError } from '../../../core/errors.ts';
import type { Committer } from '../../../workflow/committer.ts';
import type { Queryable } from '../../../workflow/store/runs.ts';
import type { DocumentView } from '../documents.ts';
import { amountDueMinor, invoiceByPayToken, isPayable, payUrlFor } from './links.ts';
import type { CheckoutSession, PaymentProvider } from './providers.ts';

/** A session that closes within this margin is not offered again: the client would run out of time. */
const REUSE_MARGIN_MS = 5 * 60_000;

export type CheckoutOutcome =
  | { kind: 'redirect'; url: string; sessionId: string; reused: boolean }
  /** the provider already took the payment; its confirmation (the webhook) is on the way */
  | { kind: 'processing'; sessionId: string };

type CheckoutProvider = PaymentProvider & Required<Pick<PaymentProvider, 'createCheckout' | 'retrieveCheckout'>>;

export function canCheckout(provider: PaymentProvider | null): provider is CheckoutProvider {
  return provider !== null && provider.createCheckout !== undefined && provider.retrieveCheckout !== undefined;
}

export function assertPayable(doc: DocumentView): void {
  if (!isPayable(doc)) {
    throw new ConflictError('PAYLINK_NOT_PAYABLE', `${doc.number} is ${doc.status.replace('_', ' ')}; there is nothing to pay`, { details: { status: doc.status } });
  }
}

export async function startCheckout(
  deps: { db: Queryable; committer: Committer; now(): number; publicUrl: string },
  provider: PaymentProvider | null,
  token: string,
): Promise<CheckoutOutcome> {
  const doc = await invoiceByPayToken(deps.db, token);
  assertPayable(doc);
  if (!canCheckout(provider)) throw new ConflictError('PAYMENT_CARD_NOT_AVAILABLE', 'Card payment is not set up for this business; please pay by bank transfer');
  const due = await amountDueMinor(deps.db, doc.id);
  const now = deps.now();
  const sessions = deps.db.selectFrom('pay_sessions').where('provider', '=', provider.name).where('document_id', '=', doc.id);
  // Counted before looking for an open session: a click racing another either sees the other's
  // session stored (and reuses it) or counted the same sessions (and sends the same idempotency
  // key, so the provider returns the same session). Counting after could see the other's session
  // that the open-session lookup just missed, and open a second one.
  const earlier = await sessions.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const open = await sessions.selectAll().where('status', '=', 'open').where('amount_minor', '=', Number(due)).where('currency', '=', doc.currency).orderBy('created_at', 'desc').executeTakeFirst();
  if (open !== undefined && (open.expires_at === null || open.expires_at > now + REUSE_MARGIN_MS)) {
    let current: CheckoutSession;
    try {
      current = await provider.retrieveCheckout(open.id, doc.currency);
    } catch (error) {
      // Stripe's API is slow or down, but the session it gave us has not expired: its checkout
      // page shows the client where things stand.
      if (open.url !== null && error instanceof OpsLoopError && error.code === 'PAYMENT_PROVIDER_UNAVAILABLE') return { kind: 'redirect', url: open.url, sessionId: open.id, reused: true };
      throw error;
    }
    if (current.status === 'open' && current.url !== null) return { kind: 'redirect', url: current.url, sessionId: current.id, reused: true };
    const status = current.status === 'complete' ? 'processing' : 'expired';
    await deps.committer.unit((tx) => tx.updateTable('pay_sessions').set({ status, url: null, updated_at: now }).where('provider', '=', provider.name).where('id', '=', open.id).where('status', '=', 'open').execute());
    if (current.status === 'complete') return { kind: 'processing', sessionId: current.id };
  }
  const link = payUrlFor(deps.publicUrl, token);
  const idempotencyKey = `opsloop-checkout-${doc.id}-${due}-${Number(earlier.n) + 1}`;
  const session = await provider.createCheckout(doc, { amountMinor: due, successUrl: `${link}?checkout=success`, cancelUrl: `${link}?checkout=cancelled`, idempotencyKey });
  await deps.committer.unit((tx) => storeSession(tx, provider.name, doc.id, session, idempotencyKey, now));
  if (session.status === 'complete') return { kind: 'processing', sessionId: session.id };
  if (session.url === null) throw new ConflictError('PAYMENT_CHECKOUT_CLOSED', `The card payment session for ${doc.number} is already closed; please reload the page and try again`);
  return { kind: 'redirect', url: session.url, sessionId: session.id, reused: false };
}

/** Keeps a session (once: the same session returned twice is stored once). */
export async function storeSession(db: Queryable, provider: string, documentId: string, session: CheckoutSession, idempotencyKey: string, now: number): Promise<void> {
  await db
    .insertInto('pay_sessions')
    .values({
      provider,
      id: session.id,
      document_id: documentId,
      amount_minor: Number(session.amountMinor),
      currency: session.currency,
      status: session.status === 'expired' ? 'expired' : session.status === 'complete' ? 'processing' : 'open',
      url: session.url,
      idempotency_key: idempotencyKey,
      expires_at: session.expiresAt,
      provider_payment_id: session.paymentId,
      payment_id: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['provider', 'id']).doNothing())
    .execute();
}
