import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTemplate, isTemplateString, renderTemplate } from '../../../src/workflow/expression/index.ts';
import { assertFails, fixedNow } from './helpers.ts';

const scope = {
  input: { amount: 120, ref: 'A-7', customer: { name: 'Ada', vip: true }, lines: [{ price: 10 }, { price: 5 }], note: null },
};

function render(value: unknown, data: Readonly<Record<string, unknown>> = scope): unknown {
  return renderTemplate(compileTemplate(value), data, { now: fixedNow });
}

void describe('a string that is exactly one {{ }} keeps the value type', () => {
  const cases: [string, unknown][] = [
    ['{{ input.amount }}', 120],
    ['{{input.amount * 2}}', 240],
    ['  {{ input.amount }}\n', 120],
    ['{{ input.customer }}', { name: 'Ada', vip: true }],
    ['{{ input.customer.vip }}', true],
    ['{{ input.lines }}', [{ price: 10 }, { price: 5 }]],
    ['{{ input.note }}', null],
    ['{{ input.missing }}', null],
    ['{{ {total: sum([1, 2])} }}', { total: 3 }],
    ['{{ {a: {b: 1}} }}', { a: { b: 1 } }],
    ['{{ "}}" }}', '}}'],
    ['{{ \'{{\' }}', '{{'],
  ];
  for (const [template, expected] of cases) {
    void test(JSON.stringify(template), () => assert.deepEqual(render(template), expected));
  }
});

void describe('a string mixing text and {{ }} interpolates', () => {
  const cases: [string, string][] = [
    ['Invoice {{ input.ref }} for {{ input.amount }} EUR', 'Invoice A-7 for 120 EUR'],
    ['Note: "{{ input.note }}"', 'Note: ""'],
    ['Missing: [{{ input.nothing.here }}]', 'Missing: []'],
    ['Customer: {{ input.customer }}', 'Customer: {"name":"Ada","vip":true}'],
    ['VIP? {{ input.customer.vip }}', 'VIP? true'],
    ['{{ input.ref }}{{ input.amount }}', 'A-7120'],
    ['Due {{ addDays(date(now()), 30) }}', 'Due 2026-02-04'],
    ['Literal \\{{ input.ref }} and {{ input.ref }}', 'Literal {{ input.ref }} and A-7'],
    ['C:\\temp\\{{ input.ref }}.pdf', 'C:\\temp{{ input.ref }}.pdf'],
    ['C:\\temp\\\\{{ input.ref }}.pdf', 'C:\\temp\\A-7.pdf'],
    ['No expressions, just }} and {', 'No expressions, just }} and {'],
  ];
  for (const [template, expected] of cases) {
    void test(JSON.stringify(template), () => assert.equal(render(template), expected));
  }
});

void describe('objects and arrays are walked; other values are constants', () => {
  void test('a nested step input renders with types kept', () => {
    const template = {
      to: '{{ input.customer.name }}',
      amount: '{{ input.amount }}',
      subject: 'Invoice {{ input.ref }}',
      lines: ['{{ input.lines[0].price }}', 'fixed', 3, true, null],
      options: { retries: 2, urgent: '{{ input.amount > 100 }}' },
      '{{ keys are not templates }}': 1,
    };
    assert.deepEqual(render(template), {
      to: 'Ada',
      amount: 120,
      subject: 'Invoice A-7',
      lines: [10, 'fixed', 3, true, null],
      options: { retries: 2, urgent: true },
      '{{ keys are not templates }}': 1,
    });
  });

  void test('rendering builds new objects: changing one result does not change the next', () => {
    const template = compileTemplate({ list: [{ a: 1 }] });
    const first = renderTemplate(template, {}) as { list: { a: number }[] };
    const firstItem = first.list[0];
    assert.ok(firstItem !== undefined);
    firstItem.a = 99;
    assert.deepEqual(renderTemplate(template, {}), { list: [{ a: 1 }] });
  });

  void test('a "__proto__" key from JSON stays an own key and pollutes nothing', () => {
    const value: unknown = JSON.parse('{"__proto__": {"polluted": "{{ input.ref }}"}, "ok": 1}');
    const result = render(value) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(result), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(result, '__proto__')?.value, { polluted: 'A-7' });
    assert.equal(({} as { polluted?: unknown }).polluted, undefined);
  });

  void test('a circular value is refused instead of overflowing the stack', () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = loop;
    assertFails(() => compileTemplate(loop), 'EXPRESSION_INVALID', /^Template is nested more than 256 levels deep \(or circular\)/);
  });
});

void describe('compile errors carry the JSON path of the bad string', () => {
  const cases: [unknown, string, RegExp][] = [
    [{ input: { amount: '{{ a + }}' } }, 'input.amount', /^Expected an expression at position 5 in " a \+ ", found the end of the expression \(template at input\.amount\)$/],
    [{ lines: [1, 2, { price: 'x {{ (1 }}' }] }, 'lines[2].price', /^Expected "\)" at position 4 .*\(template at lines\[2\]\.price\)$/],
    [{ 'odd key': ['{{ a.b() }}'] }, '["odd key"][0]', /^Unexpected method call/],
    ['{{ }}', '', /^Expected an expression at position 1 .*\(template at the top level\)$/],
    [{ note: 'Total {{ input.amount' }, 'note', /^Unclosed "\{\{" at position 6 in template "Total \{\{ input.amount" at note: expected "}}"$/],
  ];
  for (const [value, path, message] of cases) {
    void test(path === '' ? '(top level)' : path, () => {
      const error = assertFails(() => compileTemplate(value), 'EXPRESSION_INVALID', message);
      assert.equal(error.details?.path, path);
      assert.equal(typeof error.details?.position, 'number');
    });
  }

  void test('every expression is checked at compile time, not only the first', () => {
    const error = assertFails(
      () => compileTemplate({ ok: '{{ input.amount }}', later: { bad: 'x {{ 1 + }} y' } }),
      'EXPRESSION_INVALID',
      /template at later\.bad/,
    );
    assert.equal(error.details?.path, 'later.bad');
  });
});

void test('evaluation errors while rendering carry the path too', () => {
  const template = compileTemplate({ steps: [{ with: { total: '{{ input.ref * 2 }}' } }] });
  const error = assertFails(() => renderTemplate(template, scope), 'EXPRESSION_FAILED', /^Cannot apply "\*" to string and number at position 11 .*\(template at steps\[0\]\.with\.total\)$/);
  assert.deepEqual(error.details, { expression: ' input.ref * 2 ', position: 11, path: 'steps[0].with.total' });
});

void describe('isTemplateString', () => {
  const cases: [string, boolean][] = [
    ['{{ x }}', true],
    ['Hello {{ name }}', true],
    ['Hello {{ name', true],
    ['Hello', false],
    ['{ x }', false],
    ['\\{{ escaped }}', false],
    ['\\{{ escaped }} but {{ real }}', true],
    ['C:\\\\{{ name }}', true],
  ];
  for (const [value, expected] of cases) {
    void test(JSON.stringify(value), () => assert.equal(isTemplateString(value), expected));
  }
});
