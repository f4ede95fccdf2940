/**
 * What a verified Stripe event does. Checkout events are handled in one transaction that first
 * stores the event id (a retried delivery finds it and does nothing) and then claims the session
 * (open -> paid, once), so a payment is recorded exactly once however often Stripe delivers it.
 *
 * A payment larger than what is left to pay (the client also paid by bank meanwhile, or the
 * invoice was voided) is not refused — the money has been taken. What fits is recorded, so the
 * invoice is paid and waiting runs go on, and the rest opens an exception for a person to refund
 * or credit (kind `payment_conflict`, code PAYMENT_OVERPAID, in the Inbox).
 */
import type Stripe from 'stripe';
import { localDate } from '../../../core/dates.ts';
import { raiseException } from '../../../workflow/exceptions.ts';
import type { Dialect } from '../../../data/dialect.ts';
import type { EngineHooks } from '../../../workflow/index.ts';
import type { Queryable } from '../../../workflow/store/runs.ts';
import { getDocument, type DocumentView } from '../documents.ts';
import { recordPayment } from '../payments.ts';
import { isPayable, money } from './links.ts';
import type { CheckoutSession } from './providers.ts';
import { sessionOf } from './stripe.ts';
import { formatMinor } from '../../../ai/draft/money/index.ts';

const handled = ['checkout.session.completed', 'checkout.session.async_payment_succeeded', 'checkout.session.async_payment_failed', 'checkout.session.expired'] as const;
type HandledType = (typeof handled)[number];
export const handledEventTypes: ReadonlySet<string> = new Set(handled);

export interface WebhookOutcome {
  eventId: string;
  type: string;
  outcome: 'ignored' | 'duplicate' | 'unknown_session' | 'recorded' | 'overpaid' | 'already_recorded' | 'pending' | 'expired' | 'failed' | 'currency_mismatch';
  document?: string;
  /** recorded against the invoice */
  recorded?: string;
  /** taken by the provider beyond what was due: an open exception */
  excess?: string;
}

export interface WebhookDeps {
  dialect: Dialect;
  hooks: EngineHooks;
  timezone: string;
}

const provider = 'stripe';

async function raiseConflict(tx: Queryable, deps: WebhookDeps, code: string, message: string, now: number): Promise<void> {
  await raiseException(tx, deps.hooks, { runId: null, workflowId: null, stepId: null, kind: 'payment_conflict', code, message, owner: 'role:admin', now });
}

async function setSessionStatus(tx: Queryable, id: string, status: string, from: string[], now: number): Promise<void> {
  await tx.updateTable('pay_sessions').set({ status, url: null, updated_at: now }).where('provider', '=', provider).where('id', '=', id).where('status', 'in', from).execute();
}

async function recordPaid(tx: Queryable, deps: WebhookDeps, doc: DocumentView, session: CheckoutSession, base: WebhookOutcome, now: number): Promise<WebhookOutcome> {
  const paymentRef = session.paymentId ?? session.id;
  const claimed = await tx
    .updateTable('pay_sessions')
    .set({ status: 'paid', url: null, provider_payment_id: paymentRef, updated_at: now })
    .where('provider', '=', provider)
    .where('id', '=', session.id)
    .where('status', '<>', 'paid')
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 0) return { ...base, outcome: 'already_recorded' };
  if (session.currency !== doc.currency) {
    await raiseConflict(tx, deps, 'PAYMENT_CURRENCY_MISMATCH', `Stripe payment ${paymentRef} of ${money(session.amountMinor, session.currency)} is not in ${doc.currency}, the currency of ${doc.number}; it was not recorded. Record it by hand or refund it in Stripe.`, now);
    return { ...base, outcome: 'currency_mismatch' };
  }
  const row = await tx.selectFrom('documents').select(['total_minor', 'paid_minor']).where('id', '=', doc.id).executeTakeFirstOrThrow();
  const due = isPayable(doc) ? BigInt(row.total_minor) - BigInt(row.paid_minor) : 0n;
  const fits = session.amountMinor < due ? session.amountMinor : due;
  const excess = session.amountMinor - fits;
  if (fits > 0n) {
    const { payment } = await recordPayment(
      tx,
      { dialect: deps.dialect, hooks: deps.hooks },
      doc.id,
      { amount: formatMinor(fits, doc.currency), paidOn: localDate(now, deps.timezone), method: 'stripe', reference: paymentRef },
      'provider:stripe',
      now,
    );
    await tx.updateTable('pay_sessions').set({ payment_id: payment.id }).where('provider', '=', provider).where('id', '=', session.id).execute();
  }
  const outcome: WebhookOutcome = { ...base, outcome: excess > 0n ? 'overpaid' : 'recorded', recorded: formatMinor(fits, doc.currency) };
  if (excess > 0n) {
    const why = fits > 0n ? `only ${money(fits, doc.currency)} was left to pay and was recorded` : `${doc.number} is ${doc.status.replace('_', ' ')}, so nothing was recorded`;
    await raiseConflict(tx, deps, 'PAYMENT_OVERPAID', `Stripe payment ${paymentRef} took ${money(session.amountMinor, doc.currency)} for ${doc.number}, but ${why}. ${money(excess, doc.currency)} is too much: refund it in Stripe or keep it as a credit.`, now);
    outcome.excess = formatMinor(excess, doc.currency);
  }
  return outcome;
}

