import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../../src/core/errors.ts';
import { extractFields, VendorKnowledge } from '../../../src/ai/read/index.ts';
import { shopReceipt } from './fixtures.ts';

// The shop's receipts print "SDN BHD" so faintly that OCR reads "SDN BND".
const first = shopReceipt({
  vendor: 'KEDAI RUNCIT MAJU JAYA SDN BND',
  date: '12/03/2018',
  items: [['SUGAR 1KG', '2.90'], ['RICE 5KG', '20.60']],
  total: '23.50',
  cash: '50.00',
  change: '26.50',
  number: 'CS0001234',
});
const next = shopReceipt({
  vendor: 'KEDAI RUNCIT MAJU JAYA SDN BND',
  date: '19/04/2018',
  items: [['MILO 1KG', '18.90'], ['EGGS 10', '4.20'], ['SALT', '1.00']],
  total: '24.10',
  cash: '30.00',
  change: '5.90',
  number: 'CS0001301',
});
const corrected = { vendor: 'KEDAI RUNCIT MAJU JAYA SDN BHD', address: 'NO 12, JALAN MELATI 3, TAMAN BUNGA RAYA, 43000 KAJANG, SELANGOR' };

describe('VendorKnowledge', () => {
  it('without knowledge the reader returns what the OCR printed', () => {
    const { fields } = extractFields(next);
    assert.equal(fields.vendor.value, 'KEDAI RUNCIT MAJU JAYA SDN BND');
    assert.notEqual(fields.address.value, corrected.address);
  });

  it('after one correction, the next receipt from the same vendor is read as corrected', () => {
    const knowledge = new VendorKnowledge();
    knowledge.learn(first, corrected);
    const { fields } = extractFields(next, { knowledge });
    assert.equal(fields.vendor.value, corrected.vendor);
    assert.equal(fields.address.value, corrected.address);
    assert.equal(fields.total.value, '24.10', 'other fields still come from the new receipt');
    assert.equal(fields.issueDate.value, '19/04/2018');
  });

  it('trusts a correction more as it is confirmed again', () => {
    const once = new VendorKnowledge();
    once.learn(first, corrected);
    const twice = VendorKnowledge.fromJSON(once.toJSON());
    twice.learn(first, corrected);
    assert.equal(twice.size, 1, 'the same correction is counted, not duplicated');
    const confidenceOnce = extractFields(next, { knowledge: once }).fields.vendor.confidence;
    const confidenceTwice = extractFields(next, { knowledge: twice }).fields.vendor.confidence;
    assert.ok(confidenceTwice > confidenceOnce, `${confidenceTwice} > ${confidenceOnce}`);
  });

  it('does not apply one vendor’s correction to another vendor', () => {
    const knowledge = new VendorKnowledge();
    knowledge.learn(first, corrected);
    const other = shopReceipt({
      vendor: 'SYARIKAT BESI TEGUH ENTERPRISE',
      header: ['(998877-X)', 'LOT 7, JALAN KENANGA 1,', 'TAMAN SERI ALAM,', '43500 SEMENYIH, SELANGOR.', 'TEL: 03-8723 0099', 'GST ID: 000998877665'],
      date: '01/02/2019',
      items: [['NAIL 2IN', '3.00']],
      total: '3.00',
      cash: '5.00',
      change: '2.00',
      number: 'B-7781',
    });
    assert.equal(extractFields(other, { knowledge }).fields.vendor.value, 'SYARIKAT BESI TEGUH ENTERPRISE');
  });

  it('accepts SROIE-style keys and survives a JSON round trip', () => {
    const knowledge = new VendorKnowledge();
    knowledge.learn(first, { company: corrected.vendor, address: corrected.address, date: '12/03/2018', total: '23.50' });
    const restored = VendorKnowledge.fromJSON(JSON.parse(JSON.stringify(knowledge)));
    assert.equal(extractFields(next, { knowledge: restored }).fields.vendor.value, corrected.vendor);
  });

  it('rejects JSON that it did not write', () => {
    assert.throws(() => VendorKnowledge.fromJSON({ entries: [] }), (e: unknown) => e instanceof ValidationError && e.code === 'READ_KNOWLEDGE_INVALID');
    assert.throws(() => VendorKnowledge.fromJSON({ version: 1, entries: [{ tokens: 'x' }] }), (e: unknown) => e instanceof ValidationError && e.code === 'READ_KNOWLEDGE_INVALID');
  });
});
