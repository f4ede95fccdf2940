/** Bad input is refused before anything is drawn, with PDF_INPUT_INVALID naming the field. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../../../src/core/errors.ts';
import { renderDocumentPdf, type RenderableDocument } from '../../../../src/domains/finance/pdf/index.ts';
import { validateDocument } from '../../../../src/domains/finance/pdf/schema.ts';
import { allText, handmadePng, logoPng, sampleDocument } from './helpers.ts';

/** Renders and expects a PDF_INPUT_INVALID for `path`. */
async function rejects(doc: unknown, path: string, messagePart?: RegExp): Promise<void> {
  await assert.rejects(renderDocumentPdf(doc as RenderableDocument), (error: unknown) => {
    assert.ok(error instanceof ValidationError, `expected a ValidationError, got ${String(error)}`);
    assert.equal(error.code, 'PDF_INPUT_INVALID');
    assert.equal(error.category, 'invalid');
    assert.equal(error.details?.['path'], path);
    assert.ok(error.message.includes(path), error.message);
    if (messagePart !== undefined) assert.match(error.message, messagePart);
    return true;
  });
}

const base = () => sampleDocument('invoice');

describe('required fields', () => {
  it('a missing client name', async () => {
    const doc = base();
    const { name: _name, ...client } = doc.client;
    await rejects({ ...doc, client }, 'client.name');
  });

  it('a blank business name', () => rejects({ ...base(), business: { name: '   ' } }, 'business.name', /must not be empty/));

  it('a line without a description', async () => {
    const doc = base();
    const [first, second] = doc.lines;
    await rejects({ ...doc, lines: [first, { ...second, description: '' }] }, 'lines.1.description');
  });

  it('no lines at all', () => rejects({ ...base(), lines: [] }, 'lines', /at least one line/));

  it('an unknown kind', () => rejects({ ...base(), kind: 'bill' }, 'kind'));

  it('something that is not a document', () => rejects('invoice', 'document'));
});

describe('amounts', () => {
  it('a line amount written with grouping', async () => {
    const doc = base();
    const [first, second] = doc.lines;
    await rejects({ ...doc, lines: [first, { ...second, amount: '1,200.50' }] }, 'lines.1.amount', /plain decimal/);
  });

  it('a total that is a number, not a decimal string', () => rejects({ ...base(), total: 1178.4 }, 'total'));

  it('more decimals than the currency has', () => rejects({ ...base(), total: '1178.405' }, 'total', /USD allows \(2\)/));

  it('yen with decimals', async () => {
    const doc = sampleDocument('invoice', {
      currency: 'JPY',
      lines: [{ description: 'Tea', quantity: '1', unitPrice: '500', amount: '500.5' }],
      subtotal: '500',
      taxTotal: '0',
      total: '500',
      taxSummary: [],
    });
    await rejects(doc, 'lines.0.amount', /JPY allows \(0\)/);
  });

  it('a unit price may carry extra digits, up to six', async () => {
    const lines = [{ description: 'Electricity', quantity: '1000', unit: 'kWh', unitPrice: '0.125', amount: '125.00' }];
    const text = await allText(await renderDocumentPdf(sampleDocument('invoice', { lines })));
    assert.ok(text.includes('Electricity 1,000 kWh $0.125 $125.00'), text);
    await rejects(sampleDocument('invoice', { lines: [{ ...lines[0]!, unitPrice: '0.1234567' }] }), 'lines.0.unitPrice', /\(6\)/);
  });

  it('a discount over 100 %', async () => {
    const doc = base();
    const [first, second] = doc.lines;
    await rejects({ ...doc, lines: [{ ...first, discount: '150' }, second] }, 'lines.0.discount', /at most 100/);
  });

  it('a tax rate with a percent sign', () => rejects({ ...base(), taxSummary: [{ rate: '20%', base: '982.00', tax: '196.40' }] }, 'taxSummary.0.rate'));
});

describe('codes, dates, locale and links', () => {
  it('a currency that is not ISO 4217', () => rejects({ ...base(), currency: 'EURO' }, 'currency', /ISO 4217/));
  it('a lower-case currency code', () => rejects({ ...base(), currency: 'eur' }, 'currency'));
  it('a date that does not exist', () => rejects({ ...base(), issueDate: '2026-02-30' }, 'issueDate', /calendar date/));
  it('a date in another notation', () => rejects({ ...base(), dueDate: '31/03/2026' }, 'dueDate', /YYYY-MM-DD/));
  it('a malformed locale', () => rejects({ ...base(), locale: 'not a locale!' }, 'locale'));
  it('a pay link that is not a web link', () => rejects({ ...base(), payUrl: 'javascript:alert(1)' }, 'payUrl', /http or https/));
  it('a client email without @', () => rejects({ ...base(), client: { name: 'Corner Bakery', email: 'sam.bakery' } }, 'client.email'));
});