async function apply(tx: Queryable, deps: WebhookDeps, event: Stripe.Event, type: HandledType, session: CheckoutSession, now: number): Promise<WebhookOutcome> {
  const base: WebhookOutcome = { eventId: event.id, type: event.type, outcome: 'ignored' };
  const local = await tx.selectFrom('pay_sessions').select(['document_id']).where('provider', '=', provider).where('id', '=', session.id).executeTakeFirst();
  // A session we have no row for (opened just before a crash) still names its invoice in the metadata.
  const documentId = local?.document_id ?? session.metadata.opsloop_document_id;
  if (documentId === undefined) return { ...base, outcome: 'unknown_session' };
  const doc = await getDocument(tx, documentId).catch(() => null);
  if (doc === null) return { ...base, outcome: 'unknown_session' };
  base.document = doc.number;
  if (local === undefined) {
    await tx
      .insertInto('pay_sessions')
      .values({ provider, id: session.id, document_id: doc.id, amount_minor: Number(session.amountMinor), currency: session.currency, status: 'open', url: null, idempotency_key: '', expires_at: session.expiresAt, provider_payment_id: null, payment_id: null, created_at: now, updated_at: now })
      .execute();
  }
  switch (type) {
    case 'checkout.session.expired':
      await setSessionStatus(tx, session.id, 'expired', ['open'], now);
      return { ...base, outcome: 'expired' };
    case 'checkout.session.async_payment_failed':
      await setSessionStatus(tx, session.id, 'failed', ['open', 'processing'], now);
      return { ...base, outcome: 'failed' };
    case 'checkout.session.completed':
      if (session.paymentStatus !== 'paid') {
        // Bank debits and the like: the money arrives later, with async_payment_succeeded.
        await setSessionStatus(tx, session.id, 'processing', ['open'], now);
        return { ...base, outcome: 'pending' };
      }
      return recordPaid(tx, deps, doc, session, base, now);
    case 'checkout.session.async_payment_succeeded':
      return recordPaid(tx, deps, doc, session, base, now);
    default: {
      const unknown: never = type;
      throw new Error(`unhandled Stripe event type ${String(unknown)}`);
    }
  }
}

/**
 * Handles one verified Stripe event inside the caller's transaction. Returns what it did; only
 * an unexpected failure (the database) throws, so that Stripe delivers the event again.
 */
export async function handleStripeEvent(tx: Queryable, deps: WebhookDeps, event: Stripe.Event, now: number): Promise<WebhookOutcome> {
  if (!handledEventTypes.has(event.type)) return { eventId: event.id, type: event.type, outcome: 'ignored' };
  const object = event.data.object as Stripe.Checkout.Session;
  const session = sessionOf(object, object.currency ?? 'USD');
  const inserted = await tx
    .insertInto('pay_events')
    .values({ provider, event_id: event.id, type: event.type, session_id: session.id, outcome: 'received', received_at: now })
    .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return { eventId: event.id, type: event.type, outcome: 'duplicate' };
  const outcome = await apply(tx, deps, event, event.type as HandledType, session, now);
  await tx.updateTable('pay_events').set({ outcome: outcome.outcome }).where('provider', '=', provider).where('event_id', '=', event.id).execute();
  return outcome;
}
