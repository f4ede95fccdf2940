/**
 * The demo business a newcomer sees on first start: a few clients, paid and open invoices (one
 * overdue), a quote waiting for an answer, and a bank statement with payments to reconcile.
 * Only into an empty database (no users, no clients, no documents); `OPSLOOP_DEMO=false` turns
 * it off. Everything is written through the same functions the product uses, so it is audited
 * and numbered like real work. Dates are relative to today so the demo always looks current.
 */
import { addDays } from '../../core/dates.ts';
import type { Engine } from '../../workflow/index.ts';
import { parseDocumentSentence } from '../../ai/draft/index.ts';
import { importStatement } from './banking/index.ts';
import { changeStatus, createDraftDocument } from './documents.ts';
import { defaultPatterns } from './numbering.ts';
import { recordPayment } from './payments.ts';
import type { DocumentStatus } from './status.ts';

interface DemoDocument {
  /** days before today it was issued */
  daysAgo: number;
  sentence: string;
  email: string;
  status: DocumentStatus;
  /** payments, as [amount, days after issue] */
  payments?: [string, number][];
}

const documents: DemoDocument[] = [
  { daysAgo: 70, sentence: 'Invoice Acme Ltd $2,400 for website maintenance due in 14 days', email: 'ap@acme.example', status: 'sent', payments: [['2400.00', 12]] },
  { daysAgo: 40, sentence: 'Invoice Acme Ltd $2,400 for website maintenance due in 14 days', email: 'ap@acme.example', status: 'sent', payments: [['2400.00', 10]] },
  { daysAgo: 10, sentence: 'Invoice Acme Ltd $2,400 for website maintenance due in 14 days', email: 'ap@acme.example', status: 'sent' },
  { daysAgo: 45, sentence: 'Invoice Bright Dental $1,200.50 for 3 months of SEO, net 30', email: 'accounts@brightdental.example', status: 'overdue' },
  { daysAgo: 20, sentence: 'bill Jones Plumbing 3 hrs @ $85/hr, net 30', email: 'office@jonesplumbing.example', status: 'sent' },
  { daysAgo: 50, sentence: 'Invoice Northwind Traders $980 for logo design due in 30 days', email: 'finance@northwind.example', status: 'sent', payments: [['500.00', 20], ['480.00', 35]] },
  { daysAgo: 3, sentence: 'Quote Northwind Traders $1,500 for a brand refresh, valid 30 days', email: 'finance@northwind.example', status: 'sent' },
];

/** True when the database holds nothing yet: no users, clients or documents. */
export async function isEmptyBusiness(engine: Engine): Promise<boolean> {
  const db = engine.database.db;
  const [user, client, document] = await Promise.all([
    db.selectFrom('users').select('id').limit(1).executeTakeFirst(),
    db.selectFrom('counterparties').select('id').limit(1).executeTakeFirst(),
    db.selectFrom('documents').select('id').limit(1).executeTakeFirst(),
  ]);
  return user === undefined && client === undefined && document === undefined;
}

/** Seeds the demo business; returns the numbers of the documents it created. */
export async function seedDemo(engine: Engine): Promise<{ documents: string[]; statement: { transactions: number } }> {
  const { dialect } = engine.database;
  const now = engine.clock.now();
  const today = new Date(now).toISOString().slice(0, 10);
  const actor = 'system:demo';
  const numbers: string[] = [];
  const statementLines: string[] = [];
  for (const demo of documents) {
    const issued = addDays(today, -demo.daysAgo);
    const draft = parseDocumentSentence(demo.sentence, { today: issued });
    const number = await engine.committer.unit(async (tx) => {
      const doc = await createDraftDocument(tx, draft, { dialect, pattern: defaultPatterns[draft.kind], actor, source: 'demo', now });
      await tx.updateTable('counterparties').set({ email: demo.email }).where('id', '=', doc.client.id).where('email', 'is', null).execute();
      await changeStatus(tx, dialect, doc.id, 'sent', actor, now, engine.hooks);
      if (demo.status === 'overdue') await changeStatus(tx, dialect, doc.id, 'overdue', actor, now, engine.hooks);
      for (const [amount, after] of demo.payments ?? []) {
        await recordPayment(tx, { dialect, hooks: engine.hooks }, doc.id, { amount, paidOn: addDays(issued, after), method: 'bank_transfer', reference: doc.number }, actor, now);
      }
      return doc.number;
    });
    numbers.push(number);
  }
  // The bank statement: Acme paid its open invoice in full, Jones Plumbing paid part of its bill.
  const acme = numbers[2] ?? '';
  const jones = numbers[4] ?? '';
  statementLines.push(
    'Date,Description,Reference,Name,Amount',
    `${addDays(today, -2)},Transfer,${acme},ACME LTD,2400.00`,
    `${addDays(today, -2)},Office rent,RENT-${today.slice(0, 7)},City Properties,-1800.00`,
    `${addDays(today, -1)},Payment,Invoice ${jones} part,Jones Plumbing Co,100.00`,
    `${addDays(today, -1)},Interest,,Demo Bank,1.12`,
  );
  const imported = await importStatement(
    engine,
    { content: `${statementLines.join('\n')}\n`, format: 'csv', fileName: 'demo-statement.csv', account: 'DEMO-CHECKING', currency: 'USD', mapping: { date: 'Date', description: 'Description', reference: 'Reference', counterparty: 'Name', amount: 'Amount' } },
    { actor },
  );
  return { documents: numbers, statement: { transactions: imported.new } };
}
