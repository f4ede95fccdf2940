/**
 * The workflow engine's expression language: a small, side-effect-free language for conditions
 * and computed step inputs, written by hand (no eval, no Function, no parser dependency).
 *
 *   input.amount > 1000 and input.currency == "EUR"
 *   coalesce(steps.lookup.output.email, input.email, "unknown")
 *   round(sum(get(input, "lines", [])) * 1.2, 2)
 *   "Invoice " + input.ref + " due " + addDays(date(now()), 30)
 *
 * Grammar and operator precedence: parser.ts. Value rules (reading, truthiness, equality,
 * ordering): values.ts. Functions: functions.ts. Templates (`"Hi {{ input.name }}"`): template.ts.
 *
 * Syntax errors are `ValidationError` code `EXPRESSION_INVALID`; evaluation errors are code
 * `EXPRESSION_FAILED`. Both carry `details.expression` and `details.position` (0-based offset).
 */
import type { Expression } from './ast.ts';
import { parse } from './parser.ts';

export type {
  ArrayNode,
  BinaryNode,
  BinaryOperator,
  CallNode,
  ConditionalNode,
  Expression,
  ExpressionNode,
  IdentifierNode,
  IndexNode,
  LiteralNode,
  LogicalNode,
  LogicalOperator,
  MemberNode,
  ObjectNode,
  UnaryNode,
  UnaryOperator,
} from './ast.ts';
export type { EvaluateOptions } from './evaluate.ts';
export type { Template, TemplateNode } from './template.ts';
export { evaluate } from './evaluate.ts';
export { evaluateSource } from './cache.ts';
export { referencedRoots } from './roots.ts';
export { compileTemplate, isTemplateString, renderTemplate } from './template.ts';
export { functionNames } from './functions.ts';
/** Whether a condition's value counts as true (the language's one rule for conditions). */
export { isTruthy } from './values.ts';

/**
 * Parses an expression. Throws `EXPRESSION_INVALID` naming the position and what was expected,
 * e.g. `Expected ")" at position 10 in "a > (b + 1", found the end of the expression`.
 */
export function parseExpression(source: string): Expression {
  return parse(source);
}
