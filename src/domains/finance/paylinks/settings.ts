/** What the pay pages, the PDF and the email need to know about the business and its payment providers. */
import type { Config } from '../../../core/config.ts';
import type { BankDetails } from '../pdf/index.ts';
import type { BusinessProfile } from '../service.ts';

export interface StripeSettings {
  secretKey: string;
  webhookSecret: string;
  /** e.g. http://127.0.0.1:4010 for a local fake; unset means Stripe itself */
  apiUrl?: string | undefined;
  timeoutMs: number;
}

export interface PaySettings {
  businessName: string;
  /** absolute, without a trailing slash: links are `${publicUrl}/pay/<token>` */
  publicUrl: string;
  bank: BankDetails | null;
  /** the business's time zone: the date a card payment is recorded on */
  timezone: string;
  stripe: StripeSettings | null;
}

function bankOf(config: Config): BankDetails | null {
  const bank: BankDetails = {};
  if (config.bankAccountName !== undefined) bank.accountName = config.bankAccountName;
  if (config.bankIban !== undefined) bank.iban = config.bankIban;
  if (config.bankBic !== undefined) bank.bic = config.bankBic.toUpperCase();
  if (config.bankAccountNumber !== undefined) bank.accountNumber = config.bankAccountNumber;
  if (config.bankSortCode !== undefined) bank.sortCode = config.bankSortCode;
  return Object.keys(bank).length === 0 ? null : bank;
}

export function paySettings(config: Config): PaySettings {
  return {
    businessName: config.businessName,
    publicUrl: config.publicUrl,
    bank: bankOf(config),
    timezone: config.timezone,
    stripe:
      config.stripeSecretKey === undefined || config.stripeWebhookSecret === undefined
        ? null
        : { secretKey: config.stripeSecretKey, webhookSecret: config.stripeWebhookSecret, apiUrl: config.stripeApiUrl, timeoutMs: config.stripeTimeoutMs },
  };
}

/** Who documents are from, with the bank details and the public address pay links are built on. */
export function businessProfile(config: Config): BusinessProfile {
  return { name: config.businessName, address: config.businessAddress ?? null, email: config.businessEmail ?? null, bank: bankOf(config), publicUrl: config.publicUrl };
}
