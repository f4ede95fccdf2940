/** Importing statements into the database: each line once, re-imports counted, bad files leave nothing. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { importStatement, listTransactions } from '../../../../src/domains/finance/index.ts';
import { OpsLoopError } from '../../../../src/core/errors.ts';
import { openTestApp, type TestApp } from '../../../helpers/app.ts';
import { testDialects } from '../../../helpers/dialects.ts';
import { countRows, fixture } from './helpers.ts';

const giro = { account: 'DE89 3704 0044 0532 0130 00', currency: 'EUR', mapping: { date: 'Buchungstag', amount: 'Betrag (EUR)', description: 'Verwendungszweck', counterparty: 'Auftraggeber / Begünstigter', dateFormat: 'DD.MM.YYYY' } };

for (const dialect of testDialects()) {
  describe(`bank statement import on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await openTestApp(dialect);
    });
    after(async () => t.close());

    test('a CSV export: imported once; the same file again and an overlapping one add only what is new', async () => {
      const content = fixture('giro-2026-01.csv');
      const first = await importStatement(t.app.engine, { content, fileName: 'giro-2026-01.csv', ...giro });
      assert.deepEqual({ format: first.format, accounts: first.accounts, transactions: first.transactions, new: first.new, existing: first.existing, firstDate: first.firstDate, lastDate: first.lastDate }, {
        format: 'csv',
        accounts: ['DE89370400440532013000'],
        transactions: 7,
        new: 7,
        existing: 0,
        firstDate: '2026-01-08',
        lastDate: '2026-01-28',
      });
      const again = await importStatement(t.app.engine, { content, ...giro });
      assert.deepEqual([again.new, again.existing], [0, 7]);
      // The next export overlaps: it starts with the last three January lines and adds one.
      const lines = content.split('\n');
      const overlapping = [...lines.slice(0, 5), ...lines.slice(9, 12), '"02.02.2026";"02.02.2026";"Initech";"INV-2026-0005";"2.000,00"'].join('\n');
      const next = await importStatement(t.app.engine, { content: overlapping, ...giro });
      assert.deepEqual([next.transactions, next.new, next.existing], [4, 1, 3]);
      const all = await listTransactions(t.app.database.db, { account: 'DE89370400440532013000' });
      assert.equal(all.length, 8);
      assert.equal(all.filter((tx) => tx.description === 'Kartenzahlung').length, 2, 'two real, identical card payments stay two');
      assert.deepEqual(all[0], {
        id: all[0]?.id,
        account: 'DE89370400440532013000',
        date: '2026-02-02',
        amount: '2000.00',
        currency: 'EUR',
        description: 'INV-2026-0005',
        reference: null,
        counterparty: 'Initech',
        bankId: null,
        status: 'unmatched',
        matches: [],
        review: null,
        matchedBy: null,
      });
    });

    test('OFX 1.x, OFX 2 and CAMT.053 files; the bank ids keep re-imports out', async () => {
      const sgml = await importStatement(t.app.engine, { content: fixture('checking-2026-01.ofx'), fileName: 'checking-2026-01.ofx' });
      assert.deepEqual([sgml.format, sgml.accounts, sgml.new], ['ofx', ['4417001234'], 4]);
      assert.equal((await importStatement(t.app.engine, { content: fixture('checking-2026-01.ofx') })).existing, 4);
      const xml = await importStatement(t.app.engine, { content: fixture('savings-2026-02.ofx') });
      assert.deepEqual([xml.format, xml.new], ['ofx', 3]);
      const camt = await importStatement(t.app.engine, { content: fixture('statement-2026-01.camt053.xml'), account: 'DE89370400440532013000' });
      assert.deepEqual([camt.format, camt.transactions, camt.new, camt.skipped], ['camt053', 5, 5, 1]);
      assert.equal((await importStatement(t.app.engine, { content: fixture('statement-2026-01.camt053.xml') })).new, 0);
      const usd = await listTransactions(t.app.database.db, { account: '4417001234' });
      assert.deepEqual(usd.map((x) => [x.date, x.amount, x.currency]), [
        ['2026-01-15', '480.50', 'USD'],
        ['2026-01-12', '-250.00', 'USD'],
        ['2026-01-09', '-45.99', 'USD'],
        ['2026-01-08', '1200.00', 'USD'],
      ]);
    });

    test('a bad file is refused with its line, and nothing of it is stored', async () => {
      const before = await countRows(t);
      const lines = fixture('giro-2026-01.csv').split('\n');
      lines[10] = '"20.01.2026";"20.01.2026";"Globex Incorporated";"Rechnungen";"75O,00"';
      const bad = lines.join('\n').replace('"08.01.2026";"08.01.2026";"Acme Ltd"', '"08.01.2026";"08.01.2026";"Acme New Ltd"');
      await assert.rejects(importStatement(t.app.engine, { content: bad, ...giro }), (error: unknown) => {
        assert.ok(error instanceof OpsLoopError);
        assert.equal(error.code, 'BANK_STATEMENT_INVALID');
        assert.equal(error.message, 'Line 11: "75O,00" is not an amount in EUR (column "Betrag (EUR)")');
        return true;
      });
      await assert.rejects(importStatement(t.app.engine, { content: fixture('giro-2026-01.csv'), ...giro, mapping: { ...giro.mapping, amount: 'Amount' } }), /the mapped column "Amount" \(amount\) is not in the CSV header/);
      await assert.rejects(importStatement(t.app.engine, { content: '<OFX><STMTTRN><TRNAMT>5</STMTTRN></OFX>', format: 'ofx', account: 'X1', currency: 'EUR' }), /Line 1: the transaction has no DTPOSTED/);
      await assert.rejects(importStatement(t.app.engine, { content: 'whatever', format: 'mt940' }), /Unknown statement format "mt940"/);
      assert.deepEqual(await countRows(t), before);
    });
  });
}
