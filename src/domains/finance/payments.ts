/**
 * Getting paid: a payment recorded against an invoice moves it to partially paid or paid, is
 * audited, and emits `payment.received` (correlation key: the invoice number) in the same
 * transaction — so a run waiting for that payment wakes up, and nothing is recorded half-way.
 * The invoice's row is locked first (PostgreSQL), so a payment and a credit note applied at the
 * same moment never both count against the same amount due. Credit notes settle invoices too
 * (credit-allocations.ts), as `payments` rows of method `credit_note`, without `payment.received`.
 */
import { z } from 'zod';
import { ConflictError, ValidationError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { Dialect } from '../../data/dialect.ts';
import { appendAudit } from '../../governance/index.ts';
import { formatMinor, parseDecimalToMinor } from '../../ai/draft/money/index.ts';
import { emitEvent, type EngineHooks } from '../../workflow/index.ts';
import type { Queryable } from '../../workflow/store/runs.ts';
import { announceStatus, getDocument, lockDocument, type DocumentView } from './document-records.ts';
import { assertTransition, settledStatus } from './status.ts';

export const paymentInput = z
  .object({
    amount: z.string().regex(/^\d+(\.\d+)?$/, 'must be a positive decimal amount such as "250.00"'),
    paidOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD'),
    method: z.enum(['bank_transfer', 'card', 'cash', 'stripe', 'other']).default('bank_transfer'),
    reference: z.string().max(200).optional(),
  })
  .strict();
export type PaymentInput = z.input<typeof paymentInput>;

export async function recordPayment(
  tx: Queryable,
  deps: { dialect: Dialect; hooks: EngineHooks },
  idOrNumber: string,
  raw: PaymentInput,
  actor: string,
  now: number,
): Promise<{ document: DocumentView; payment: { id: string; amount: string } }> {
  const parsed = paymentInput.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError('PAYMENT_INVALID', `Payment ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, { details: { path: issue?.path.join('.') } });
  }
  const input = parsed.data;
  await lockDocument(tx, deps.dialect, idOrNumber);
  const before = await getDocument(tx, idOrNumber);
  if (before.kind !== 'invoice') throw new ConflictError('PAYMENT_NOT_AN_INVOICE', `${before.number} is a ${before.kind.replace('_', ' ')}; payments are recorded against invoices`);
  let amount: bigint;
  try {
    amount = parseDecimalToMinor(input.amount, before.currency);
  } catch (error) {
    throw new ValidationError('PAYMENT_INVALID', `Payment amount "${input.amount}" does not fit ${before.currency}: ${(error as Error).message}`, { details: { path: 'amount' }, cause: error });
  }
  if (amount <= 0n) throw new ValidationError('PAYMENT_INVALID', 'A payment must be more than zero', { details: { path: 'amount' } });
  const total = parseDecimalToMinor(before.total, before.currency);
  const paid = parseDecimalToMinor(before.paid, before.currency) + amount;
  if (paid > total) {
    throw new ConflictError('PAYMENT_TOO_MUCH', `${before.number} has ${formatMinor(total - paid + amount, before.currency)} ${before.currency} left to pay; ${input.amount} is more than that`);
  }
  const status = settledStatus(total, paid);
  // A second partial payment keeps the status: only a change is checked against the rules.
  if (status !== before.status) assertTransition(before.kind, before.status, status, before.number);
  const id = newId();
  await tx.insertInto('payments').values({ id, document_id: before.id, amount_minor: Number(amount), currency: before.currency, paid_on: input.paidOn, method: input.method, reference: input.reference ?? null, created_at: now }).execute();
  await tx.updateTable('documents').set({ paid_minor: Number(paid), status, updated_at: now }).where('id', '=', before.id).execute();
  await appendAudit(
    tx,
    deps.dialect,
    [{ actor, action: 'record.changed', subjectType: 'document', subjectId: before.id, data: { before: { status: before.status, paid: before.paid }, after: { status, paid: formatMinor(paid, before.currency) }, payment: { id, amount: input.amount, method: input.method, reference: input.reference ?? null } } }],
    now,
  );
  await emitEvent(
    tx,
    deps.dialect,
    { name: 'payment.received', key: before.number, payload: { document: before.number, amount: input.amount, currency: before.currency, paid: formatMinor(paid, before.currency), due: formatMinor(total - paid, before.currency), status }, source: actor },
    now,
    deps.hooks,
  );
  const after = await getDocument(tx, before.id);
  await announceStatus(tx, deps.dialect, before.status, after, actor, now, deps.hooks);
  return { document: after, payment: { id, amount: input.amount } };
}
