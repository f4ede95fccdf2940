import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateSource, functionNames } from '../../../src/workflow/expression/index.ts';
import { assertFails, run } from './helpers.ts';

const scope = {
  order: { id: 'A-7', items: [{ price: 10 }, { price: 32.5 }], prices: [10, 32.5, 7.25], tags: ['vip', 'eu'], note: null },
  text: '  Hello World  ',
  created: '2026-01-31T22:15:00Z',
};

const results: Record<string, [string, unknown][]> = {
  len: [['len("héllo")', 5], ['len(order.tags)', 2], ['len(order)', 5], ['len(order.note)', 0], ['len(missing)', 0], ['len({})', 0]],
  lower: [['lower("ÀBC")', 'àbc']],
  upper: [['upper(order.id)', 'A-7']],
  trim: [['trim(text)', 'Hello World']],
  contains: [
    ['contains(order.tags, "vip")', true],
    ['contains(order.tags, "gold")', false],
    ['contains("invoice-2026", "2026")', true],
    ['contains(order, "id")', true],
    ['contains(order.note, "x")', false],
  ],
  startsWith: [['startsWith(order.id, "A-")', true], ['startsWith(order.id, "B")', false]],
  endsWith: [['endsWith("report.pdf", ".pdf")', true], ['endsWith("report.pdf", ".csv")', false]],
  round: [
    ['round(2.5)', 3],
    ['round(-2.5)', -3],
    ['round(1.005, 2)', 1.01],
    ['round(1.255, 2)', 1.26],
    ['round(1234.5678, -2)', 1200],
    ['round(0.1 + 0.2, 2)', 0.3],
    ['round(-0.4)', 0],
    ['round(1e-7, 8)', 1e-7],
    ['round(sum(order.prices) * 1.2, 2)', 59.7],
  ],
  floor: [['floor(2.7)', 2], ['floor(-2.2)', -3]],
  ceil: [['ceil(2.1)', 3], ['ceil(-2.7)', -2]],
  abs: [['abs(-4.5)', 4.5], ['abs(3)', 3]],
  min: [['min(3, 1, 2)', 1], ['min(order.prices)', 7.25], ['min([])', null], ['min("2026-02-01", "2026-01-15")', '2026-01-15']],
  max: [['max(3, 1, 2)', 3], ['max(order.prices)', 32.5], ['max(missing)', null], ['max(5)', 5]],
  sum: [['sum(order.prices)', 49.75], ['sum([])', 0], ['sum(missing)', 0]],
  number: [['number("12.5")', 12.5], ['number(" -3e2 ")', -300], ['number(".5")', 0.5], ['number(7)', 7]],
  string: [['string(12.5)', '12.5'], ['string(true)', 'true'], ['string(null)', ''], ['string(order.tags)', '["vip","eu"]'], ['string("s")', 's']],
  coalesce: [['coalesce(order.note, missing, "", "x")', ''], ['coalesce(missing, 0)', 0], ['coalesce(null, missing)', null]],
  now: [['now()', '2026-01-05T09:00:00.000Z']],
  date: [
    ['date(created)', '2026-01-31'],
    ['date("2026-01-05T23:30:00-05:00")', '2026-01-06'],
    ['date("2026-01-05T00:30:00+02:00")', '2026-01-04'],
    ['date("2026-01-05T10:00")', '2026-01-05'],
    ['date("2024-02-29")', '2024-02-29'],
    ['date(now())', '2026-01-05'],
  ],
  addDays: [
    ['addDays("2026-01-31", 1)', '2026-02-01'],
    ['addDays(created, 30)', '2026-03-02'],
    ['addDays("2026-03-01", -1)', '2026-02-28'],
    ['addDays("2024-03-01", -1)', '2024-02-29'],
    ['addDays(date(now()), 0)', '2026-01-05'],
  ],
  daysBetween: [
    ['daysBetween("2026-01-01", "2026-03-01")', 59],
    ['daysBetween("2026-03-01", "2026-01-01")', -59],
    ['daysBetween("2026-01-01T23:59:00Z", "2026-01-02T00:01:00Z")', 1],
    ['daysBetween("2026-03-28", "2026-03-30")', 2],
  ],
  matches: [
    ['matches("INV-2026-0042", "^INV-\\\\d{4}-\\\\d+$")', true],
    ['matches("inv-2026", "^INV")', false],
    ['matches(lower("INV-1"), "^inv-")', true],
    ['matches("a@b.co", "^[\\\\w.+-]+@[\\\\w-]+\\\\.[\\\\w.]+$")', true],
  ],
  keys: [['keys({b: 1, a: 2})', ['b', 'a']], ['keys(missing)', []]],
  join: [['join(order.tags, ", ")', 'vip, eu'], ['join([1, null, "x"])', '1,,x'], ['join(missing, ";")', '']],
  split: [['split("a,b,,c", ",")', ['a', 'b', '', 'c']], ['split("", ",")', []], ['len(split("a b c", " "))', 3]],
  get: [
    ['get(order, "items[1].price")', 32.5],
    ['get(order, ["items", 0, "price"])', 10],
    ['get(order, "items[9].price", 0)', 0],
    ['get(order, "note", "none")', 'none'],
    ['get(order, "missing.deep")', null],
    ['get(missing, "a")', null],
  ],
};

