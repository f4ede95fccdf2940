import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, evaluateSource, parseExpression } from '../../../src/workflow/expression/index.ts';
import { assertFails, run } from './helpers.ts';

const scope = {
  input: {
    amount: 250,
    currency: 'EUR',
    customer: { name: 'Ada', email: null, tags: ['vip', 'eu'] },
    lines: [{ sku: 'A', price: 10 }, { sku: 'B', price: 32.5 }],
    'odd key': 'yes',
    approved: false,
    note: '',
  },
  steps: { lookup: { output: { score: 0.9 } } },
  index: 1,
};

void describe('member access', () => {
  const cases: [string, unknown][] = [
    ['input.amount', 250],
    ['input.customer.name', 'Ada'],
    ['input["currency"]', 'EUR'],
    ['input["odd key"]', 'yes'],
    ['input.lines[1].price', 32.5],
    ['input.lines[index].sku', 'B'],
    ['input.lines["0"].sku', 'A'],
    ['input.lines.length', 2],
    ['input.customer.name.length', 3],
    ['input.customer.name[0]', 'A'],
    ['input.customer.tags[-1]', null],
    ['input.customer.tags[1.5]', null],
    ['input.lines[5]', null],
    ['steps.lookup.output.score > 0.5', true],
    ['input?.customer?.name', 'Ada'],
    ['input?.["currency"]', 'EUR'],
    ['{a: {b: 2}}.a.b', 2],
    ['[10, 20][1]', 20],
    ['"abc".length', 3],
    ['input.amount.length', null],
    ['input.approved', false],
  ];
  for (const [source, expected] of cases) {
    void test(source, () => assert.deepEqual(run(source, scope), expected));
  }
});

void describe('missing data is null, never an error', () => {
  const cases: [string, unknown][] = [
    ['missing', null],
    ['missing.deeper.still', null],
    ['input.customer.email.domain', null],
    ['input.nope[0].x', null],
    ['input[missing]', null],
    ['input.customer.email ?? "none"', 'none'],
    ['missing == null', true],
    ['input.customer.email == missing', true],
    ['missing != null', false],
    ['[missing, 1]', [null, 1]],
    ['{a: missing}', { a: null }],
    ['"x" in missing', false],
  ];
  for (const [source, expected] of cases) {
    void test(source, () => assert.deepEqual(run(source, scope), expected));
  }

  void test('an index that is neither string nor number fails', () => {
    assertFails(() => run('input[true]', scope), 'EXPRESSION_FAILED', /^An index must be a string or a number, got boolean at position 5/);
  });
});

void describe('operators', () => {
  const cases: [string, unknown][] = [
    ['"a" + 1', 'a1'],
    ['1 + "a"', '1a'],
    ['"total: " + input.amount * 2', 'total: 500'],
    ['"x" + missing + "y"', 'xy'],
    ['"tags: " + input.customer.tags', 'tags: ["vip","eu"]'],
    ['7 % 3', 1],
    ['7 / 2', 3.5],
    ['input.amount > 100 and input.currency == "EUR"', true],
    ['"2026-01-05" < "2026-01-10"', true],
    ['"2026-01-05T10:00:00Z" >= "2026-01-05"', true],
    ['"apple" < "banana"', true],
    ['1 == 1.0', true],
    ['1 == "1"', false],
    ['0 == false', false],
    ['null == false', false],
    ['[1] == [1]', false],
    ['input.lines == input.lines', true],
    ['"vip" in input.customer.tags', true],
    ['"gold" in input.customer.tags', false],
    ['"currency" in input', true],
    ['"toString" in input', false],
    ['"__proto__" in input', false],
    ['"Ad" in input.customer.name', true],
    ['2 in [1, 2, 3]', true],
    ['"2" in [1, 2, 3]', false],
    ['null in [null]', true],
  ];
  for (const [source, expected] of cases) {
    void test(source, () => assert.deepEqual(run(source, scope), expected));
  }
});

void describe('logical operators short-circuit and return the deciding value', () => {
  const cases: [string, unknown][] = [
    ['input.note || "default"', 'default'],
    ['input.currency || "default"', 'EUR'],
    ['input.currency && input.amount', 250],
    ['input.approved && missing.x', false],
    ['input.note ?? "default"', ''],
    ['0 ?? 5', 0],
    ['[] || "x"', []],
    ['not []', false],
    ['not ""', true],
    // The right side is never evaluated, so its error never happens.
    ['true or 1 > "x"', true],
    ['false and unknownFn()', false],
    ['1 ?? 1 / 0', 1],
    ['true ? 1 : 1 / 0', 1],
  ];
  for (const [source, expected] of cases) {
    void test(source, () => assert.deepEqual(run(source, scope), expected));
  }
});

void describe('evaluation errors', () => {
  const cases: [string, RegExp][] = [
    ['"10" > 9', /^Cannot compare string with number using ">" at position 5 in "\\"10\\" > 9": a string is never read as a number; convert with number\(\) or string\(\) first$/],
    ['input.amount >= "100"', /^Cannot compare number with string using ">="/],
    ['missing > 3', /^Cannot compare undefined with number using ">" at position 8/],
    ['true < false', /^Cannot compare boolean with boolean/],
    ['1 / 0', /^Division by zero at position 2/],
    ['5 % 0', /^Division by zero/],
    ['1e308 * 10', /^The result of "\*" is not a finite number/],
    ['input.amount - "5"', /^Cannot apply "-" to number and string at position 13/],
    ['missing + 1', /^Cannot apply "\+" to undefined and number/],
    ['-"5"', /^Cannot apply unary "-" to string at position 0.*convert with number\(\) first/],
    ['frobnicate(1)', /^Unknown function "frobnicate" at position 0 in "frobnicate\(1\)": the functions are abs, addDays,/],
    ['input(1)', /^Unknown function "input"/],
    ['1 in 5', /^Cannot search number \("in"\)/],
    ['1 in "abc"', /^Cannot search a string for number \("in"\)/],
    ['1 in input', /^Object keys are strings, cannot look up number/],
  ];
  for (const [source, message] of cases) {
    void test(source, () => {
      const error = assertFails(() => run(source, scope), 'EXPRESSION_FAILED', message);
      assert.equal(error.details?.expression, source);
      assert.equal(typeof error.details?.position, 'number');
    });
  }
});

