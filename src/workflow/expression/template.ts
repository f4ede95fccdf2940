/**
 * Templates: JSON-like values (step inputs, messages) whose strings may contain `{{ expr }}`.
 *
 *   template := string | array of template | plain object of template | any other value (constant)
 *   string   := ( text | "{{" expression "}}" | "\{{" | "\\{{" expression "}}" )*
 *
 * - A string that is exactly one `{{ expr }}` (whitespace allowed around it) renders as the
 *   expression's value with its type: a number stays a number, an object stays an object, and
 *   undefined becomes null.
 * - A string mixing text and `{{ }}` renders as a string: null/undefined as "", strings as they
 *   are, numbers and booleans with String(), arrays and objects as JSON.
 * - `\{{` is a literal "{{" and `\\{{` a backslash before an expression (for paths such as
 *   `C:\out\\{{ name }}`); any other backslash is kept as written.
 * - The end of an expression is the first "}}" outside string literals and `{ }` object
 *   literals, so `{{ {a: {b: 1}} }}` and `{{ "}}" }}` work.
 * - Every expression is parsed by compileTemplate, so a bad one is found when a definition is
 *   saved; the error's `details.path` is the JSON path of the string ("lines[2].price").
 * - Object keys are constants, never templates. Rendering builds new arrays and objects.
 */
import { OpsLoopError, ValidationError } from '../../core/errors.ts';
import type { Expression } from './ast.ts';
import { evaluate } from './evaluate.ts';
import type { EvaluateOptions } from './evaluate.ts';
import { parse } from './parser.ts';
import { isPlainObject, toText } from './values.ts';

export type TemplateNode =
  | { readonly kind: 'constant'; readonly value: unknown }
  | { readonly kind: 'expression'; readonly expression: Expression; readonly path: string }
  | { readonly kind: 'text'; readonly parts: readonly (string | Expression)[]; readonly path: string }
  | { readonly kind: 'array'; readonly items: readonly TemplateNode[] }
  | { readonly kind: 'object'; readonly entries: readonly (readonly [string, TemplateNode])[] };

/** A compiled template; build with {@link compileTemplate}, use with {@link renderTemplate}. */
export interface Template {
  readonly root: TemplateNode;
}

const maxTemplateDepth = 256;

/** Whether `s` contains a `{{` that opens an expression (one not escaped as `\{{`). */
export function isTemplateString(s: string): boolean {
  return scanText(s, 0).open >= 0;
}

/**
 * Parses every `{{ }}` in `value` now. Throws `EXPRESSION_INVALID` with `details.path`.
 *
 * @example
 * const t = compileTemplate({ amount: '{{ input.amount }}', note: 'Invoice {{ input.ref }}' });
 * renderTemplate(t, { input: { amount: 120, ref: 'A-7' } }) // { amount: 120, note: 'Invoice A-7' }
 */
export function compileTemplate(value: unknown): Template {
  return Object.freeze({ root: compileNode(value, '', 0) });
}

/** Renders a compiled template in `scope`. Throws `EXPRESSION_FAILED` with `details.path`. */
export function renderTemplate(
  template: Template,
  scope: Readonly<Record<string, unknown>>,
  options: EvaluateOptions = {},
): unknown {
  return renderNode(template.root, scope, options);
}

function compileNode(value: unknown, path: string, depth: number): TemplateNode {
  if (depth > maxTemplateDepth) {
    const message = `Template is nested more than ${maxTemplateDepth} levels deep (or circular) at ${describePath(path)}`;
    throw new ValidationError('EXPRESSION_INVALID', message, { details: { path } });
  }
  if (typeof value === 'string') return compileString(value, path);
  if (Array.isArray(value)) {
    return { kind: 'array', items: Object.freeze(value.map((item: unknown, i) => compileNode(item, `${path}[${i}]`, depth + 1))) };
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value).map(([key, item]) => [key, compileNode(item, joinPath(path, key), depth + 1)] as const);
    return { kind: 'object', entries: Object.freeze(entries) };
  }
  return { kind: 'constant', value };
}