void describe('every built-in function has tested results', () => {
  void test('the table covers exactly the exported function names', () => {
    assert.deepEqual(Object.keys(results).sort(), [...functionNames]);
  });
  for (const [name, cases] of Object.entries(results)) {
    void describe(name, () => {
      for (const [source, expected] of cases) {
        void test(source, () => assert.deepEqual(run(source, scope), expected));
      }
    });
  }
});

void describe('function errors are EXPRESSION_FAILED and say what was wrong', () => {
  const failures: [string, RegExp][] = [
    ['len(5)', /^len\(\) expects a string, array or object, got number at position 0/],
    ['lower(order.note)', /^lower\(\) expects a string, got null/],
    ['upper(1)', /^upper\(\) expects a string, got number/],
    ['trim(missing)', /^trim\(\) expects a string, got undefined/],
    ['startsWith("a", 1)', /^startsWith\(\) expects a string, got number/],
    ['endsWith(null, "a")', /^endsWith\(\) expects a string, got null/],
    ['contains(5, 1)', /^Cannot search number \(contains\(\)\)/],
    ['round("1.5")', /^round\(\) expects a number, got string/],
    ['round(1.5, 0.5)', /^round\(\) expects digits to be a whole number from -15 to 15/],
    ['floor(missing)', /^floor\(\) expects a number, got undefined/],
    ['ceil("2")', /^ceil\(\) expects a number, got string/],
    ['abs(true)', /^abs\(\) expects a number, got boolean/],
    ['min(1, "a")', /^Cannot compare string with number using min\(\)/],
    ['max([1, null])', /^max\(\) compares numbers or strings, got null/],
    ['sum([1, "2"])', /^sum\(\) expects numbers, got string at index 1/],
    ['sum("12")', /^sum\(\) expects an array, got string/],
    ['number("12abc")', /^number\(\) cannot convert "12abc" to a number/],
    ['number("")', /^number\(\) cannot convert "" to a number/],
    ['number(null)', /^number\(\) cannot convert null to a number/],
    ['number(true)', /^number\(\) cannot convert boolean to a number/],
    ['now(1)', /^now\(\) takes 0 arguments, got 1/],
    ['round()', /^round\(\) takes 1 to 2 arguments, got 0/],
    ['min()', /^min\(\) takes at least 1 argument, got 0/],
    ['len(1, 2)', /^len\(\) takes 1 argument, got 2/],
    ['date("05/01/2026")', /^date\(\) expects an ISO date like "2026-01-31"/],
    ['date("2026-02-30")', /^date\(\) got an impossible date "2026-02-30"/],
    ['date("2026-01-05T25:00:00Z")', /^date\(\) got an impossible time/],
    ['date(1767600000000)', /^date\(\) expects an ISO date string, got number/],
    ['addDays("2026-01-01", 1.5)', /^addDays\(\) expects a whole number of days, got 1.5/],
    ['addDays("9999-12-31", 1)', /^The date is out of range/],
    ['daysBetween("2026-01-01", missing)', /^daysBetween\(\) expects an ISO date string, got undefined/],
    ['matches(1, "a")', /^matches\(\) expects a string to test, got number/],
    ['matches("aa", "(a)\\\\1")', /^matches\(\) cannot use the pattern "\(a\)\\\\1".*backreferences/],
    ['matches("a", "(")', /^matches\(\) got an invalid pattern "\("/],
    ['keys([1])', /^keys\(\) expects an object, got array/],
    ['join("abc")', /^join\(\) expects an array, got string/],
    ['split("a", null)', /^split\(\) expects a string, got null/],
    ['get(order, 5)', /^get\(\) expects a path string or array, got number/],
    ['get(order, "a]b")', /^get\(\) cannot read the path "a\]b"/],
  ];
  for (const [source, message] of failures) {
    void test(source, () => {
      const error = assertFails(() => run(source, scope), 'EXPRESSION_FAILED', message);
      assert.match(error.message, / at position \d+ in "/);
    });
  }

  void test('a pattern longer than 200 characters is refused', () => {
    assert.equal(run(`matches("aaa", "${'a?'.repeat(100)}")`), true);
    assertFails(() => run(`matches("aaa", "${'a'.repeat(201)}")`), 'EXPRESSION_FAILED', /pattern is too long \(201 characters, at most 200\)/);
  });

  void test('a catastrophically backtracking pattern finishes at once', () => {
    const started = performance.now();
    assert.equal(run('matches(subject, "^(a+)+$")', { subject: `${'a'.repeat(5_000)}!` }), false);
    assert.equal(run('matches(subject, "(x+x+)+y")', { subject: 'x'.repeat(5_000) }), false);
    assert.ok(performance.now() - started < 1_000, 'matching took more than a second');
  });
});

void test('now() uses Date.now when no clock is given', () => {
  const before = Date.now();
  const value = evaluateSource('now()', {});
  assert.equal(typeof value, 'string');
  const at = Date.parse(value as string);
  assert.ok(at >= before && at <= Date.now() + 1, `${String(value)} is not the current time`);
});
