/**
 * Pay links: an invoice's public, unguessable address `/pay/<token>`. The token is the document's
 * `public_token` (the same one a quote's link uses), created on first use.
 */
import { randomBytes } from 'node:crypto';
import { ConflictError, NotFoundError } from '../../../core/errors.ts';
import { formatMinor } from '../../../ai/draft/money/index.ts';
import type { Queryable } from '../../../workflow/store/runs.ts';
import { documentByToken } from '../acceptance.ts';
import { getDocument, type DocumentView } from '../documents.ts';

/** The invoice statuses a client can still pay in. */
export const payableStatuses: ReadonlySet<string> = new Set(['sent', 'partially_paid', 'overdue']);

export function isPayable(doc: DocumentView): boolean {
  return doc.kind === 'invoice' && payableStatuses.has(doc.status);
}

/** What is left to pay, in minor units, read from the stored row (never from formatted text). */
export async function amountDueMinor(db: Queryable, documentId: string): Promise<bigint> {
  const row = await db.selectFrom('documents').select(['total_minor', 'paid_minor']).where('id', '=', documentId).executeTakeFirstOrThrow();
  return BigInt(row.total_minor) - BigInt(row.paid_minor);
}

/** "1000.00 USD" */
export function money(minor: bigint, currency: string): string {
  return `${formatMinor(minor, currency)} ${currency}`;
}

export function payUrlFor(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/pay/${token}`;
}

/**
 * The document's public token, created on first use. The update only fills an empty token, so two
 * callers at once end up with the same one (the loser reads the winner's).
 */
export async function ensurePublicToken(db: Queryable, documentId: string): Promise<string> {
  const row = await db.selectFrom('documents').select('public_token').where('id', '=', documentId).executeTakeFirstOrThrow();
  if (row.public_token !== null) return row.public_token;
  await db.updateTable('documents').set({ public_token: randomBytes(24).toString('base64url') }).where('id', '=', documentId).where('public_token', 'is', null).execute();
  const again = await db.selectFrom('documents').select('public_token').where('id', '=', documentId).executeTakeFirstOrThrow();
  if (again.public_token === null) throw new Error(`the public token of document ${documentId} was not stored`);
  return again.public_token;
}

/**
 * The absolute pay link of an invoice that can be paid (sent, partially paid or overdue), created
 * on first use.
 *
 * @example
 * const url = await committer.unit((tx) => payLink(tx, 'INV-2026-0001', { publicUrl: config.publicUrl }));
 * // https://billing.example.com/pay/Xk3…
 */
export async function payLink(tx: Queryable, idOrNumber: string, options: { publicUrl: string }): Promise<string> {
  const doc = await getDocument(tx, idOrNumber);
  if (doc.kind !== 'invoice') throw new ConflictError('PAYLINK_NOT_AN_INVOICE', `${doc.number} is a ${doc.kind.replace('_', ' ')}; only invoices have pay links`);
  if (!payableStatuses.has(doc.status)) {
    throw new ConflictError('PAYLINK_NOT_PAYABLE', `${doc.number} is ${doc.status.replace('_', ' ')}; a pay link is for an invoice that is sent, partially paid or overdue`, { details: { status: doc.status } });
  }
  return payUrlFor(options.publicUrl, await ensurePublicToken(tx, doc.id));
}

/** The invoice behind a pay link; a wrong token or a link to another kind of document is not found. */
export async function invoiceByPayToken(db: Queryable, token: string): Promise<DocumentView> {
  const doc = await documentByToken(db, token);
  if (doc.kind !== 'invoice') throw new NotFoundError('PAYLINK_INVALID', 'This is not a payment link (it may have been mistyped)');
  return doc;
}
