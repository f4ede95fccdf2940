/** Vendor-name and address candidates: the clean-ups that make a printed line into the value people write down. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadDefaultModel } from '../../../src/ai/read/index.ts';
import { buildLayout } from '../../../src/ai/read/layout.ts';
import { addressCandidatesFor, prepareDocument, vendorCandidates } from '../../../src/ai/read/pipeline.ts';

const state = (texts: string[]) => prepareDocument(buildLayout(texts.map((text) => ({ text }))), loadDefaultModel().lexicons, []);
const values = (candidates: { value: string }[]) => new Set(candidates.map((c) => c.value));

describe('vendor candidates', () => {
  it('cut a name at its registration number when more text follows, and combine clean-ups', () => {
    const names = values(vendorCandidates(state(['TQ FOR SHOPPING WITH MYNEWS.COM', 'MYNEWS RETAIL SB(306295-X) FKA BISON STORES SB', '#000002 BAIFU (M) SDN BHD COMPANY NO(814198-X)'])));
    assert.ok(names.has('MYNEWS RETAIL SB'), [...names].join(' | '));
    assert.ok(names.has('BAIFU (M) SDN BHD'), 'the till number is dropped after the registration number is');
  });
  it('never leave an unbalanced bracket', () => {
    const names = values(vendorCandidates(state(['TONYMOLY VIVA CITY', '(TONYMOLY SHOP (95874))', 'UNIT L1-044B, VIVACITY MEGAMALL,'])));
    assert.ok(!names.has('(TONYMOLY SHOP'));
    assert.ok(names.has('TONYMOLY VIVA CITY'));
  });
});

describe('address candidates', () => {
  it('drop a printed label before the address', () => {
    const s = state(['KEDAI MAJU SDN BHD', 'HQ ADD: LOT 11995, BATU 2, JALAN KAPAR', '41400 KLANG, SELANGOR', 'TEL: 03-3291 1234']);
    assert.ok(values(addressCandidatesFor(s, [0])).has('LOT 11995, BATU 2, JALAN KAPAR 41400 KLANG, SELANGOR'));
  });
  it('join lines without the space OCR puts before a line-final comma or full stop', () => {
    const s = state(['KEDAI MAJU SDN BHD', 'LOT 485,TMN LEMBAH KERAMAT', 'JLN ULU KELANG .', '54200 KUALA LUMPUR']);
    const addresses = values(addressCandidatesFor(s, [0]));
    assert.ok(addresses.has('LOT 485,TMN LEMBAH KERAMAT JLN ULU KELANG. 54200 KUALA LUMPUR'));
    assert.ok(!addresses.has('LOT 485,TMN LEMBAH KERAMAT JLN ULU KELANG . 54200 KUALA LUMPUR'));
  });
});
