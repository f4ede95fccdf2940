/**
 * Recursive-descent parser. Grammar, lowest precedence first:
 *
 *   expression     := nullish ( "?" expression ":" expression )?          right-associative
 *   nullish        := or ( "??" or )*
 *   or             := and ( ( "||" | "or" ) and )*
 *   and            := not ( ( "&&" | "and" ) not )*
 *   not            := "not" not | equality                                  (as in Python)
 *   equality       := relational ( ( "==" | "!=" | "===" | "!==" ) relational )*
 *   relational     := additive ( ( "<" | "<=" | ">" | ">=" | "in" | "not" "in" ) additive )?
 *   additive       := multiplicative ( ( "+" | "-" ) multiplicative )*
 *   multiplicative := unary ( ( "*" | "/" | "%" ) unary )*
 *   unary          := ( "!" | "-" | "+" ) unary | postfix
 *   postfix        := primary ( ( "." | "?." ) name | ( "[" | "?.[" ) expression "]" )*
 *   primary        := number | string | "true" | "false" | "null" | name
 *                   | name "(" ( expression ( "," expression )* ","? )? ")"
 *                   | "(" expression ")"
 *                   | "[" ( expression ( "," expression )* ","? )? "]"
 *                   | "{" ( key ":" expression ( "," key ":" expression )* ","? )? "}"
 *   key            := name | string | number
 *
 * Notes: `not` binds looser than comparisons (`not a == b` is `not (a == b)`) while `!` binds
 * tightest (`!a == b` is `(!a) == b`), as in Python and JavaScript respectively. Comparisons do
 * not chain (`a < b < c` is a syntax error). `===`/`!==` are accepted as `==`/`!=`. Only a
 * built-in function can be called, by its bare name: `a.b()`, `a[0]()`, `(f)()` do not parse.
 * Keywords (true false null and or not in) cannot be root names but can follow ".".
 */
import type { BinaryOperator, Expression, ExpressionNode, LogicalOperator } from './ast.ts';
import { limits } from './ast.ts';
import { syntaxError } from './diagnostics.ts';
import type { Token } from './lexer.ts';
import { tokenize } from './lexer.ts';

const keywords = new Set(['true', 'false', 'null', 'and', 'or', 'not', 'in']);

/** Parses `source` into a frozen syntax tree. Throws `EXPRESSION_INVALID`. */
export function parse(source: string): Expression {
  if (source.length > limits.maxSourceLength) {
    const problem = `Expression is too long (${source.length} characters, at most ${limits.maxSourceLength})`;
    throw syntaxError(source, limits.maxSourceLength, problem);
  }
  const parser = new Parser(source, tokenize(source));
  const ast = parser.parseExpression();
  parser.expectEnd();
  return Object.freeze({ source, ast });
}

class Parser {
  readonly #source: string;
  readonly #tokens: readonly Token[];
  #index = 0;
  #depth = 0;

  constructor(source: string, tokens: readonly Token[]) {
    this.#source = source;
    this.#tokens = tokens;
  }

