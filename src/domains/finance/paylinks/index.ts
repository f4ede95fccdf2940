/**
 * Payment links and pay pages: every payable invoice has a public page at an unguessable link,
 * with bank-transfer instructions (provider `manual`) and, when Stripe is set up, "Pay by card"
 * through Stripe Checkout; Stripe's webhook records the payment once.
 */
export { PayLinks, type PayLinksDeps, type PayPage } from './service.ts';
export { payLink, invoiceByPayToken, isPayable, payableStatuses, payUrlFor, ensurePublicToken } from './links.ts';
export { manualProvider, bankDetailLines, type PaymentProvider, type PaymentInstructions, type CheckoutRequest, type CheckoutSession } from './providers.ts';
export { StripeProvider, toStripeAmount, fromStripeAmount, WEBHOOK_TOLERANCE_SECONDS } from './stripe.ts';
export { startCheckout, type CheckoutOutcome } from './checkout.ts';
export { handleStripeEvent, handledEventTypes, type WebhookOutcome } from './webhook.ts';
export { paySettings, businessProfile, type PaySettings, type StripeSettings } from './settings.ts';
export { pdfPaymentFields, type PdfPaymentFields } from './pdf.ts';
