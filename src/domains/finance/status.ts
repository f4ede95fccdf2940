/**
 * Document kinds and statuses.
 *
 *   draft -> awaiting_approval -> sent -> partially_paid -> paid
 *   draft -> sent                      (when no approval is needed)
 *   awaiting_approval -> draft          (rejected: back to the drafter)
 *   sent | partially_paid -> overdue    (due date passed, unpaid)
 *   overdue -> partially_paid | paid
 *   draft | awaiting_approval | sent | overdue -> void   (cancelled; the number stays used)
 * Quotes and estimates: draft -> sent -> accepted | declined | expired (and void).
 *
 * Settling an invoice (a payment, or a credit note applied to it) moves it to partially paid or
 * paid (`settledStatus`). Only one thing moves it back: voiding a credit note applied to it takes
 * the credit off, and the invoice goes to what its amounts and dates say (`reopenedStatus`):
 *   paid | partially_paid | overdue -> sent | partially_paid | overdue   (`assertReopen`)
 */
import { ConflictError } from '../../core/errors.ts';
import { DocumentKind } from '../../ai/draft/index.ts';

/** The kinds of business document: the same list the one-sentence parser produces. */
export { DocumentKind };

export const DocumentStatus = {
  draft: 'draft',
  awaitingApproval: 'awaiting_approval',
  sent: 'sent',
  partiallyPaid: 'partially_paid',
  paid: 'paid',
  overdue: 'overdue',
  void: 'void',
  accepted: 'accepted',
  declined: 'declined',
  expired: 'expired',
} as const;
export type DocumentStatus = (typeof DocumentStatus)[keyof typeof DocumentStatus];

const transitions: Record<DocumentStatus, readonly DocumentStatus[]> = {
  draft: ['awaiting_approval', 'sent', 'void'],
  awaiting_approval: ['draft', 'sent', 'void'],
  sent: ['partially_paid', 'paid', 'overdue', 'void', 'accepted', 'declined', 'expired'],
  partially_paid: ['paid', 'overdue'],
  overdue: ['partially_paid', 'paid', 'void'],
  paid: [],
  void: [],
  accepted: [],
  declined: [],
  expired: [],
};

const quoteLike = new Set<DocumentKind>(['quote', 'estimate']);

/** Pure: may a document of `kind` go from `from` to `to`? */
export function canTransition(kind: DocumentKind, from: DocumentStatus, to: DocumentStatus): boolean {
  if (!transitions[from].includes(to)) return false;
  const acceptance = to === 'accepted' || to === 'declined' || to === 'expired';
  const payment = to === 'partially_paid' || to === 'paid' || to === 'overdue';
  if (acceptance) return quoteLike.has(kind);
  if (payment) return !quoteLike.has(kind);
  return true;
}

export function assertTransition(kind: DocumentKind, from: DocumentStatus, to: DocumentStatus, number: string): void {
  if (!canTransition(kind, from, to)) {
    throw new ConflictError('DOCUMENT_STATUS_CONFLICT', `${number} is ${from}; a ${kind.replace('_', ' ')} cannot go from ${from} to ${to}`, { details: { from, to } });
  }
}

/** Pure: an invoice's status once `settledMinor` of its `totalMinor` is paid or credited. */
export function settledStatus(totalMinor: bigint, settledMinor: bigint): 'paid' | 'partially_paid' {
  return settledMinor >= totalMinor ? 'paid' : 'partially_paid';
}

/**
 * Pure: an invoice's status after a credit was taken off it: paid if it still is, overdue when its
 * due date is before `today`, partially paid when something is still settled, else sent.
 */
export function reopenedStatus(invoice: { totalMinor: bigint; settledMinor: bigint; dueDate: string | null; today: string }): 'paid' | 'partially_paid' | 'overdue' | 'sent' {
  if (invoice.settledMinor >= invoice.totalMinor) return 'paid';
  if (invoice.dueDate !== null && invoice.dueDate < invoice.today) return 'overdue';
  return invoice.settledMinor > 0n ? 'partially_paid' : 'sent';
}

const reopenable = new Set<DocumentStatus>(['paid', 'partially_paid', 'overdue']);
const reopenedTo = new Set<DocumentStatus>(['sent', 'partially_paid', 'overdue']);

/** Moving an invoice back when a credit applied to it is voided; anything else is a conflict. */
export function assertReopen(kind: DocumentKind, from: DocumentStatus, to: DocumentStatus, number: string): void {
  if (kind !== 'invoice' || !reopenable.has(from) || !reopenedTo.has(to)) {
    throw new ConflictError('DOCUMENT_STATUS_CONFLICT', `${number} is ${from}; taking a credit off cannot move a ${kind.replace('_', ' ')} to ${to}`, { details: { from, to } });
  }
}
