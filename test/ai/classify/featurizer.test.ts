import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultFeaturizerConfig, extractTerms, normalizeText, tokenize, Vocabulary } from '../../../src/ai/classify/index.ts';

describe('normalizeText', () => {
  it('applies NFKC and lower-cases', () => {
    assert.equal(normalizeText('ＰＬＥＡＳＥ ﬁx IT'), 'please fix it');
  });

  it('maps numbers to digit-shape tokens by length', () => {
    assert.equal(normalizeText('Call 07 or 0800 123456 now, £1.50'), 'call 00 or 000 0000 now, £0.00');
    assert.equal(normalizeText('order 113542617735902'), 'order 00000');
    assert.equal(normalizeText('１２３'), '000', 'full-width digits are digits after NFKC');
  });

  it('replaces URLs and e-mail addresses with one token each', () => {
    assert.equal(normalizeText('see https://x.example/a?b=1 or mail bob@shop.example'), 'see  httpurl  or mail  emailaddr ');
  });

  it('is idempotent and cuts long texts', () => {
    const once = normalizeText('Hello 42 World');
    assert.equal(normalizeText(once), once);
    assert.equal(normalizeText('a'.repeat(5000), 100).length, 100);
  });
});

describe('tokenize', () => {
  it('keeps words with inner apostrophes and punctuation marks as tokens', () => {
    assert.deepEqual(tokenize("card hasn't arrived?! £0"), ['card', "hasn't", 'arrived', '?', '!', '£', '0']);
  });
});

describe('extractTerms', () => {
  it('is deterministic and counts repeated terms', () => {
    const a = extractTerms('refund refund please');
    const b = extractTerms('refund refund please');
    assert.deepEqual(a, b);
    assert.ok(Math.max(...a.counts) >= 2, 'the repeated word is counted twice');
  });

  it('splits word and character blocks; character n-grams stay inside words', () => {
    const config = { ...defaultFeaturizerConfig, charNgramMin: 3, charNgramMax: 3, wordBigrams: false };
    const terms = extractTerms('ab', config);
    // words: "ab"; chars of " ab ": " ab", "ab " (3-grams) -> 2
    assert.equal(terms.charStart, 1);
    assert.equal(terms.keys.length - terms.charStart, 2);
    const two = extractTerms('ab ab', config);
    assert.deepEqual([...two.counts], [2, 2, 2], 'same word twice: same terms, doubled counts');
  });

  it('adds bigrams so that word order matters', () => {
    const a = extractTerms('card blocked');
    const b = extractTerms('blocked card');
    assert.notDeepEqual([...a.keys].sort(), [...b.keys].sort());
  });
});

describe('Vocabulary', () => {
  const docs = ['cancel my order', 'cancel the order', 'track my parcel'].map((t) => extractTerms(t));

  it('keeps only terms seen in at least minDocumentCount texts', () => {
    const all = Vocabulary.fit(docs, { ...defaultFeaturizerConfig, minDocumentCount: 1 });
    const pruned = Vocabulary.fit(docs, { ...defaultFeaturizerConfig, minDocumentCount: 2 });
    assert.ok(pruned.size > 0 && pruned.size < all.size);
  });

  it('gives L2-normalised blocks (squared norm 2 with both blocks) and drops unknown terms', () => {
    const vocabulary = Vocabulary.fit(docs, { ...defaultFeaturizerConfig, minDocumentCount: 1 });
    const vector = vocabulary.featurize('cancel my parcel');
    let squares = 0;
    for (const v of vector.values) squares += v * v;
    assert.ok(Math.abs(squares - 2) < 1e-5, `squared norm ${squares}`);
    assert.equal(vocabulary.featurize('zzz qqq').indices.length, 0);
  });

  it('weights rarer terms higher (IDF)', () => {
    const config = { ...defaultFeaturizerConfig, minDocumentCount: 1, wordBigrams: false, charNgramMin: 1, charNgramMax: 1 };
    const vocabulary = Vocabulary.fit(['cancel my order', 'cancel the order', 'track my parcel'].map((t) => extractTerms(t, config)), config);
    const vector = vocabulary.vectorize(extractTerms('cancel track', config));
    // Word block first: "cancel" (in 2 of 3 texts), then "track" (in 1): the rarer one weighs more.
    const [cancel, track] = [...vector.values];
    assert.ok(cancel !== undefined && track !== undefined && track > cancel, `cancel ${cancel}, track ${track}`);
  });

});
