/**
 * Credit notes for issued invoices: a numbered draft for the same client and currency, its
 * reference the invoice's number, with one line "Credit for <number>: <reason>". The amount is
 * tax-inclusive and defaults to what is still creditable — the invoice total less the credit notes
 * already issued for it (not void) — and can never exceed it.
 *
 * When every line of the invoice has the same tax rate, the credit line carries that rate, with
 * the net price whose net + tax comes back to the amount exactly; when no net price in whole
 * minor units does (tax rounding skips some amounts), or the invoice mixes rates, the line is
 * untaxed, so the credit note's total is always exactly the amount asked for.
 *
 * Issuing the credit note (it is sent) settles the invoice up to what it still owes then; the rest
 * is the client's credit (see credit-allocations.ts).
 */
import { z } from 'zod';
import { ConflictError, ValidationError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { Dialect } from '../../data/dialect.ts';
import { appendAudit } from '../../governance/index.ts';
import { computeTotals, formatMinor, netPriceForGross, parseDecimalToMinor } from '../../ai/draft/money/index.ts';
import type { Queryable } from '../../workflow/store/runs.ts';
import { getDocument, type DocumentView } from './documents.ts';
import { defaultPatterns, takeNumber } from './numbering.ts';

export const creditNoteInput = z
  .object({
    amount: z.string().regex(/^\d+(\.\d+)?$/, 'must be a positive decimal amount such as "250.00"').optional(),
    reason: z.string().trim().min(1, 'say why the invoice is credited').max(500),
  })
  .strict();
export type CreditNoteInput = z.input<typeof creditNoteInput>;

const creditable = new Set(['sent', 'partially_paid', 'overdue', 'paid']);

/** What can still be credited on an invoice, in minor units. */
async function creditableMinor(tx: Queryable, invoice: DocumentView): Promise<bigint> {
  const row = await tx
    .selectFrom('documents')
    .select(({ fn }) => fn.sum<number>('total_minor').as('credited'))
    .where('kind', '=', 'credit_note')
    .where('counterparty_id', '=', invoice.client.id)
    .where('reference', '=', invoice.number)
    .where('status', '!=', 'void')
    .executeTakeFirst();
  return parseDecimalToMinor(invoice.total, invoice.currency) - BigInt(row?.credited ?? 0);
}

/** The credit line: taxed at the invoice's one rate when the amount comes out exactly, else untaxed. */
async function creditLine(tx: Queryable, invoice: DocumentView, amountMinor: bigint): Promise<{ unitPriceMinor: bigint; taxRate: string | null }> {
  const rates = await tx.selectFrom('document_lines').select('tax_rate').distinct().where('document_id', '=', invoice.id).execute();
  const rate = rates.length === 1 ? (rates[0]?.tax_rate ?? null) : null;
  if (rate !== null && Number(rate) > 0) {
    const net = netPriceForGross(amountMinor, '1', rate);
    if (net.exact) return { unitPriceMinor: net.unitPriceMinor, taxRate: rate };
  }
  return { unitPriceMinor: amountMinor, taxRate: null };
}

export interface CreditNoteOptions {
  dialect: Dialect;
  actor: string;
  /** the business's date today (YYYY-MM-DD): the credit note's issue date */
  today: string;
  now: number;
}

/**
 * Creates a draft credit note for an invoice that was sent (or paid). A bad amount is a
 * ValidationError naming `amount`; an invoice that cannot be credited (a draft, void, or fully
 * credited already) is a ConflictError; nothing is written then.
 */
export async function createCreditNote(tx: Queryable, invoiceId: string, raw: unknown, options: CreditNoteOptions): Promise<DocumentView> {
  const parsed = creditNoteInput.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    throw new ValidationError('CREDIT_NOTE_INVALID', `Credit note ${path}: ${issue?.message ?? 'invalid'}`, { details: { path } });
  }
  const input = parsed.data;
  const invoice = await getDocument(tx, invoiceId);
  if (invoice.kind !== 'invoice') throw new ConflictError('CREDIT_NOTE_NOT_AN_INVOICE', `${invoice.number} is a ${invoice.kind.replace('_', ' ')}; credit notes are for invoices`);
  if (!creditable.has(invoice.status)) {
    const why = invoice.status === 'void' ? 'it is void: nothing is owed on it' : 'it has not been sent: void it or change the draft instead';
    throw new ConflictError('CREDIT_NOTE_NOT_CREDITABLE', `${invoice.number} cannot be credited: ${why}`, { details: { status: invoice.status } });
  }
  const left = await creditableMinor(tx, invoice);
  if (left <= 0n) throw new ConflictError('CREDIT_NOTE_NOT_CREDITABLE', `${invoice.number} is credited in full already`);
  let amount = left;
  if (input.amount !== undefined) {
    try {
      amount = parseDecimalToMinor(input.amount, invoice.currency);
    } catch (error) {
      throw new ValidationError('CREDIT_NOTE_INVALID', `Credit note amount "${input.amount}" does not fit ${invoice.currency}: ${(error as Error).message}`, { details: { path: 'amount' }, cause: error });
    }
    if (amount <= 0n) throw new ValidationError('CREDIT_NOTE_INVALID', 'Credit note amount: must be more than zero', { details: { path: 'amount' } });
    if (amount > left) {
      const already = parseDecimalToMinor(invoice.total, invoice.currency) - left;
      const credited = already === 0n ? '' : ` (${formatMinor(already, invoice.currency)} is credited already)`;
      throw new ValidationError('CREDIT_NOTE_TOO_MUCH', `Credit note amount: at most ${formatMinor(left, invoice.currency)} ${invoice.currency} of ${invoice.number} can be credited${credited}; ${input.amount} is more`, { details: { path: 'amount' } });
    }
  }

  const description = `Credit for ${invoice.number}: ${input.reason}`;
  const line = await creditLine(tx, invoice, amount);
  const totals = computeTotals([{ quantity: '1', unitPriceMinor: line.unitPriceMinor, taxRate: line.taxRate }]);
  const id = newId();
  const number = await takeNumber(tx, 'credit_note', defaultPatterns.credit_note, options.today);
  await tx
    .insertInto('documents')
    .values({
      id,
      kind: 'credit_note',
      number,
      status: 'draft',
      counterparty_id: invoice.client.id,
      currency: invoice.currency,
      issue_date: options.today,
      due_date: null,
      valid_until: null,
      reference: invoice.number,
      subtotal_minor: Number(totals.subtotalMinor),
      tax_minor: Number(totals.taxTotalMinor),
      total_minor: Number(totals.totalMinor),
      paid_minor: 0,
      terms: null,
      notes: null,
      source: `credit:${invoice.number}`,
      public_token: null,
      converted_to: null,
      sent_at: null,
      created_at: options.now,
      updated_at: options.now,
    })
    .execute();
  await tx
    .insertInto('document_lines')
    .values({
      document_id: id,
      idx: 0,
      description,
      quantity: '1',
      unit: null,
      unit_price_minor: Number(line.unitPriceMinor),
      discount: null,
      tax_rate: line.taxRate,
      amount_minor: Number(totals.lines[0]?.netMinor ?? 0n),
      tax_minor: Number(totals.lines[0]?.taxMinor ?? 0n),
    })
    .execute();
  const view = await getDocument(tx, id);
  await appendAudit(tx, options.dialect, [{ actor: options.actor, action: 'record.created', subjectType: 'document', subjectId: id, data: { after: view, credits: invoice.number, reason: input.reason } }], options.now);
  return view;
}