  parseExpression(): ExpressionNode {
    return this.#nested(() => {
      const test = this.#parseNullish();
      const question = this.#peek();
      if (!isPunct(question, '?')) return test;
      this.#index += 1;
      const consequent = this.parseExpression();
      this.#expectPunct(':');
      const alternate = this.parseExpression();
      return node({ type: 'conditional', test, consequent, alternate, position: question.position });
    });
  }

  expectEnd(): void {
    const token = this.#peek();
    if (token.kind !== 'end') this.#fail(token, 'Expected an operator or the end of the expression');
  }

  #parseNullish(): ExpressionNode {
    return this.#parseLogical(() => this.#parseOr(), (t) => (isPunct(t, '??') ? '??' : undefined));
  }

  #parseOr(): ExpressionNode {
    return this.#parseLogical(() => this.#parseAnd(), (t) => (isPunct(t, '||') || isName(t, 'or') ? '||' : undefined));
  }

  #parseAnd(): ExpressionNode {
    return this.#parseLogical(() => this.#parseNot(), (t) => (isPunct(t, '&&') || isName(t, 'and') ? '&&' : undefined));
  }

  #parseLogical(operand: () => ExpressionNode, operatorOf: (t: Token) => LogicalOperator | undefined): ExpressionNode {
    let left = operand();
    for (let t = this.#peek(), operator = operatorOf(t); operator !== undefined; t = this.#peek(), operator = operatorOf(t)) {
      this.#index += 1;
      left = node({ type: 'logical', operator, left, right: operand(), position: t.position });
    }
    return left;
  }

  /** A left-associative chain of binary operators. */
  #parseBinary(operand: () => ExpressionNode, operatorOf: (t: Token) => BinaryOperator | undefined): ExpressionNode {
    let left = operand();
    for (let t = this.#peek(), operator = operatorOf(t); operator !== undefined; t = this.#peek(), operator = operatorOf(t)) {
      this.#index += 1;
      left = node({ type: 'binary', operator, left, right: operand(), position: t.position });
    }
    return left;
  }

  #parseNot(): ExpressionNode {
    const t = this.#peek();
    if (!isName(t, 'not')) return this.#parseEquality();
    this.#index += 1;
    return this.#nested(() => node({ type: 'unary', operator: '!', argument: this.#parseNot(), position: t.position }));
  }

  #parseEquality(): ExpressionNode {
    return this.#parseBinary(
      () => this.#parseRelational(),
      (t) => (t.kind !== 'punct' ? undefined : t.value === '==' || t.value === '===' ? '==' : t.value === '!=' || t.value === '!==' ? '!=' : undefined),
    );
  }

  #parseRelational(): ExpressionNode {
    const left = this.#parseAdditive();
    const operator = this.#relationalOperator();
    if (operator === undefined) return left;
    const t = this.#peek();
    this.#index += operator === 'not in' ? 2 : 1;
    const right = this.#parseAdditive();
    const result = node({ type: 'binary', operator, left, right, position: t.position });
    const chained = this.#peek();
    if (this.#relationalOperator() !== undefined) {
      this.#fail(chained, `Unexpected ${JSON.stringify(chained.text)}`, 'comparisons cannot be chained; combine them with "and"');
    }
    return result;
  }

  #relationalOperator(): BinaryOperator | undefined {
    const t = this.#peek();
    if (t.kind === 'punct' && (t.value === '<' || t.value === '<=' || t.value === '>' || t.value === '>=')) {
      return t.value;
    }
    if (isName(t, 'in')) return 'in';
    if (isName(t, 'not') && isName(this.#peek(1), 'in')) return 'not in';
    return undefined;
  }

  #parseAdditive(): ExpressionNode {
    return this.#parseBinary(
      () => this.#parseMultiplicative(),
      (t) => (t.kind === 'punct' && (t.value === '+' || t.value === '-') ? t.value : undefined),
    );
  }

  #parseMultiplicative(): ExpressionNode {
    return this.#parseBinary(
      () => this.#parseUnary(),
      (t) => (t.kind === 'punct' && (t.value === '*' || t.value === '/' || t.value === '%') ? t.value : undefined),
    );
  }

  #parseUnary(): ExpressionNode {
    const t = this.#peek();
    if (t.kind === 'punct' && (t.value === '!' || t.value === '-' || t.value === '+')) {
      this.#index += 1;
      const operator = t.value;
      return this.#nested(() => node({ type: 'unary', operator, argument: this.#parseUnary(), position: t.position }));
    }
    return this.#parsePostfix();
  }

  #parsePostfix(): ExpressionNode {
    let object = this.#parsePrimary();
    for (;;) {
      const t = this.#peek();
      if (isPunct(t, '.') || (isPunct(t, '?.') && !isPunct(this.#peek(1), '['))) {
        this.#index += 1;
        const name = this.#peek();
        if (name.kind !== 'name') this.#fail(name, 'Expected a property name');
        this.#index += 1;
        object = node({ type: 'member', object, name: name.value, position: name.position });
        if (isPunct(this.#peek(), '(')) {
          this.#fail(this.#peek(), 'Unexpected method call', 'only built-in functions can be called, e.g. lower(x) rather than x.toLowerCase()');
        }
      } else if (isPunct(t, '[') || isPunct(t, '?.')) {
        this.#index += t.value === '?.' ? 2 : 1;
        const index = this.parseExpression();
        this.#expectPunct(']');
        object = node({ type: 'index', object, index, position: t.position });
      } else if (isPunct(t, '(')) {
        this.#fail(t, 'Unexpected "("', 'only built-in functions can be called, by name, e.g. len(x)');
      } else {
        return object;
      }
    }
  }

  #parsePrimary(): ExpressionNode {
    const t = this.#peek();
    this.#index += 1;
    switch (t.kind) {
      case 'number':
      case 'string':
        return node({ type: 'literal', value: t.value, position: t.position });
      case 'name':
        return this.#parseName(t);
      case 'punct':
        if (t.value === '(') {
          const inner = this.parseExpression();
          this.#expectPunct(')');
          return inner;
        }
        if (t.value === '[') {
          const elements = this.#parseList(']', () => this.parseExpression());
          return node({ type: 'array', elements, position: t.position });
        }
        if (t.value === '{') {
          const entries = this.#parseList('}', () => this.#parseEntry());
          return node({ type: 'object', entries, position: t.position });
        }
        return this.#fail(t, 'Expected an expression');
      case 'end':
        return this.#fail(t, 'Expected an expression');
      default: {
        const unreachable: never = t;
        return unreachable;
      }
    }
  }

  #parseName(t: Token & { kind: 'name' }): ExpressionNode {
    if (t.value === 'true' || t.value === 'false') return node({ type: 'literal', value: t.value === 'true', position: t.position });
    if (t.value === 'null') return node({ type: 'literal', value: null, position: t.position });
    if (keywords.has(t.value)) return this.#fail(t, 'Expected an expression');
    if (!isPunct(this.#peek(), '(')) return node({ type: 'identifier', name: t.value, position: t.position });
    this.#index += 1;
    const args = this.#parseList(')', () => this.parseExpression());
    return node({ type: 'call', name: t.value, args, position: t.position });
  }

  #parseEntry(): { key: string; value: ExpressionNode } {
    const t = this.#peek();
    if (t.kind !== 'name' && t.kind !== 'string' && t.kind !== 'number') this.#fail(t, 'Expected a property name');
    this.#index += 1;
    this.#expectPunct(':');
    return Object.freeze({ key: String(t.value), value: this.parseExpression() });
  }

  /** Items separated by commas (a trailing comma is allowed) up to `close`, which is consumed. */
  #parseList<T>(close: string, item: () => T): readonly T[] {
    const items: T[] = [];
    while (!isPunct(this.#peek(), close)) {
      items.push(item());
      if (!isPunct(this.#peek(), ',')) break;
      this.#index += 1;
    }
    this.#expectPunct(close);
    return Object.freeze(items);
  }

  #nested<T>(parse: () => T): T {
    this.#depth += 1;
    if (this.#depth > limits.maxDepth) {
      this.#fail(this.#peek(), 'Expression nested too deeply', `at most ${limits.maxDepth} levels of brackets, calls and operators`);
    }
    try {
      return parse();
    } finally {
      this.#depth -= 1;
    }
  }

  #expectPunct(value: string): void {
    const t = this.#peek();
    if (!isPunct(t, value)) this.#fail(t, `Expected "${value}"`);
    this.#index += 1;
  }

  #peek(ahead = 0): Token {
    const last = this.#tokens[this.#tokens.length - 1];
    const token = this.#tokens[this.#index + ahead] ?? last;
    if (token === undefined) throw new Error('tokenize() always ends with an end token');
    return token;
  }

  /** Throws "<problem> at position N in "<source>"" followed by the hint or by what was found. */
  #fail(t: Token, problem: string, hint?: string): never {
    const found = t.kind === 'end' ? 'the end of the expression' : JSON.stringify(t.text);
    throw syntaxError(this.#source, t.position, problem, hint === undefined ? `, found ${found}` : `: ${hint}`);
  }
}

const isPunct = (t: Token, value: string): boolean => t.kind === 'punct' && t.value === value;
const isName = (t: Token, value: string): boolean => t.kind === 'name' && t.value === value;

function node<T extends ExpressionNode>(value: T): T {
  return Object.freeze(value);
}
