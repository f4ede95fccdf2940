/** Which scope names an expression reads, for checking a workflow definition before it runs. */
import type { Expression, ExpressionNode } from './ast.ts';

/**
 * The distinct root names the expression reads from its scope, in order of first use. Function
 * names, property names and object-literal keys are not roots.
 *
 * @example
 * referencedRoots(parseExpression('steps.fetch.total > input.limit and len(items) > 0'))
 * // ['steps', 'input', 'items']
 */
export function referencedRoots(expr: Expression): string[] {
  const roots = new Set<string>();
  collect(expr.ast, roots);
  return [...roots];
}

function collect(node: ExpressionNode, roots: Set<string>): void {
  switch (node.type) {
    case 'literal':
      return;
    case 'identifier':
      roots.add(node.name);
      return;
    case 'member':
      collect(node.object, roots);
      return;
    case 'index':
      collect(node.object, roots);
      collect(node.index, roots);
      return;
    case 'call':
      for (const arg of node.args) collect(arg, roots);
      return;
    case 'unary':
      collect(node.argument, roots);
      return;
    case 'binary':
    case 'logical':
      collect(node.left, roots);
      collect(node.right, roots);
      return;
    case 'conditional':
      collect(node.test, roots);
      collect(node.consequent, roots);
      collect(node.alternate, roots);
      return;
    case 'array':
      for (const element of node.elements) collect(element, roots);
      return;
    case 'object':
      for (const entry of node.entries) collect(entry.value, roots);
      return;
    default: {
      const unreachable: never = node;
      return unreachable;
    }
  }
}