void describe('prototype pollution and code execution attempts', () => {
  void test('constructor.constructor("...")() never runs: calling a member does not even parse', () => {
    const probe = globalThis as { pwned?: unknown };
    for (const source of [
      'constructor.constructor("globalThis.pwned = 1")()',
      'input.constructor.constructor("globalThis.pwned = 1")()',
      '"".constructor.constructor("globalThis.pwned = 1")()',
      'input["constructor"]["constructor"]("globalThis.pwned = 1")()',
    ]) {
      assertFails(() => run(source, scope), 'EXPRESSION_INVALID', /^Unexpected (method call|"\(")/);
    }
    assert.equal(probe.pwned, undefined);
  });

  const unreadable: string[] = [
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'input.__proto__',
    'input["__proto__"]',
    'input["__pro" + "to__"]',
    'input.constructor',
    'input.constructor.prototype',
    'input.toString',
    'input.lines.constructor',
    'input.lines.map',
    'input.customer.name.constructor',
    '"abc".constructor',
    '"abc".toUpperCase',
    '{}.constructor',
    '[].constructor',
    'get(input, "__proto__.polluted")',
    'get(input, "constructor.prototype")',
    'fn.call',
    'fn.name',
    'when.getTime',
    'instance.secret',
    'inherited.secret',
  ];
  const hostile = {
    input: scope.input,
    fn: () => 1,
    when: new Date(0),
    instance: new (class Secretive {
      secret = 'class fields are not plain data';
    })(),
    inherited: Object.create({ secret: 'inherited' }) as unknown,
  };
  for (const source of unreadable) {
    void test(`${source} is null`, () => assert.equal(run(source, hostile), null));
  }

  void test('built-in names that exist on Object.prototype are not functions', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      assertFails(() => run(`${name}(1)`), 'EXPRESSION_FAILED', new RegExp(`^Unknown function "${name}"`));
    }
  });

  void test('an object literal with a "__proto__" key gets an own key, not a new prototype', () => {
    const result = run('{"__proto__": {"polluted": true}, a: 1}') as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(result), Object.prototype);
    assert.deepEqual(Object.keys(result), ['__proto__', 'a']);
    assert.equal(({} as { polluted?: unknown }).polluted, undefined);
  });

  void test('own "__proto__" and "constructor" keys (as JSON.parse makes them) are unreadable too', () => {
    const data: unknown = JSON.parse('{"__proto__": {"x": 1}, "constructor": {"prototype": 2}, "ok": 3}');
    const cases: [string, unknown][] = [
      ['data.__proto__.x', null],
      ['data["constructor"].prototype', null],
      ['get(data, "__proto__.x", "blocked")', 'blocked'],
      ['"__proto__" in data', false],
      ['keys(data)', ['ok']],
      ['len(data)', 1],
      ['data.ok', 3],
    ];
    for (const [source, expected] of cases) assert.deepEqual(run(source, { data }), expected, source);
  });

  void test('objects with a null prototype are readable', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { x: 1 });
    assert.equal(run('bare.x + 1', { bare }), 2);
  });
});

void describe('purity', () => {
  void test('evaluation never mutates the scope', () => {
    const data = structuredClone(scope);
    const frozen = structuredClone(scope);
    run('{a: input, b: keys(input), c: split("a,b", ","), d: join(input.customer.tags, ";"), e: input.lines[0]}', data);
    assert.deepEqual(data, frozen);
  });

  void test('a deeply frozen scope evaluates fine', () => {
    const frozen = Object.freeze({ input: Object.freeze({ list: Object.freeze([3, 1, 2]) }) });
    assert.equal(run('max(input.list) + len(input.list)', frozen), 6);
  });

  void test('the same parsed expression gives results for different scopes', () => {
    const expr = parseExpression('input.amount * 2');
    assert.equal(evaluate(expr, { input: { amount: 2 } }), 4);
    assert.equal(evaluate(expr, { input: { amount: 5 } }), 10);
    assertFails(() => evaluate(expr, {}), 'EXPRESSION_FAILED', /^Cannot apply "\*" to undefined and number at position 13/);
    assert.equal(evaluate(parseExpression('input.amount'), {}), null);
  });
});

void describe('evaluateSource', () => {
  void test('parses once per source and still reports syntax errors every time', () => {
    assert.equal(evaluateSource('a + 1', { a: 1 }), 2);
    assert.equal(evaluateSource('a + 1', { a: 41 }), 42);
    assertFails(() => evaluateSource('a +', {}), 'EXPRESSION_INVALID', /^Expected an expression at position 3/);
    assertFails(() => evaluateSource('a +', {}), 'EXPRESSION_INVALID', /^Expected an expression at position 3/);
  });

  void test('keeps working past the cache bound', () => {
    for (let i = 0; i < 1_200; i += 1) assert.equal(evaluateSource(`x + ${i}`, { x: 1 }), i + 1);
    assert.equal(evaluateSource('x + 0', { x: 5 }), 5);
  });
});
