/** Reading statements: CSV (mapped, decimal commas), OFX 1.x SGML, OFX 2 XML, CAMT.053; bad files name the line. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fingerprints, guessFormat, parseBankAmount, parseBankDate, parseStatement, type ParsedStatement } from '../../../../src/domains/finance/index.ts';
import { OpsLoopError } from '../../../../src/core/errors.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../fixtures/bank');
const fixture = (name: string): string => fs.readFileSync(path.join(fixtures, name), 'utf8');
const giroMapping = { date: 'Buchungstag', amount: 'Betrag (EUR)', description: 'Verwendungszweck', counterparty: 'Auftraggeber / Begünstigter', dateFormat: 'DD.MM.YYYY' };
const rows = (p: ParsedStatement) => p.transactions.map((t) => ({ date: t.date, amount: String(t.amountMinor), description: t.description, reference: t.reference, counterparty: t.counterparty, bankId: t.bankId }));

/** The error a bad file throws: its code and message. */
function failure(work: () => unknown): { code: string; message: string } {
  try {
    work();
  } catch (error) {
    assert.ok(error instanceof OpsLoopError, String(error));
    return { code: error.code, message: error.message };
  }
  assert.fail('expected an error');
}

describe('bank amounts and dates', () => {
  test('amounts as banks print them', () => {
    const cases: [string, string, bigint | null][] = [
      ['1.234,56', 'EUR', 123456n],
      ['1,234.56', 'USD', 123456n],
      ['-84,50', 'EUR', -8450n],
      ['12,50-', 'EUR', -1250n],
      ['(12.50)', 'USD', -1250n],
      ['+480.50', 'USD', 48050n],
      ['€ 1 234,56', 'EUR', 123456n],
      ["CHF 1'234.50", 'CHF', 123450n],
      ['1.234', 'EUR', 123400n],
      ['12.345.678,9', 'EUR', 1234567890n],
      ['1500', 'JPY', 1500n],
      ['12.345', 'EUR', 1234500n],
      ['1.23.4', 'EUR', null],
      ['12.345,678', 'EUR', null],
      ['abc', 'EUR', null],
      ['', 'EUR', null],
    ];
    for (const [raw, currency, expected] of cases) assert.equal(parseBankAmount(raw, currency), expected, raw);
    assert.equal(parseBankAmount('1.234', 'EUR', '.'), null, 'three decimals do not fit EUR when "." is the decimal mark');
    assert.equal(parseBankAmount('1,5', 'EUR', ','), 150n);
  });

  test('dates in the format the mapping names', () => {
    assert.equal(parseBankDate('2026-01-05'), '2026-01-05');
    assert.equal(parseBankDate('05/01/2026', 'DD/MM/YYYY'), '2026-01-05');
    assert.equal(parseBankDate('01/05/2026', 'MM/DD/YYYY'), '2026-01-05');
    assert.equal(parseBankDate('5.1.26', 'DD.MM.YY'), '2026-01-05');
    assert.equal(parseBankDate('20260105', 'YYYYMMDD'), '2026-01-05');
    assert.equal(parseBankDate('2026-01-05 14:02:11'), '2026-01-05');
    assert.equal(parseBankDate('31/02/2026', 'DD/MM/YYYY'), null, 'no such day');
    assert.equal(parseBankDate('2026-01-05', 'DD/MM/YYYY'), null, 'another format');
  });
});

