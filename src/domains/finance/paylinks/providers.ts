/**
 * Payment providers behind one interface. `manual` (bank transfer quoting the invoice number) is
 * always there; `stripe` (card payment through Stripe Checkout) when STRIPE_SECRET_KEY is set.
 */
import type { DocumentView } from '../documents.ts';
import type { BankDetails } from '../pdf/index.ts';
import { money } from './links.ts';

/** What a client reads to pay one way: a title, a sentence, and the details to copy. */
export interface PaymentInstructions {
  provider: string;
  title: string;
  text: string;
  /** "IBAN: DE89 3704 …", one detail a line */
  details: string[];
  /** what to quote with the payment: the invoice number */
  reference: string;
}

export interface CheckoutRequest {
  /** in the invoice currency's minor units */
  amountMinor: bigint;
  successUrl: string;
  cancelUrl: string;
  /** the same key returns the same session, so a repeated request never opens a second one */
  idempotencyKey: string;
}

export interface CheckoutSession {
  id: string;
  /** where to send the client; null once the session is closed */
  url: string | null;
  status: 'open' | 'complete' | 'expired';
  paymentStatus: 'paid' | 'unpaid' | 'no_payment_required';
  amountMinor: bigint;
  /** ISO 4217, upper case */
  currency: string;
  /** epoch ms */
  expiresAt: number | null;
  paymentId: string | null;
  metadata: Record<string, string>;
}

export interface PaymentProvider {
  readonly name: string;
  /** The instructions for paying `dueMinor` of this invoice this way. */
  describe(doc: DocumentView, dueMinor: bigint): PaymentInstructions;
  /** Opens a hosted checkout for the amount; only providers that take payments online have it. */
  createCheckout?(doc: DocumentView, request: CheckoutRequest): Promise<CheckoutSession>;
  /** The current state of a checkout opened earlier. */
  retrieveCheckout?(id: string, currency: string): Promise<CheckoutSession>;
}

/** "DE89 3704 0044 …", as the PDF prints it. */
function groupIban(iban: string): string {
  return iban.replace(/\s+/g, '').toUpperCase().replace(/(.{4})(?=.)/g, '$1 ');
}

/** The bank details as lines, as the PDF prints them. */
export function bankDetailLines(bank: BankDetails | null): string[] {
  if (bank === null) return [];
  const lines: string[] = [];
  if (bank.accountName !== undefined) lines.push(`Account name: ${bank.accountName}`);
  if (bank.iban !== undefined) lines.push(`IBAN: ${groupIban(bank.iban)}`);
  if (bank.bic !== undefined) lines.push(`BIC: ${bank.bic}`);
  if (bank.accountNumber !== undefined) lines.push(`Account number: ${bank.accountNumber}`);
  if (bank.sortCode !== undefined) lines.push(`Sort code: ${bank.sortCode}`);
  return lines;
}

/** Bank transfer: the business's bank details and the invoice number as the payment reference. */
export function manualProvider(settings: { businessName: string; bank: BankDetails | null }): PaymentProvider {
  return {
    name: 'manual',
    describe(doc, dueMinor) {
      const details = bankDetailLines(settings.bank);
      const amount = money(dueMinor, doc.currency);
      const text =
        details.length > 0
          ? `Transfer ${amount} to the account below, quoting ${doc.number} as the payment reference.`
          : `Pay ${amount} by bank transfer, quoting ${doc.number} as the payment reference; ask ${settings.businessName} for the bank details.`;
      return { provider: 'manual', title: 'Bank transfer', text, details, reference: doc.number };
    },
  };
}
