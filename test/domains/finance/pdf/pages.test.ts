/** Long documents over several pages, the logo, and byte-for-byte reproducible output. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { renderDocumentPdf } from '../../../../src/domains/finance/pdf/index.ts';
import { imagesPerPage, logoPng, manyLines, pageTexts, pdfInfo, sampleDocument } from './helpers.ts';

describe('a 60-line invoice', () => {
  let pages: string[];
  before(async () => {
    const doc = sampleDocument('invoice', {
      lines: manyLines(60),
      subtotal: '600.00',
      taxTotal: '0.00',
      total: '600.00',
      taxSummary: [],
    });
    pages = await pageTexts(await renderDocumentPdf(doc));
  });

  it('spans several pages, each numbered "Page i of n"', () => {
    assert.ok(pages.length >= 2, `expected several pages, got ${pages.length}`);
    pages.forEach((text, index) => {
      assert.ok(text.includes(`Page ${index + 1} of ${pages.length}`), `page ${index + 1}: ${text}`);
      assert.ok(text.includes('Invoice DOC-1042'), `page ${index + 1} names the document in its footer`);
    });
    assert.ok(pages[1]?.includes('Page 2 of'));
  });

  it('repeats the table header on every page the table continues on', () => {
    const withLines = pages.filter((text) => /\bItem \d+\b/.test(text));
    assert.ok(withLines.length >= 2);
    for (const text of withLines) assert.ok(text.includes('# Description Qty Unit price Amount'), text);
  });

  it('prints every line exactly once, in order, with its number', () => {
    const all = pages.join(' ');
    for (let number = 1; number <= 60; number += 1) {
      const row = `${number} Item ${number} 1 $10.00 $10.00`;
      assert.equal(all.split(row).length - 1, 1, `line ${number} should appear once as "${row}"`);
    }
    const positions = Array.from({ length: 60 }, (_, index) => all.indexOf(`Item ${index + 1} `));
    assert.deepEqual(positions, [...positions].sort((a, b) => a - b));
  });

  it('ends with the totals after the last line', () => {
    const last = pages.at(-1) ?? '';
    assert.ok(last.includes('Total $600.00'), last);
    assert.ok(last.indexOf('Item 60') < last.indexOf('Total $600.00'));
    assert.ok(!(pages[0] ?? '').includes('Total $600.00'));
  });
});

describe('a logo', () => {
  it('is drawn on page 1 and only there', async () => {
    const doc = sampleDocument('invoice', { lines: manyLines(60) });
    doc.business = { ...doc.business, logoPng: await logoPng() };
    const images = await imagesPerPage(await renderDocumentPdf(doc));
    assert.ok(images.length >= 2);
    assert.deepEqual(images, [1, ...images.slice(1).map(() => 0)]);
  });

  it('is not there when none is given', async () => {
    assert.deepEqual(await imagesPerPage(await renderDocumentPdf(sampleDocument('quote'))), [0]);
  });
});

describe('reproducible output', () => {
  it('renders the same document to the same bytes, logo included', async () => {
    const logo = await logoPng();
    const render = () => {
      const doc = sampleDocument('invoice', { lines: manyLines(40), currency: 'EUR', locale: 'de-DE' });
      doc.business = { ...doc.business, logoPng: logo };
      return renderDocumentPdf(doc);
    };
    const first = await render();
    const second = await render();
    assert.ok(first.equals(second), 'two renders of one document differ');
  });

  it('dates the PDF on its issue date, so a different issue date gives different bytes', async () => {
    const march = await renderDocumentPdf(sampleDocument('invoice'));
    const april = await renderDocumentPdf(sampleDocument('invoice', { issueDate: '2026-04-01' }));
    assert.ok(!march.equals(april));
    const info = await pdfInfo(march);
    assert.match(String(info['CreationDate']), /^D:20260301000000/);
    assert.equal(info['Title'], 'Invoice DOC-1042');
    assert.equal(info['Author'], 'Acme Supplies Ltd');
  });
});