describe('statement parsers', () => {
  test('a CSV export with a preamble, semicolons, decimal commas and DD.MM.YYYY dates', () => {
    const parsed = parseStatement(fixture('giro-2026-01.csv'), { account: 'DE89 3704 0044 0532 0130 00', currency: 'EUR', mapping: giroMapping, fileName: 'giro-2026-01.csv' });
    assert.equal(parsed.format, 'csv');
    assert.deepEqual(parsed.accounts, ['DE89370400440532013000']);
    assert.equal(parsed.transactions.length, 7);
    assert.deepEqual(rows(parsed)[0], { date: '2026-01-08', amount: '120000', description: 'RE INV-2026-0001 Webdesign', reference: null, counterparty: 'Acme Ltd', bankId: null });
    assert.deepEqual(parsed.transactions.map((t) => String(t.amountMinor)), ['120000', '-8450', '20000', '-1240', '-1240', '75000', '-1234567']);
    assert.equal(parsed.transactions[0]?.line, 6, 'lines are counted in the file, preamble included');
  });

  test('a CSV with debit and credit columns, US dates and no mapping for well-known headers', () => {
    const csv = ['Date,Description,Debit,Credit,Reference,Payee', '01/05/2026,Card payment,"1,250.00",,,Office Depot', '01/07/2026,Transfer,,300.00,INV-2026-0003,Globex Inc'].join('\n');
    const parsed = parseStatement(csv, { account: 'US-CHK-1', currency: 'USD', mapping: { dateFormat: 'MM/DD/YYYY' } });
    assert.deepEqual(rows(parsed), [
      { date: '2026-01-05', amount: '-125000', description: 'Card payment', reference: null, counterparty: 'Office Depot', bankId: null },
      { date: '2026-01-07', amount: '30000', description: 'Transfer', reference: 'INV-2026-0003', counterparty: 'Globex Inc', bankId: null },
    ]);
  });

  test('OFX 1.x (SGML, elements without closing tags)', () => {
    const parsed = parseStatement(fixture('checking-2026-01.ofx'), { fileName: 'checking-2026-01.ofx' });
    assert.equal(parsed.format, 'ofx');
    assert.deepEqual(parsed.accounts, ['4417001234']);
    assert.deepEqual(rows(parsed), [
      { date: '2026-01-08', amount: '120000', description: 'PAYMENT INV-2026-0001 WEBSITE DESIGN', reference: null, counterparty: 'ACME LTD', bankId: '202601080001' },
      { date: '2026-01-09', amount: '-4599', description: 'POS PURCHASE', reference: null, counterparty: 'OFFICE SUPPLY CO', bankId: '202601090002' },
      { date: '2026-01-12', amount: '-25000', description: null, reference: '1042', counterparty: 'SMITH & SONS PLUMBING', bankId: '202601120003' },
      { date: '2026-01-15', amount: '48050', description: 'INV 2026 0002', reference: null, counterparty: 'MULLER GMBH', bankId: '202601150004' },
    ]);
    assert.ok(parsed.transactions.every((t) => t.currency === 'USD'));
  });

  test('OFX 2 (XML), with a PAYEE aggregate and entities', () => {
    const parsed = parseStatement(fixture('savings-2026-02.ofx'));
    assert.deepEqual(parsed.accounts, ['DE89370400440532013000']);
    assert.deepEqual(rows(parsed), [
      { date: '2026-02-03', amount: '30000', description: 'Invoice INV-2026-0003', reference: null, counterparty: 'Globex Inc', bankId: 'FIT-0203-01' },
      { date: '2026-02-05', amount: '-1999', description: 'Monthly plan <basic>', reference: null, counterparty: 'Hosting & Domains GmbH', bankId: 'FIT-0205-01' },
      { date: '2026-02-10', amount: '200000', description: null, reference: 'INV-2026-0005', counterparty: 'Initech', bankId: 'FIT-0210-01' },
    ]);
    assert.ok(parsed.transactions.every((t) => t.currency === 'EUR'));
  });

  test('CAMT.053: credits and debits, remittance text, parties, a batch split per transaction, pending left out', () => {
    const parsed = parseStatement(fixture('statement-2026-01.camt053.xml'), { fileName: 'statement-2026-01.xml' });
    assert.equal(parsed.format, 'camt053');
    assert.deepEqual(parsed.accounts, ['DE89370400440532013000']);
    assert.equal(parsed.skipped, 1, 'the pending entry');
    assert.deepEqual(rows(parsed), [
      { date: '2026-01-08', amount: '120000', description: 'Invoice INV-2026-0001 website design', reference: null, counterparty: 'ACME LIMITED', bankId: '2026010800123' },
      { date: '2026-01-10', amount: '-8990', description: 'Kundennummer 5521 Rechnung Januar', reference: 'TK-2026-01-5521', counterparty: 'Telekom Deutschland GmbH', bankId: '2026011000456' },
      { date: '2026-01-20', amount: '30000', description: 'INV-2026-0003', reference: null, counterparty: 'Globex Inc.', bankId: '2026012000789-1' },
      { date: '2026-01-20', amount: '45000', description: 'INV-2026-0004', reference: null, counterparty: 'Globex Inc.', bankId: '2026012000789-2' },
      { date: '2026-01-22', amount: '64000', description: null, reference: 'RF18539007547034', counterparty: 'Umbrella Corporation', bankId: '2026012200901' },
    ]);
  });

  test('the format is guessed from the extension and the content', () => {
    assert.equal(guessFormat(fixture('checking-2026-01.ofx')), 'ofx');
    assert.equal(guessFormat(fixture('savings-2026-02.ofx')), 'ofx');
    assert.equal(guessFormat(fixture('statement-2026-01.camt053.xml')), 'camt053');
    assert.equal(guessFormat('a;b\n1;2', 'export.csv'), 'csv');
    assert.equal(guessFormat('<OFX>', 'x.qfx'), 'ofx');
  });

  test('fingerprints: the bank id where there is one, else content plus the occurrence among identical lines', () => {
    const parsed = parseStatement(fixture('giro-2026-01.csv'), { account: 'DE89370400440532013000', currency: 'EUR', mapping: giroMapping });
    const prints = fingerprints(parsed.transactions);
    assert.equal(new Set(prints).size, 7, 'the two identical bakery lines stay two');
    // The same lines in another (overlapping) file give the same prints.
    assert.deepEqual(fingerprints(parsed.transactions.slice(2)), prints.slice(2));
    assert.ok(fingerprints(parseStatement(fixture('checking-2026-01.ofx')).transactions).every((p) => p.startsWith('bank:')));
  });
});

