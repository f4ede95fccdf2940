/**
 * Evaluates a parsed expression against a scope. Pure and synchronous: nothing is mutated, no
 * code outside the built-in functions runs, and there are no loops, so evaluation ends in time
 * proportional to the (bounded) size of the expression and the data it reads.
 *
 * - A root name missing from the scope is undefined, not an error (optional data is common), and
 *   reading through null/undefined gives undefined. `evaluate` returns null instead of
 *   undefined, and array/object literals hold null for undefined, so results are JSON-clean.
 * - A result may be a value from the scope itself (`input.customer` is that object, not a copy);
 *   callers that change results should copy them first.
 * - Errors are `EXPRESSION_FAILED` and name the position of the failing operator or call.
 */
import { OpsLoopError, messageOf } from '../../core/errors.ts';
import type { BinaryOperator, Expression, ExpressionNode, LogicalNode } from './ast.ts';
import { ExpressionFault, evaluationError } from './diagnostics.ts';
import { callFunction } from './functions.ts';
import type { FunctionContext } from './functions.ts';
import {
  arithmetic,
  compareValues,
  contains,
  isNullish,
  isReadableName,
  isTruthy,
  readMember,
  typeName,
  valuesEqual,
} from './values.ts';

export interface EvaluateOptions {
  /** Milliseconds since the Unix epoch for `now()`; defaults to `Date.now`. */
  now?: () => number;
}

interface Context extends FunctionContext {
  readonly scope: Readonly<Record<string, unknown>>;
  readonly source: string;
}

/**
 * The value of `expr` in `scope`; undefined becomes null. Throws `EXPRESSION_FAILED`.
 *
 * @example
 * evaluate(parseExpression('input.amount > 100 and input.currency == "EUR"'),
 *          { input: { amount: 250, currency: 'EUR' } }) // true
 */
export function evaluate(
  expr: Expression,
  scope: Readonly<Record<string, unknown>>,
  options: EvaluateOptions = {},
): unknown {
  const context: Context = { scope, source: expr.source, nowMs: options.now ?? Date.now };
  const value = evaluateNode(expr.ast, context);
  return value === undefined ? null : value;
}

function evaluateNode(node: ExpressionNode, context: Context): unknown {
  try {
    return evaluateUnlocated(node, context);
  } catch (error) {
    if (error instanceof OpsLoopError) throw error;
    if (error instanceof ExpressionFault) throw evaluationError(context.source, node.position, error.message, error.hint);
    throw evaluationError(context.source, node.position, 'Evaluation failed', messageOf(error), error);
  }
}

function evaluateUnlocated(node: ExpressionNode, context: Context): unknown {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'identifier':
      return isReadableName(node.name) && Object.hasOwn(context.scope, node.name) ? context.scope[node.name] : undefined;
    case 'member':
      return readMember(evaluateNode(node.object, context), node.name);
    case 'index': {
      const target = evaluateNode(node.object, context);
      const key = evaluateNode(node.index, context);
      if (isNullish(key)) return undefined;
      if (typeof key !== 'string' && typeof key !== 'number') {
        throw new ExpressionFault(`An index must be a string or a number, got ${typeName(key)}`);
      }
      return readMember(target, key);
    }
    case 'call':
      return callFunction(
        node.name,
        node.args.map((arg) => evaluateNode(arg, context)),
        context,
      );
    case 'unary':
      return evaluateUnary(node.operator, evaluateNode(node.argument, context));
    case 'binary':
      return evaluateBinary(node.operator, evaluateNode(node.left, context), evaluateNode(node.right, context));
    case 'logical':
      return evaluateLogical(node, context);
    case 'conditional':
      return isTruthy(evaluateNode(node.test, context))
        ? evaluateNode(node.consequent, context)
        : evaluateNode(node.alternate, context);
    case 'array':
      return node.elements.map((element) => evaluateNode(element, context) ?? null);
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const entry of node.entries) {
        // defineProperty, not assignment: a "__proto__" key must not replace the prototype.
        Object.defineProperty(result, entry.key, {
          value: evaluateNode(entry.value, context) ?? null,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return result;
    }
    default: {
      const unreachable: never = node;
      return unreachable;
    }
  }
}

function evaluateLogical(node: LogicalNode, context: Context): unknown {
  const left = evaluateNode(node.left, context);
  switch (node.operator) {
    case '&&':
      return isTruthy(left) ? evaluateNode(node.right, context) : left;
    case '||':
      return isTruthy(left) ? left : evaluateNode(node.right, context);
    case '??':
      return isNullish(left) ? evaluateNode(node.right, context) : left;
    default: {
      const unreachable: never = node.operator;
      return unreachable;
    }
  }
}

function evaluateUnary(operator: '!' | '-' | '+', value: unknown): unknown {
  if (operator === '!') return !isTruthy(value);
  if (typeof value !== 'number') {
    throw new ExpressionFault(`Cannot apply unary "${operator}" to ${typeName(value)}`, 'convert with number() first');
  }
  return operator === '-' ? -value : value;
}

function evaluateBinary(operator: BinaryOperator, left: unknown, right: unknown): unknown {
  switch (operator) {
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return arithmetic(operator, left, right);
    case '<':
      return compareValues(left, right, '"<"') < 0;
    case '<=':
      return compareValues(left, right, '"<="') <= 0;
    case '>':
      return compareValues(left, right, '">"') > 0;
    case '>=':
      return compareValues(left, right, '">="') >= 0;
    case '==':
      return valuesEqual(left, right);
    case '!=':
      return !valuesEqual(left, right);
    case 'in':
      return contains(right, left, '"in"');
    case 'not in':
      return !contains(right, left, '"not in"');
    default: {
      const unreachable: never = operator;
      return unreachable;
    }
  }
}
