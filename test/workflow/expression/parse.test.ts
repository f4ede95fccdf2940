import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpression, referencedRoots } from '../../../src/workflow/expression/index.ts';
import { assertFails, run } from './helpers.ts';

void describe('operator precedence and associativity', () => {
  const cases: [string, unknown][] = [
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['2 * 3 % 4', 2],
    ['-2 * 3', -6],
    ['- -2', 2],
    ['+5', 5],
    ['1 + 2 > 2', true],
    ['1 < 2 == 3 < 4', true],
    ['1 == 1 and 2 == 3', false],
    ['true or false and false', true],
    ['(true or false) and false', false],
    ['null ?? false || true', true],
    ['false ? 1 : true ? 2 : 3', 2],
    ['true ? false ? 1 : 2 : 3', 2],
    ['1 > 2 ? "a" : "b"', 'b'],
    ['not 1 == 2', true],
    ['!1 == 2', false],
    ['!0 == true', true],
    ['not true and false', false],
    ['not (true and false)', true],
    ['"b" in ["a", "b"] and 1 + 1 == 2', true],
    ['"c" not in ["a", "b"]', true],
    ['not "c" in ["a", "b"]', true],
    ['1e3 + 2.5e-1', 1000.25],
    ['007 + 0.5', 7.5],
    ['1 === 1 && 1 !== 2', true],
  ];
  for (const [source, expected] of cases) {
    void test(source, () => assert.deepEqual(run(source), expected));
  }
});

void describe('literals', () => {
  const cases: [string, unknown][] = [
    ['"double"', 'double'],
    ["'single'", 'single'],
    ['"tab\\there"', 'tab\there'],
    ['"quote \\" and \\\\ backslash"', 'quote " and \\ backslash'],
    ["'it\\'s'", "it's"],
    ['"\\u00e9t\\u00e9"', 'été'],
    ['[1, "two", [3], null, true, false]', [1, 'two', [3], null, true, false]],
    ['[1, 2,]', [1, 2]],
    ['[]', []],
    ['{a: 1, "b c": 2, 3: "x", in: 4}', { a: 1, 'b c': 2, '3': 'x', in: 4 }],
    ['{}', {}],
    ['{a: {b: [1, {c: 2}]}}', { a: { b: [1, { c: 2 }] } }],
  ];
  for (const [source, expected] of cases) {
    void test(source, () => assert.deepEqual(run(source), expected));
  }
});

void describe('syntax errors name the position and what was expected', () => {
  const cases: [string, RegExp, number][] = [
    ['a > (b + 1', /^Expected "\)" at position 10 in "a > \(b \+ 1", found the end of the expression$/, 10],
    ['', /^Expected an expression at position 0/, 0],
    ['1 +', /^Expected an expression at position 3/, 3],
    ['a b', /^Expected an operator or the end of the expression at position 2 in "a b", found "b"$/, 2],
    ['[1, 2', /^Expected "\]" at position 5/, 5],
    ['{a 1}', /^Expected ":" at position 3/, 3],
    ['{a: 1', /^Expected "}" at position 5/, 5],
    ['a.', /^Expected a property name at position 2/, 2],
    ['"open', /^Expected closing " for the string started at position 0 at position 5/, 5],
    ['"bad \\q"', /^Unknown escape "\\q" in string at position 5/, 5],
    ['a = 1', /^Unexpected character "=" at position 2 in "a = 1": use "==" to compare/, 2],
    ['a & b', /^Unexpected character "&" at position 2.*use "&&" or "and"/, 2],
    ['a # b', /^Unexpected character "#" at position 2/, 2],
    ['12abc', /^Unexpected character "a" after number 12 at position 2/, 2],
    ['a < b < c', /^Unexpected "<" at position 6.*cannot be chained/, 6],
    ['x.toString()', /^Unexpected method call at position 10/, 10],
    ['(len)(x)', /^Unexpected "\(" at position 5.*only built-in functions can be called/, 5],
    ['items[0](1)', /^Unexpected "\(" at position 8/, 8],
    ['true(1)', /^Unexpected "\(" at position 4/, 4],
    ['a ? b', /^Expected ":" at position 5/, 5],
    ['and', /^Expected an expression at position 0 in "and", found "and"$/, 0],
    ['x => 1', /^Unexpected character "=" at position 2/, 2],
    ['function() {}', /^Expected an operator or the end of the expression at position 11/, 11],
  ];
  for (const [source, message, position] of cases) {
    void test(source === '' ? '(empty)' : source, () => {
      const error = assertFails(() => parseExpression(source), 'EXPRESSION_INVALID', message);
      assert.deepEqual(error.details, { expression: source, position });
    });
  }

  void test('a long source is quoted only around the error', () => {
    const source = `${'a + '.repeat(100)}(b`;
    const error = assertFails(() => parseExpression(source), 'EXPRESSION_INVALID', /^Expected "\)" at position 402 in …"/);
    assert.ok(error.message.length < 250, error.message);
    assert.equal(error.details?.expression, source);
  });
});

void describe('limits', () => {
  void test('4,000 characters parse; 4,001 are refused', () => {
    const longest = `1${' + 1'.repeat(999)}   `;
    assert.equal(longest.length, 4000);
    assert.equal(run(longest), 1000);
    assertFails(() => parseExpression(`${longest} `), 'EXPRESSION_INVALID', /^Expression is too long \(4001 characters, at most 4000\)/);
  });

  void test('60 nested parentheses parse; 70 are refused', () => {
    assert.equal(run(`${'('.repeat(60)}1${')'.repeat(60)}`), 1);
    assertFails(
      () => parseExpression(`${'('.repeat(70)}1${')'.repeat(70)}`),
      'EXPRESSION_INVALID',
      /^Expression nested too deeply at position \d+ .*at most 64 levels/,
    );
  });

  void test('deep nesting through arrays, calls, unary operators and ternaries is refused too', () => {
    for (const source of [
      `${'['.repeat(70)}1${']'.repeat(70)}`,
      `${'abs('.repeat(70)}1${')'.repeat(70)}`,
      `${'-'.repeat(70)}1`,
      `${'not '.repeat(70)}true`,
      `${'a ? b : '.repeat(70)}c`,
    ]) {
      assertFails(() => parseExpression(source), 'EXPRESSION_INVALID', /^Expression nested too deeply/);
    }
  });
});

void describe('referencedRoots', () => {
  const cases: [string, string[]][] = [
    ['steps.fetch.total > input.limit and len(items) > 0', ['steps', 'input', 'items']],
    ['input.a + input.b', ['input']],
    ['lower(x.name) == "a"', ['x']],
    ['{key: value}', ['value']],
    ['a[b.c] ?? d ? e : [f]', ['a', 'b', 'd', 'e', 'f']],
    ['now() > "2026" and true', []],
    ['not x in y', ['x', 'y']],
  ];
  for (const [source, expected] of cases) {
    void test(source, () => assert.deepEqual(referencedRoots(parseExpression(source)), expected));
  }
});

void test('parsed expressions are frozen, so a cached one cannot be tampered with', () => {
  const expr = parseExpression('1 + 2');
  assert.throws(() => {
    (expr as { source: string }).source = 'x';
  }, TypeError);
  assert.ok(Object.isFrozen(expr.ast));
});
