/** The "Payment" part of an invoice PDF: amounts paid, credited and due, how to pay, the reference and the pay link. */
import type { Queryable } from '../../../workflow/store/runs.ts';
import type { DocumentView } from '../documents.ts';
import type { BankDetails } from '../pdf/index.ts';
import { ensurePublicToken, isPayable, payUrlFor } from './links.ts';
import { formatMinor, parseDecimalToMinor } from '../../../ai/draft/money/index.ts';

export interface PdfPaymentFields {
  bank: BankDetails | null;
  paymentInstructions: string | null;
  payUrl: string | null;
  amountPaid: string | null;
  amountCredited: string | null;
  amountDue: string | null;
}

/**
 * The payment fields for a document's PDF. A payable invoice gets its pay link (created on first
 * use, so it needs `publicUrl`); a paid or void one gets no instructions at all. Money received and
 * credit notes applied print as separate lines ("Amount paid", "Credited").
 */
export async function pdfPaymentFields(db: Queryable, doc: DocumentView, business: { bank?: BankDetails | null; publicUrl?: string | null }): Promise<PdfPaymentFields> {
  const bank = business.bank ?? null;
  const none = { paymentInstructions: null, payUrl: null, amountPaid: null, amountCredited: null, amountDue: null };
  if (doc.kind !== 'invoice') return { bank, ...none };
  const row = await db.selectFrom('documents').select(['total_minor', 'paid_minor']).where('id', '=', doc.id).executeTakeFirstOrThrow();
  const settled = BigInt(row.paid_minor);
  const credited = parseDecimalToMinor(doc.credited, doc.currency);
  const received = settled - credited;
  const due = BigInt(row.total_minor) - settled;
  const shown = (minor: bigint): string | null => (minor > 0n ? formatMinor(minor, doc.currency) : null);
  const amounts = settled > 0n ? { amountPaid: shown(received), amountCredited: shown(credited), amountDue: formatMinor(due, doc.currency) } : { amountPaid: null, amountCredited: null, amountDue: null };
  if (doc.status === 'paid') return { bank: null, ...none, ...amounts, paymentInstructions: received > 0n ? 'Paid in full. Thank you.' : 'Settled in full by credit note. Nothing is due.' };
  if (doc.status === 'void') return { bank: null, ...none };
  const by = doc.dueDate === null ? '' : ` by ${doc.dueDate}`;
  const paymentInstructions = `Please pay ${formatMinor(due, doc.currency)} ${doc.currency}${by}, quoting ${doc.number} as the payment reference.`;
  const publicUrl = business.publicUrl ?? null;
  const payUrl = isPayable(doc) && publicUrl !== null ? payUrlFor(publicUrl, await ensurePublicToken(db, doc.id)) : null;
  return { bank, paymentInstructions, payUrl, ...amounts };
}