describe('the logo', () => {
  const withLogo = (logo: unknown) => {
    const doc = base();
    return { ...doc, business: { ...doc.business, logoPng: logo } };
  };

  it('bytes that are not a PNG', () => rejects(withLogo(new TextEncoder().encode('GIF89a not a png at all, really')), 'business.logoPng', /not a PNG/));

  it('a PNG cut short', async () => {
    const png = await logoPng();
    await rejects(withLogo(png.subarray(0, png.byteLength - 30)), 'business.logoPng', /cut short/);
  });

  it('a PNG whose compressed data is damaged', async () => {
    const png = handmadePng({ width: 4, height: 4 });
    const damaged = new Uint8Array(png);
    // The IDAT data starts after signature (8), IHDR chunk (25) and IDAT's length and type (8).
    for (let at = 8 + 25 + 8 + 2; at < 8 + 25 + 8 + 8; at += 1) damaged[at] = 0xff;
    await rejects(withLogo(damaged), 'business.logoPng', /damaged/);
  });

  it('a PNG with too few rows, or a row filter PNG does not define', async () => {
    // pdfkit decodes these in a callback that would throw outside any promise and stop the process.
    await rejects(withLogo(handmadePng({ width: 4, height: 4, rows: 2 })), 'business.logoPng', /less image data/);
    await rejects(withLogo(handmadePng({ width: 4, height: 4, filter: 9 })), 'business.logoPng', /filter/);
  });

  it('a well-formed hand-made PNG renders', async () => {
    const pdf = await renderDocumentPdf(withLogo(handmadePng({ width: 4, height: 4, filter: 2 })) as RenderableDocument);
    assert.ok(pdf.byteLength > 0);
  });
});

describe('any junk in any field', () => {
  const JUNK: unknown[] = [undefined, null, 0, 12.5, -1, true, '', ' ', 'abc', '-', '1e3', {}, [], [1], 'x'.repeat(5000), new Uint8Array(4)];

  /** Every path to a leaf of the sample, with the sample's arrays and objects themselves. */
  function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
    if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return [prefix];
    const entries = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(value);
    return [prefix, ...entries.flatMap(([key, item]) => paths(item, [...prefix, key]))];
  }

  function replaced(doc: unknown, path: (string | number)[], junk: unknown): unknown {
    if (path.length === 0) return junk;
    const [head = '', ...rest] = path;
    if (Array.isArray(doc)) return doc.map((item, index) => (index === head ? replaced(item, rest, junk) : item));
    const copy = { ...(doc as Record<string, unknown>) };
    copy[head] = replaced(copy[head], rest, junk);
    return copy;
  }

  it('is either accepted or refused with PDF_INPUT_INVALID and a path, never another error', () => {
    const doc = sampleDocument('invoice', { amountPaid: '0.00', amountDue: '1178.40' });
    doc.business = { ...doc.business, logoPng: handmadePng({ width: 2, height: 2 }) };
    let refused = 0;
    for (const path of paths(doc)) {
      for (const junk of JUNK) {
        try {
          validateDocument(replaced(doc, path, junk));
        } catch (error) {
          const where = `${path.join('.')} = ${String(junk).slice(0, 20)}`;
          assert.ok(error instanceof ValidationError, `${where}: ${String(error)}`);
          assert.equal(error.code, 'PDF_INPUT_INVALID', where);
          assert.equal(typeof error.details?.['path'], 'string', where);
          refused += 1;
        }
      }
    }
    assert.ok(refused > 300, `only ${refused} refusals: the junk is not reaching the fields`);
  });
});

describe('text the font cannot print', () => {
  it('a client name in Chinese characters is refused, naming them, instead of printing boxes', async () => {
    await assert.rejects(renderDocumentPdf({ ...base(), client: { name: '抹茶カフェ Tokyo' } }), (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.equal(error.details?.['path'], 'client.name');
      assert.deepEqual(error.details?.['characters'], ['抹', '茶', 'カ', 'フ', 'ェ']);
      assert.match(error.message, /no glyph/);
      return true;
    });
  });

  it('right-to-left text is refused rather than printed backwards', async () => {
    const doc = base();
    const [first, second] = doc.lines;
    await rejects({ ...doc, lines: [first, { ...second, description: 'خدمات استشارية' }] }, 'lines.1.description', /right-to-left/);
    await rejects({ ...doc, currency: 'EGP', locale: 'ar-EG' }, 'locale', /right to left/);
  });

  it('a locale whose dates need characters the font lacks', () => rejects({ ...base(), currency: 'CNY', locale: 'zh-CN' }, 'locale', /年/));

  it('Greek, Cyrillic, Turkish and Vietnamese print', async () => {
    const name = 'Αθηνά Παπαδοπούλου · Иван Петров · Şükrü Çağlar · Nguyễn Thị Hồng';
    const text = await allText(await renderDocumentPdf({ ...base(), client: { name } }));
    assert.ok(text.includes(name), text);
  });
});

describe('text clean-up', () => {
  it('drops bidirectional overrides and control characters, keeps line breaks', () => {
    const doc = sampleDocument('invoice', { notes: ' Paid by\r\nIBAN \u202EGB29\u202C\u0007 thanks\t! ' });
    assert.equal(validateDocument(doc).notes, 'Paid by\nIBAN GB29 thanks !');
  });
});
