/**
 * The default reply templates, one per intent. Rules they keep:
 * - Only facts from the records: every amount, date, number and link is a slot; a sentence that
 *   needs a fact the records lack is left out (or the slot is required and shown as missing).
 * - No promises: no refund, discount, credit, delivery date or deadline. What happens next is
 *   said as "a person reviews it", never as an outcome.
 * - The customer's text is never echoed (it is not in the scope); only the subject, as "Re: …".
 * - `invoice_copy` and a `quote_request` with a quote record say the document is attached: the
 *   workflows using them attach the PDF in the same send step.
 */
import type { ReplyTemplate } from './types.ts';

const close = '\n\n{{ signoff }}';
const invoiceRef = '{{ invoice.number }}{{ invoice.total ? " for " + invoice.total : "" }}';
const openStatuses = '["sent", "open", "issued", "unpaid", "outstanding", "due"]';
const payOnline = '{{ invoice.status != "paid" and invoice.payUrl ? "You can pay it online here: " + invoice.payUrl : "" }}';
const matchPayment = 'If you have paid recently, please reply with the date and reference of the payment so that we can match it.';

export const defaultTemplates: ReplyTemplate[] = [
  {
    intent: 'invoice_copy',
    purpose: 'The customer asks for a copy of an invoice; it is attached to the reply.',
    subject: '{{ reSubject ?? "Invoice " + invoice.number }}',
    requires: ['invoice.number'],
    body: `{{ greeting }}

Thank you for your message. As requested, please find attached a copy of invoice ${invoiceRef}.{{ invoice.issueDate ? " It was issued on " + invoice.issueDate + "." : "" }}{{ invoice.status != "paid" and invoice.dueDate ? " Payment is due on " + invoice.dueDate + "." : "" }}
{{ invoice.status != "paid" and invoice.payUrl ? "You can also view and pay it online here: " + invoice.payUrl : "" }}

Please let us know if you need anything else.${close}`,
  },
  {
    intent: 'payment_status',
    purpose: 'The customer asks about the status of an invoice or a payment, or when it is due.',
    subject: '{{ reSubject ?? "Invoice " + invoice.number }}',
    requires: ['invoice.number', 'invoice.status'],
    body: `{{ greeting }}

Thank you for asking about invoice ${invoiceRef}.
{{ invoice.status == "paid" ? "Our records show this invoice as paid" + (invoice.paidAt ? " on " + invoice.paidAt : "") + ". Thank you for your payment." : "Our records show this invoice as " + (invoice.status in ${openStatuses} ? "not yet paid" : invoice.statusText ?? invoice.status) + "." + (invoice.amountDue ? " The amount outstanding is " + invoice.amountDue + "." : "") + (invoice.dueDate ? " Payment is due on " + invoice.dueDate + "." : "") }}
${payOnline}
{{ invoice.status != "paid" ? "${matchPayment}" : "" }}${close}`,
  },
  {
    intent: 'payment_reminder',
    purpose: 'A friendly reminder about an overdue invoice, in answer to the customer.',
    subject: '{{ reSubject ?? "Invoice " + invoice.number + " is overdue" }}',
    requires: ['invoice.number', 'invoice.total', 'invoice.dueDate'],
    body: `{{ greeting }}

{{ invoice.status == "paid" ? "Thank you for your message. Our records show invoice " + invoice.number + " as paid, so no further action is needed." : "Thank you for your message. This is a friendly reminder that invoice " + invoice.number + " for " + (invoice.amountDue ?? invoice.total) + " was due on " + invoice.dueDate + " and is still open in our records." }}
${payOnline}

{{ invoice.status != "paid" ? "If you have already paid, please reply with the date and reference of the payment so that we can match it. If anything about the invoice is unclear, just let us know." : "" }}${close}`,
  },
  {
    intent: 'refund_request',
    purpose: 'The customer asks for a refund: acknowledge it and say a person will review it; promise nothing.',
    subject: '{{ reSubject ?? "Your refund request" }}',
    body: `{{ greeting }}

Thank you for getting in touch about a refund{{ invoice.number ? " for invoice " + invoice.number : (order.number ? " for order " + order.number : "") }}. We have received your request, and {{ business.ownerName ?? "our team" }} will review it and reply to you.
{{ invoice.number or order.number ? "" : "To help us review it, please reply with your order or invoice number and the reason for the refund." }}

Please note that we can only confirm a refund once this review is complete.${close}`,
  },
  {
    intent: 'quote_request',
    purpose: 'The customer asks for a quote or a price.',
    subject: '{{ reSubject ?? (quote.number ? "Quote " + quote.number : "Your quote request") }}',
    body: `{{ greeting }}

Thank you for your interest{{ business.name ? " in " + business.name : "" }}.
{{ quote.number ? "Please find attached our quote " + quote.number + (quote.total ? " for " + quote.total : "") + "." + (quote.validUntil ? " It is valid until " + quote.validUntil + "." : "") : "We will prepare a quote for you. So that it is accurate, please send us any details we may need, such as quantities, the scope of the work and the address." }}

If you have any questions, just reply to this email.${close}`,
  },
  {
    intent: 'complaint',
    purpose: 'The customer complains: apologise and say the owner will follow up personally; admit no fault and promise no remedy.',
    subject: '{{ reSubject ?? "Your feedback" }}',
    body: `{{ greeting }}

Thank you for letting us know, and I am sorry {{ order.number ? "about your experience with order " + order.number : (invoice.number ? "about the problem with invoice " + invoice.number : "about your experience") }}.

I have passed your message to {{ business.ownerName ?? "the owner" }}, who will look into it personally and follow up with you.${close}`,
  },
  {
    intent: 'change_address',
    purpose: 'The customer tells us a new address: acknowledge it; the change is checked before it is applied.',
    subject: '{{ reSubject ?? "Your change of address" }}',
    body: `{{ greeting }}

Thank you for letting us know about your change of address. We will update our records{{ client.name ? " for " + client.name : "" }} and confirm to you once the change has been made.

For your security, we check every change of account details before it takes effect, so we may contact you to confirm it.${close}`,
  },
  {
    intent: 'update_details',
    purpose: 'The customer asks us to update their details (contact, billing or bank details): acknowledge; the change is checked first.',
    subject: '{{ reSubject ?? "Your updated details" }}',
    body: `{{ greeting }}

Thank you for sending us your updated details. We will update our records{{ client.name ? " for " + client.name : "" }} and confirm to you once the change has been made.

For your security, we check every change of account details before it takes effect, so we may contact you to confirm it.${close}`,
  },
  {
    intent: 'cancel_order',
    purpose: 'The customer asks to cancel an order: acknowledge it; do not confirm the cancellation.',
    subject: '{{ reSubject ?? "Cancellation of order " + order.number }}',
    requires: ['order.number'],
    body: `{{ greeting }}

Thank you for your message. We have received your request to cancel order {{ order.number }}{{ order.date ? " of " + order.date : "" }}.{{ order.status ? " Our records currently show the order as " + order.statusText + "." : "" }}

We will check whether the order can still be cancelled and confirm the outcome to you.${close}`,
  },
  {
    intent: 'general',
    purpose: 'Acknowledge the message; a person will answer it.',
    subject: '{{ reSubject ?? "Your message" }}',
    body: `{{ greeting }}

Thank you for your message. We have received it and will get back to you as soon as possible.${close}`,
  },
];
