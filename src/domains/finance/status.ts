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
