/**
 * Quote and estimate acceptance. A quote gets an unguessable public link; the client opens it,
 * accepts or declines. Accepting converts it into a draft invoice carrying the client, the lines
 * and the terms, in the same transaction that records the acceptance (audited).
 */
import { randomBytes } from 'node:crypto';
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { Dialect } from '../../data/dialect.ts';
import { appendAudit } from '../../governance/index.ts';
import type { Queryable } from '../../workflow/store/runs.ts';
import { getDocument, type DocumentView } from './documents.ts';
import { defaultPatterns, takeNumber } from './numbering.ts';
import { assertTransition } from './status.ts';

/** The token of a document's public link, created on first use. */
export async function publicToken(tx: Queryable, idOrNumber: string, now: number): Promise<string> {
  const document = await getDocument(tx, idOrNumber);
  const row = await tx.selectFrom('documents').select('public_token').where('id', '=', document.id).executeTakeFirstOrThrow();
  if (row.public_token !== null) return row.public_token;
  const token = randomBytes(24).toString('base64url');
  await tx.updateTable('documents').set({ public_token: token, updated_at: now }).where('id', '=', document.id).execute();
  return token;
}

export async function documentByToken(db: Queryable, token: string): Promise<DocumentView> {
  const row = token.length >= 20 ? await db.selectFrom('documents').select('id').where('public_token', '=', token).executeTakeFirst() : undefined;
  if (row === undefined) throw new NotFoundError('DOCUMENT_LINK_INVALID', 'This link is not valid (it may have been mistyped or withdrawn)');
  return getDocument(db, row.id);
}

/** Accepts or declines a sent quote or estimate by its public link; accepting creates the invoice. */
export async function respondToQuote(tx: Queryable, dialect: Dialect, token: string, answer: 'accept' | 'decline', now: number, today: string): Promise<{ quote: DocumentView; invoice: DocumentView | null }> {
  const quote = await documentByToken(tx, token);
  if (quote.kind !== 'quote' && quote.kind !== 'estimate') throw new ConflictError('DOCUMENT_NOT_A_QUOTE', `${quote.number} is not a quote or estimate`);
  if (quote.validUntil !== null && today > quote.validUntil && answer === 'accept') {
    throw new ConflictError('QUOTE_EXPIRED', `${quote.number} was valid until ${quote.validUntil}; ask for a new quote`);
  }
  const to = answer === 'accept' ? 'accepted' : 'declined';
  assertTransition(quote.kind, quote.status, to, quote.number);
  await tx.updateTable('documents').set({ status: to, updated_at: now }).where('id', '=', quote.id).execute();
  const entries = [{ actor: 'client:link', action: 'record.changed', subjectType: 'document', subjectId: quote.id, data: { before: { status: quote.status }, after: { status: to } } }];
  let invoice: DocumentView | null = null;
  if (answer === 'accept') {
    const source = await tx.selectFrom('documents').selectAll().where('id', '=', quote.id).executeTakeFirstOrThrow();
    const id = newId();
    const number = await takeNumber(tx, 'invoice', defaultPatterns.invoice, today);
    await tx
      .insertInto('documents')
      .values({ ...source, id, kind: 'invoice', number, status: 'draft', issue_date: today, due_date: null, valid_until: null, reference: quote.number, paid_minor: 0, source: `quote:${quote.id}`, public_token: null, converted_to: null, sent_at: null, created_at: now, updated_at: now })
      .execute();
    const lines = await tx.selectFrom('document_lines').selectAll().where('document_id', '=', quote.id).execute();
    if (lines.length > 0) await tx.insertInto('document_lines').values(lines.map((l) => ({ ...l, document_id: id }))).execute();
    await tx.updateTable('documents').set({ converted_to: id }).where('id', '=', quote.id).execute();
    invoice = await getDocument(tx, id);
    entries.push({ actor: 'client:link', action: 'record.created', subjectType: 'document', subjectId: id, data: { after: invoice, fromQuote: quote.number } as never });
  }
  await appendAudit(tx, dialect, entries, now);
  return { quote: { ...quote, status: to }, invoice };
}
