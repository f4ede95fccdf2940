/**
 * Pay links as one object the HTTP server holds: the pay page's content, "Pay by card", and the
 * provider webhook. Built from the configuration; one per application, no globals.
 */
import { NotFoundError } from '../../../core/errors.ts';
import type { Dialect } from '../../../data/dialect.ts';
import type { Committer } from '../../../workflow/committer.ts';
import type { EngineHooks } from '../../../workflow/index.ts';
import type { Queryable } from '../../../workflow/store/runs.ts';
import { parseDecimalToMinor } from '../../../ai/draft/money/index.ts';
import type { DocumentView } from '../documents.ts';
import type { BankDetails } from '../pdf/index.ts';
import { startCheckout, type CheckoutOutcome } from './checkout.ts';
import { amountDueMinor, invoiceByPayToken, isPayable, money, payLink, payUrlFor } from './links.ts';
import { manualProvider, type PaymentInstructions, type PaymentProvider } from './providers.ts';
import type { PaySettings } from './settings.ts';
import { StripeProvider } from './stripe.ts';
import { handleStripeEvent, type WebhookOutcome } from './webhook.ts';

export interface PayLinksDeps {
  db: Queryable;
  committer: Committer;
  dialect: Dialect;
  hooks: EngineHooks;
  now(): number;
  settings: PaySettings;
  /** the business name and bank details at the time a page is shown (Settings); default `settings`' */
  business?: () => Promise<{ businessName: string; bank: BankDetails | null }>;
  /** called after a payment was recorded and committed (wake the worker: runs waiting for it go on) */
  onPaid?(): void;
}

/** What the pay page shows. */
export interface PayPage {
  businessName: string;
  url: string;
  document: DocumentView;
  /** "600.00 USD" */
  due: string;
  dueMinor: bigint;
  /** money received so far ("400.00 USD"), null when none */
  paidSoFar: string | null;
  /** what credit notes took off the invoice ("150.00 USD"), null when none */
  credited: string | null;
  /** payable: sent, partially paid or overdue; settled: paid; closed: void or not yet sent */
  state: 'payable' | 'settled' | 'closed';
  /** bank transfer first, then card when it is set up */
  instructions: PaymentInstructions[];
  cardAvailable: boolean;
}

export class PayLinks {
  readonly #d: PayLinksDeps;
  readonly manual: PaymentProvider;
  readonly stripe: StripeProvider | null;

  constructor(deps: PayLinksDeps) {
    this.#d = deps;
    this.manual = manualProvider(deps.settings);
    this.stripe = deps.settings.stripe === null ? null : new StripeProvider(deps.settings.stripe);
  }

  /** The providers a client can use now: `manual` always, `stripe` when configured. */
  get providers(): PaymentProvider[] {
    return this.stripe === null ? [this.manual] : [this.manual, this.stripe];
  }

  /** The absolute pay link of a payable invoice, created on first use. */
  link(idOrNumber: string): Promise<string> {
    return this.#d.committer.unit((tx) => payLink(tx, idOrNumber, { publicUrl: this.#d.settings.publicUrl }));
  }

  async page(token: string): Promise<PayPage> {
    const document = await invoiceByPayToken(this.#d.db, token);
    const dueMinor = isPayable(document) ? await amountDueMinor(this.#d.db, document.id) : 0n;
    const state = isPayable(document) ? 'payable' : document.status === 'paid' ? 'settled' : 'closed';
    const business = this.#d.business === undefined ? null : await this.#d.business();
    const creditedMinor = parseDecimalToMinor(document.credited, document.currency);
    const receivedMinor = parseDecimalToMinor(document.paid, document.currency) - creditedMinor;
    const providers = business === null ? this.providers : [manualProvider(business), ...this.providers.slice(1)];
    return {
      businessName: business?.businessName ?? this.#d.settings.businessName,
      url: payUrlFor(this.#d.settings.publicUrl, token),
      document,
      due: money(dueMinor, document.currency),
      dueMinor,
      paidSoFar: receivedMinor > 0n ? money(receivedMinor, document.currency) : null,
      credited: creditedMinor > 0n ? money(creditedMinor, document.currency) : null,
      state,
      instructions: state === 'payable' ? providers.map((p) => p.describe(document, dueMinor)) : [],
      cardAvailable: this.stripe !== null,
    };
  }

  /** "Pay by card": where to send the client (an open session is reused). */
  checkout(token: string): Promise<CheckoutOutcome> {
    return startCheckout({ db: this.#d.db, committer: this.#d.committer, now: this.#d.now, publicUrl: this.#d.settings.publicUrl }, this.stripe, token);
  }

  /**
   * A Stripe webhook delivery: the signature is checked first (a ValidationError when it is
   * missing, wrong or stale; nothing is stored), then the event is handled in one transaction.
   */
  async stripeWebhook(rawBody: Buffer, signature: string | undefined): Promise<WebhookOutcome> {
    if (this.stripe === null) throw new NotFoundError('PAYMENT_WEBHOOK_NOT_CONFIGURED', 'Stripe is not set up here (STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are unset)');
    const now = this.#d.now();
    const event = this.stripe.verifyEvent(rawBody, signature, now);
    const deps = { dialect: this.#d.dialect, hooks: this.#d.hooks, timezone: this.#d.settings.timezone };
    const outcome = await this.#d.committer.unit((tx) => handleStripeEvent(tx, deps, event, now));
    if (outcome.outcome === 'recorded' || outcome.outcome === 'overpaid') this.#d.onPaid?.();
    return outcome;
  }
}