function compileString(value: string, path: string): TemplateNode {
  const pieces = splitTemplateString(value, path);
  const parts = pieces.map((piece) => (typeof piece === 'string' ? piece : parseAt(piece.source, path)));
  const expressions = parts.filter((part) => typeof part !== 'string');
  const onlyWhitespaceAround = parts.every((part) => typeof part !== 'string' || part.trim() === '');
  const [single] = expressions;
  if (expressions.length === 1 && single !== undefined && onlyWhitespaceAround) return { kind: 'expression', expression: single, path };
  if (expressions.length === 0) return { kind: 'constant', value: parts.join('') };
  return { kind: 'text', parts: Object.freeze(parts), path };
}

function parseAt(source: string, path: string): Expression {
  try {
    return parse(source);
  } catch (error) {
    throw withPath(error, path);
  }
}

/** Text pieces (escapes resolved) and the sources of the `{{ }}` expressions, in order. */
function splitTemplateString(value: string, path: string): (string | { source: string })[] {
  const pieces: (string | { source: string })[] = [];
  for (let i = 0; i < value.length; ) {
    const { text, open } = scanText(value, i);
    if (text !== '') pieces.push(text);
    if (open < 0) break;
    const end = findExpressionEnd(value, open + 2);
    if (end < 0) {
      const message = `Unclosed "{{" at position ${open} in template ${JSON.stringify(value)} at ${describePath(path)}: expected "}}"`;
      throw new ValidationError('EXPRESSION_INVALID', message, { details: { expression: value, position: open, path } });
    }
    pieces.push({ source: value.slice(open + 2, end) });
    i = end + 2;
  }
  return pieces;
}

/**
 * Literal text from `from` up to the next `{{` that opens an expression (`open`, or -1 at the
 * end). `\{{` is a literal "{{"; `\\{{` is a literal backslash followed by an expression.
 */
function scanText(value: string, from: number): { text: string; open: number } {
  let text = '';
  for (let i = from; i < value.length; ) {
    if (value.startsWith('\\\\{{', i)) return { text: `${text}\\`, open: i + 2 };
    if (value.startsWith('\\{{', i)) {
      text += '{{';
      i += 3;
    } else if (value.startsWith('{{', i)) {
      return { text, open: i };
    } else {
      text += value.charAt(i);
      i += 1;
    }
  }
  return { text, open: -1 };
}

/** Index of the "}}" closing an expression that starts at `from`, or -1. */
function findExpressionEnd(value: string, from: number): number {
  let braces = 0;
  let quote = '';
  for (let i = from; i < value.length; i += 1) {
    const ch = value.charAt(i);
    if (quote !== '') {
      if (ch === '\\') i += 1;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '{') {
      braces += 1;
    } else if (ch === '}') {
      if (braces === 0 && value.charAt(i + 1) === '}') return i;
      braces = Math.max(0, braces - 1);
    }
  }
  return -1;
}

function renderNode(node: TemplateNode, scope: Readonly<Record<string, unknown>>, options: EvaluateOptions): unknown {
  switch (node.kind) {
    case 'constant':
      return node.value;
    case 'expression':
      return evaluateAt(node.expression, node.path, scope, options);
    case 'text':
      return node.parts
        .map((part) => (typeof part === 'string' ? part : toText(evaluateAt(part, node.path, scope, options))))
        .join('');
    case 'array':
      return node.items.map((item) => renderNode(item, scope, options));
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const [key, item] of node.entries) {
        // defineProperty, not assignment: a "__proto__" key must not replace the prototype.
        const value = renderNode(item, scope, options);
        Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      }
      return result;
    }
    default: {
      const unreachable: never = node;
      return unreachable;
    }
  }
}

function evaluateAt(expression: Expression, path: string, scope: Readonly<Record<string, unknown>>, options: EvaluateOptions): unknown {
  try {
    return evaluate(expression, scope, options);
  } catch (error) {
    throw withPath(error, path);
  }
}

/** The same error with `details.path` added and the path named in the message. */
function withPath(error: unknown, path: string): unknown {
  if (!(error instanceof OpsLoopError)) return error;
  return new ValidationError(error.code, `${error.message} (template at ${describePath(path)})`, {
    details: { ...error.details, path },
    cause: error,
  });
}

function joinPath(path: string, key: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

function describePath(path: string): string {
  return path === '' ? 'the top level' : path;
}
