import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../../src/core/errors.ts';
import { parseLabelledJsonl } from '../../../src/ai/eval/jsonl.ts';

describe('dataset reader', () => {
  it('reads text records with an in-scope flag', () => {
    const records = parseLabelledJsonl(
      '{"id": "c-1", "text": "book a table", "label": "restaurant_reservation", "in_scope": true}\n\n' +
        '{"id": "c-2", "text": "how old is the moon", "label": "oos", "in_scope": false}\n',
    );
    assert.equal(records.length, 2);
    assert.equal(records[0]?.inScope, true);
    assert.equal(records[1]?.inScope, false);
    assert.equal(records[1]?.text, 'how old is the moon');
  });

  it('builds the text of e-mail records from subject, sender and body', () => {
    const [record] = parseLabelledJsonl(
      JSON.stringify({ id: 'm', label: 'spam', group: 'spam-1', headers: { subject: 'WIN', from: 'a@b.c' }, body: 'Claim now' }),
    );
    assert.equal(record?.text, 'Subject: WIN\nFrom: a@b.c\nClaim now');
    assert.equal(record?.raw.group, 'spam-1');
  });

  it('names the bad line', () => {
    assert.throws(() => parseLabelledJsonl('{"text": "a", "label": "x"}\n{oops', 'f.jsonl'), (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.equal(error.code, 'DATASET_LINE_INVALID');
      assert.match(error.message, /f\.jsonl line 2/);
      return true;
    });
    assert.throws(() => parseLabelledJsonl('{"text": "a"}'), /no string "label"/);
  });
});
