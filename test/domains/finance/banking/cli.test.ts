/** `opsloop bank …` as a person runs it: a real process on a real database. */
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, testDialects, type TestDatabase } from '../../../helpers/dialects.ts';
import { runOpsLoop } from '../../../helpers/process.ts';
import { parseMapOption } from '../../../../src/cli/banking.ts';
import { fixtures } from './helpers.ts';

const giro = path.join(fixtures, 'giro-2026-01.csv');
const giroArgs = ['--account', 'DE89 3704 0044 0532 0130 00', '--currency', 'EUR', '--map', 'date=Buchungstag,amount=Betrag (EUR),description=Verwendungszweck,counterparty=Auftraggeber / Begünstigter', '--date-format', 'DD.MM.YYYY'];

// A thin shell over what the other tests run on every database; each command starts a process
// (seconds on a busy machine), so the smoke test runs on the first dialect only.
for (const dialect of testDialects().slice(0, 1)) {
  describe(`opsloop bank on ${dialect}`, () => {
    let db: TestDatabase;
    const opsloop = (...args: string[]) => runOpsLoop(args, db.env);
    before(async () => {
      db = await createTestDatabase(dialect);
    });
    after(async () => db.cleanup());

    test('import (again: nothing new), a bad file, list, reconcile', { timeout: 60_000 }, async () => {
      const first = await opsloop('bank', 'import', giro, ...giroArgs);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /Imported giro-2026-01\.csv \(csv\) for account DE89370400440532013000: 7 transaction\(s\), 7 new, 0 already imported \(2026-01-08 to 2026-01-28\)\./);
      const again = await opsloop('bank', 'import', giro, ...giroArgs, '--json');
      assert.deepEqual([JSON.parse(again.stdout).new, JSON.parse(again.stdout).existing], [0, 7]);

      const bad = path.join(db.config.dataDir, 'bad.csv');
      fs.writeFileSync(bad, 'Date;Amount\n2026-01-05;1,00\n2026-13-01;2,00\n');
      const refused = await opsloop('bank', 'import', bad, '--account', 'X1', '--currency', 'EUR');
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /error BANK_STATEMENT_INVALID: Line 3: "2026-13-01" is not a date written YYYY-MM-DD \(column "Date"\)/);

      const list = await opsloop('bank', 'transactions', '--status', 'unmatched');
      assert.equal(list.code, 0, list.stderr);
      assert.equal(list.stdout.trim().split('\n').length, 7);
      assert.match(list.stdout, /2026-01-08\s+1200\.00 EUR\s+unmatched\s+Acme Ltd\s+RE INV-2026-0001 Webdesign/);

      const reconciled = await opsloop('bank', 'reconcile');
      assert.equal(reconciled.code, 0, reconciled.stderr);
      assert.match(reconciled.stdout, /3 incoming transaction\(s\) without a match\./, 'no invoices yet');
    });
  });
}

describe('opsloop bank import --map', () => {
  test('columns by header name; unknown fields and empty names are refused', () => {
    assert.deepEqual(parseMapOption('date=Buchungstag, amount=Betrag (EUR),counterparty=Name'), { date: 'Buchungstag', amount: 'Betrag (EUR)', counterparty: 'Name' });
    assert.throws(() => parseMapOption('datum=Date'), /--map: "datum" is not a field; use date, amount/);
    assert.throws(() => parseMapOption('date='), /--map: date needs a column name/);
  });
});
