/** NEW_COUNTERPARTY, BANK_DETAILS_CHANGED and CURRENCY_CHANGED, and the normalisation behind them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeBankAccount, normalizeCounterpartyName, normalizeTaxId } from '../../../src/ai/flag/index.ts';
import type { FlagDocument } from '../../../src/ai/flag/index.ts';
import { acmeHistory, acmeInvoice, flag, none, northwindBill, northwindHistory, NORTHWIND_IBAN, only } from './helpers.ts';

const history = [...acmeHistory, ...northwindHistory];

void describe('normalisation', () => {
  const names: [string, string][] = [
    ['Acme Ltd.', 'acme'],
    ['ACME LIMITED', 'acme'],
    ['Acme, Inc.', 'acme'],
    ['acme llc', 'acme'],
    ['The Acme Company', 'acme'],
    ['Müller GmbH & Co. KG', 'muller'],
    ['Tan Trading Sdn. Bhd.', 'tan trading'],
    ['Lim Pte. Ltd.', 'lim'],
    ['Société Générale S.A.', 'societe generale'],
    ['A.B. Consulting AB', 'ab consulting'],
    ['Smith & Co.', 'smith'],
    ['Smith and Jones LLP', 'smith and jones'],
    ['Marks & Spencer plc', 'marks and spencer'],
    ['Limited', 'limited'], // a name that is only a legal form keeps it
  ];
  for (const [name, expected] of names) {
    void it(`"${name}" → "${expected}"`, () => assert.equal(normalizeCounterpartyName(name), expected));
  }

  void it('compares tax ids and bank accounts without spaces, punctuation or case', () => {
    assert.equal(normalizeTaxId('gb 123.456-789'), 'GB123456789');
    assert.equal(normalizeBankAccount('IBAN: de89 3704-0044 0532 0130 00'), 'DE89370400440532013000');
    assert.equal(normalizeBankAccount(NORTHWIND_IBAN), 'DE89370400440532013000');
    assert.equal(normalizeBankAccount('12-34-56 87654321'), '12345687654321');
  });
});

void describe('new counterparty', () => {
  void it('knows "ACME LIMITED" from earlier invoices to "Acme Ltd."', () => {
    none(flag(acmeInvoice({ counterparty: { name: 'ACME LIMITED' } }), history), 'NEW_COUNTERPARTY');
  });

  void it('notes a client with no earlier document as info', () => {
    const anomaly = only(flag(acmeInvoice({ counterparty: { name: 'Globex Corporation' } }), history), 'NEW_COUNTERPARTY');
    assert.equal(anomaly.severity, 'info');
    assert.equal(anomaly.score, 1);
    assert.equal(
      anomaly.message,
      'Globex Corporation is a new client: there is no earlier document with them. Check their name, tax id and contact details before sending.',
    );
    assert.deepEqual(anomaly.evidence, { name: 'Globex Corporation', normalizedName: 'globex', taxId: null, matchedOn: 'name', lookalikes: [] });
  });

  void it('tells a new vendor to check that the bill is genuine', () => {
    const doc = northwindBill({ counterparty: { name: 'Initech', bankAccount: 'GB33 BUKB 2020 1555 5555 55' } });
    const anomaly = only(flag(doc, history), 'NEW_COUNTERPARTY');
    assert.equal(
      anomaly.message,
      'Initech is a new vendor: there is no earlier document with them. ' +
        'Check that the vendor is genuine and that you ordered what this bill is for before paying.',
    );
  });

  void it('matches on the tax id first: a renamed vendor is not new', () => {
    none(flag(northwindBill({ counterparty: { name: 'NW Trading', taxId: 'de 123 456 789' } }), history), 'NEW_COUNTERPARTY');
  });

  void it('falls back to the name when only one side has a tax id', () => {
    none(flag(acmeInvoice({ counterparty: { name: 'Acme Ltd', taxId: 'GB999' } }), history), 'NEW_COUNTERPARTY');
  });

  void it('warns when a known name arrives with another tax id', () => {
    const doc = northwindBill({ counterparty: { name: 'Northwind Supplies', taxId: 'DE999999999', bankAccount: NORTHWIND_IBAN } });
    const anomaly = only(flag(doc, history), 'NEW_COUNTERPARTY');
    assert.equal(anomaly.severity, 'warning');
    assert.equal(anomaly.score, 0.7);
    assert.equal(
      anomaly.message,
      'No earlier document has tax id DE999999999, but Northwind Supplies GmbH with tax id DE123456789 is a known vendor. ' +
        'Check that this bill really is from them before paying.',
    );
    assert.equal((anomaly.evidence['lookalikes'] as unknown[]).length, 5);
  });

  void it('counts only documents dated before this one, and an empty history', () => {
    only(flag(acmeInvoice({ issueDate: '2025-12-01', dueDate: null }), history), 'NEW_COUNTERPARTY');
    only(flag(acmeInvoice(), []), 'NEW_COUNTERPARTY');
  });
});

void describe('changed bank details', () => {
  const fraudIban = 'GB33 BUKB 2020 1555 5555 55';

  void it('is critical when a known vendor asks to be paid into a new account', () => {
    const doc = northwindBill({ counterparty: { name: 'Northwind Supplies GmbH', taxId: 'DE123456789', bankAccount: fraudIban } });
    const result = flag(doc, history);
    const anomaly = only(result, 'BANK_DETAILS_CHANGED');
    assert.equal(anomaly.severity, 'critical');
    assert.equal(anomaly.score, 0.9);
    assert.equal(result.confidence, 0.1);
    assert.equal(
      anomaly.message,
      'The bank account on this bill (GB33 BUKB 2020 1555 5555 55) is not the one Northwind Supplies GmbH used before ' +
        '(DE89 3704 0044 0532 0130 00, on 5 earlier documents). Changed bank details are a common fraud: ' +
        'confirm the change with Northwind Supplies GmbH on a phone number you already have before paying.',
    );
    assert.equal(anomaly.evidence['bankAccount'], fraudIban);
    assert.deepEqual(anomaly.evidence['previousAccounts'], [NORTHWIND_IBAN]);
    assert.equal(anomaly.evidence['latestId'], 'nw-5');
  });

  const unchanged: [string, FlagDocument, FlagDocument[]][] = [
    ['the same IBAN written differently', northwindBill({ counterparty: { name: 'Northwind Supplies GmbH', taxId: 'DE123456789', bankAccount: 'IBAN DE89-3704-0044-0532-0130-00' } }), history],
    [
      'an account the vendor used before',
      northwindBill({ counterparty: { name: 'Northwind Supplies GmbH', taxId: 'DE123456789', bankAccount: fraudIban } }),
      [...history, { ...(northwindHistory[0] as FlagDocument), id: 'nw-0', issueDate: '2025-12-20', counterparty: { name: 'Northwind Supplies GmbH', taxId: 'DE123456789', bankAccount: fraudIban } }],
    ],
    ['an outgoing invoice', acmeInvoice({ counterparty: { name: 'Acme Ltd.', bankAccount: fraudIban } }), history],
  ];
  for (const [name, doc, docs] of unchanged) {
    void it(`does not flag ${name}`, () => none(flag(doc, docs), 'BANK_DETAILS_CHANGED'));
  }

  void it('is not evaluated for a vendor with no account on file', () => {
    const noAccounts = northwindHistory.map((doc) => ({ ...doc, counterparty: { ...doc.counterparty, bankAccount: null } }));
    const result = flag(northwindBill({ counterparty: { name: 'Northwind Supplies GmbH', taxId: 'DE123456789', bankAccount: fraudIban } }), noAccounts);
    none(result, 'BANK_DETAILS_CHANGED');
    assert.ok(!result.checked.includes('BANK_DETAILS_CHANGED'));
  });
});

void describe('changed currency', () => {
  void it('notes an invoice in another currency than all earlier ones', () => {
    const anomaly = only(flag(acmeInvoice({ currency: 'USD' }), history), 'CURRENCY_CHANGED');
    assert.equal(anomaly.severity, 'info');
    assert.equal(anomaly.score, 1);
    assert.equal(
      anomaly.message,
      "This invoice is in USD, but all 5 of ACME LIMITED's earlier documents were in EUR. Check the currency before sending.",
    );
    assert.deepEqual(anomaly.evidence['counts'], { EUR: 5 });
  });

  void it('scores by the share of the usual currency', () => {
    // 3 EUR, 2 USD: the usual is EUR with 3 of 5.
    const mixed = acmeHistory.map((doc, index) => (index < 2 ? { ...doc, currency: 'USD' } : doc));
    const anomaly = only(flag(acmeInvoice({ currency: 'USD' }), mixed), 'CURRENCY_CHANGED');
    assert.equal(anomaly.score, 0.6);
    assert.match(anomaly.message, /but 3 of ACME LIMITED's 5 earlier documents were in EUR\./);
  });

  void it('on a tie takes the most recent currency as the usual one', () => {
    // acme-1 in USD, acme-2 in EUR (later): the usual is EUR; an invoice in EUR is fine, in USD is not.
    const tie = [{ ...(acmeHistory[0] as FlagDocument), currency: 'USD' }, acmeHistory[1] as FlagDocument];
    none(flag(acmeInvoice(), tie), 'CURRENCY_CHANGED');
    const anomaly = only(flag(acmeInvoice({ currency: 'USD' }), tie), 'CURRENCY_CHANGED');
    assert.match(anomaly.message, /but 1 of ACME LIMITED's 2 earlier documents was in EUR\./);
    assert.equal(anomaly.score, 0.5);
  });
});