describe('bad statements are refused with the problem and its line', () => {
  const csv = ['Date;Amount;Text', '2026-01-05;10,00;ok', '2026-02-30;5,00;bad date', '2026-01-07;x;bad amount'].join('\n');

  test('an unknown format', () => {
    assert.deepEqual(failure(() => parseStatement('x', { format: 'qif' })), { code: 'BANK_FORMAT_UNKNOWN', message: 'Unknown statement format "qif": use csv, ofx, camt053' });
  });

  test('a mapped column the CSV does not have', () => {
    const { code, message } = failure(() => parseStatement(csv, { account: 'A1', currency: 'EUR', mapping: { date: 'Date', amount: 'Betrag' } }));
    assert.equal(code, 'BANK_STATEMENT_INVALID');
    assert.match(message, /the mapped column "Betrag" \(amount\) is not in the CSV header \(it has: Date, Amount, Text\)/);
  });

  test('a date and an amount that cannot be read, by line', () => {
    assert.match(failure(() => parseStatement(csv, { account: 'A1', currency: 'EUR' })).message, /^Line 3: "2026-02-30" is not a date written YYYY-MM-DD \(column "Date"\)/);
    const fixed = csv.replace('2026-02-30', '2026-01-06');
    assert.match(failure(() => parseStatement(fixed, { account: 'A1', currency: 'EUR' })).message, /^Line 4: "x" is not an amount in EUR \(column "Amount"\)/);
    assert.match(failure(() => parseStatement(csv, { account: 'A1', currency: 'EUR', mapping: { dateFormat: 'DD/MM/YYYY' } })).message, /^Line 2: "2026-01-05" is not a date written DD\/MM\/YYYY/);
  });

  test('a CSV needs an account and a currency', () => {
    assert.equal(failure(() => parseStatement(csv, { currency: 'EUR' })).code, 'BANK_ACCOUNT_REQUIRED');
    assert.match(failure(() => parseStatement(csv, { account: 'A1' })).message, /needs a currency/);
  });

  test('OFX: not OFX, a transaction without an amount, a date that is no date', () => {
    assert.match(failure(() => parseStatement('hello', { format: 'ofx' })).message, /not an OFX file/);
    const ofx = fixture('checking-2026-01.ofx');
    const noAmount = ofx.replace('<TRNAMT>-45.99\n', '');
    assert.match(failure(() => parseStatement(noAmount)).message, /^Line 51: the transaction has no TRNAMT/);
    assert.match(failure(() => parseStatement(ofx.replace('<DTPOSTED>20260109', '<DTPOSTED>20261309'))).message, /^Line 51: DTPOSTED "20261309" is not an OFX date/);
  });

  test('CAMT.053: XML that is not well-formed, and an entry without a debit/credit indicator', () => {
    const camt = fixture('statement-2026-01.camt053.xml');
    assert.match(failure(() => parseStatement(camt.replace('<Sts>BOOK</Sts>', '<Sts>BOOK</Stz>'))).message, /^Line \d+: the XML is not well-formed/);
    assert.match(failure(() => parseStatement(camt.replace('<CdtDbtInd>DBIT</CdtDbtInd>\n        <Sts>BOOK</Sts>\n        <BookgDt><Dt>2026-01-10', '<CdtDbtInd>X</CdtDbtInd>\n        <Sts>BOOK</Sts>\n        <BookgDt><Dt>2026-01-10'))).message, /^Line 43: CdtDbtInd is "X"/);
    assert.match(failure(() => parseStatement('<Document><Other/></Document>', { format: 'camt053' })).message, /not a CAMT\.053 statement/);
  });

  test('an account given that is not the file\'s', () => {
    assert.equal(failure(() => parseStatement(fixture('checking-2026-01.ofx'), { account: '999' })).code, 'BANK_ACCOUNT_MISMATCH');
  });
});
