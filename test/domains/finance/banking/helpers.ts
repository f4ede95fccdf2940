/** Invoices to reconcile against, created the way a person would: one sentence each, then sent. */
import fs from 'node:fs';
import path from 'node:path';
import { changeStatus, createDraftFromSentence } from '../../../../src/domains/finance/index.ts';
import type { TestApp } from '../../../helpers/app.ts';

export const fixtures = path.resolve(import.meta.dirname, '../../../fixtures/bank');
export const fixture = (name: string): string => fs.readFileSync(path.join(fixtures, name), 'utf8');

/** Creates and sends one invoice per sentence (issued on `today`); returns their numbers in order. */
export async function sendInvoices(t: TestApp, sentences: string[], today = '2026-01-02'): Promise<string[]> {
  const deps = { committer: t.app.engine.committer, dialect: t.app.database.dialect, now: () => t.clock.now(), hooks: t.app.engine.hooks };
  const numbers: string[] = [];
  for (const sentence of sentences) {
    const { document } = await createDraftFromSentence(deps, sentence, { today });
    if (document === null) throw new Error('no document');
    await changeStatus(deps, document.id, 'sent', 'test');
    numbers.push(document.number);
  }
  return numbers;
}

export async function countRows(t: TestApp): Promise<{ statements: number; transactions: number; matches: number; payments: number }> {
  const db = t.app.database.db;
  const count = async (table: 'bank_statements' | 'bank_transactions' | 'bank_matches' | 'payments'): Promise<number> => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { statements: await count('bank_statements'), transactions: await count('bank_transactions'), matches: await count('bank_matches'), payments: await count('payments') };
}
