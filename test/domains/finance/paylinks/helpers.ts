/** Invoices ready to be paid, and reading what the pay page and the database say about them. */
import assert from 'node:assert/strict';
import { changeStatus, createDraftFromSentence, type DocumentView } from '../../../../src/domains/finance/index.ts';
import type { TestApp } from '../../../helpers/app.ts';

/** Bank details that pass the IBAN check. */
export const bank = { bankAccountName: 'Northwind Design Ltd', bankIban: 'GB29NWBK60161331926819', bankBic: 'NWBKGB2L' };
export const publicUrl = 'https://billing.northwind.example';

/** A sent invoice from one sentence, e.g. "Invoice Acme Ltd $1,000 for design due in 14 days". */
export async function sentInvoice(t: TestApp, sentence: string): Promise<DocumentView> {
  const deps = { committer: t.app.engine.committer, dialect: t.app.database.dialect, now: () => t.clock.now(), hooks: t.app.engine.hooks };
  const { document } = await createDraftFromSentence(deps, sentence, { today: '2026-01-05' });
  assert.ok(document);
  return changeStatus(deps, document.id, 'sent', 'user:owner@example.com');
}

export async function paymentsOf(t: TestApp, documentId: string): Promise<{ amount_minor: number; method: string; reference: string | null }[]> {
  return t.app.database.db.selectFrom('payments').select(['amount_minor', 'method', 'reference']).where('document_id', '=', documentId).orderBy('created_at').execute();
}

/** The visible text of an HTML page, tags dropped and entities of the escaper undone. */
export function textOf(html: string): string {
  return html
    .replace(/<style>.*?<\/style>/gs, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The path of an absolute pay link. */
export function pathOf(link: string): string {
  return new URL(link).pathname;
}
