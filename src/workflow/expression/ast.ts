/**
 * The parsed form of an expression: a tree of frozen nodes. Every node records `position`, the
 * 0-based character offset of the token that identifies it (the operator for an operation, the
 * name for a call), so evaluation errors can point at the part of the source that failed.
 */

/** Hard limits that keep parsing and evaluation bounded. */
export const limits = {
  /** Longest accepted source, in characters. */
  maxSourceLength: 4_000,
  /** Deepest nesting of parentheses, brackets, calls, ternaries and unary operators. */
  maxDepth: 64,
  /** Longest pattern accepted by `matches()`. */
  maxRegexLength: 200,
} as const;

export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';
export type RelationalOperator = '<' | '<=' | '>' | '>=';
export type EqualityOperator = '==' | '!=';
export type MembershipOperator = 'in' | 'not in';
export type BinaryOperator = ArithmeticOperator | RelationalOperator | EqualityOperator | MembershipOperator;
export type LogicalOperator = '&&' | '||' | '??';
export type UnaryOperator = '!' | '-' | '+';

export interface LiteralNode {
  readonly type: 'literal';
  readonly value: string | number | boolean | null;
  readonly position: number;
}
/** A root name looked up in the scope. */
export interface IdentifierNode {
  readonly type: 'identifier';
  readonly name: string;
  readonly position: number;
}
/** `object.name` (also `object?.name`). */
export interface MemberNode {
  readonly type: 'member';
  readonly object: ExpressionNode;
  readonly name: string;
  readonly position: number;
}
/** `object[index]` (also `object?.[index]`). */
export interface IndexNode {
  readonly type: 'index';
  readonly object: ExpressionNode;
  readonly index: ExpressionNode;
  readonly position: number;
}
/** A call of a built-in function, by name: calls on any other value do not parse. */
export interface CallNode {
  readonly type: 'call';
  readonly name: string;
  readonly args: readonly ExpressionNode[];
  readonly position: number;
}
export interface UnaryNode {
  readonly type: 'unary';
  readonly operator: UnaryOperator;
  readonly argument: ExpressionNode;
  readonly position: number;
}
export interface BinaryNode {
  readonly type: 'binary';
  readonly operator: BinaryOperator;
  readonly left: ExpressionNode;
  readonly right: ExpressionNode;
  readonly position: number;
}
/** Short-circuiting operators: the right side is evaluated only when it decides the result. */
export interface LogicalNode {
  readonly type: 'logical';
  readonly operator: LogicalOperator;
  readonly left: ExpressionNode;
  readonly right: ExpressionNode;
  readonly position: number;
}
export interface ConditionalNode {
  readonly type: 'conditional';
  readonly test: ExpressionNode;
  readonly consequent: ExpressionNode;
  readonly alternate: ExpressionNode;
  readonly position: number;
}
export interface ArrayNode {
  readonly type: 'array';
  readonly elements: readonly ExpressionNode[];
  readonly position: number;
}
export interface ObjectNode {
  readonly type: 'object';
  readonly entries: readonly { readonly key: string; readonly value: ExpressionNode }[];
  readonly position: number;
}

export type ExpressionNode =
  | LiteralNode
  | IdentifierNode
  | MemberNode
  | IndexNode
  | CallNode
  | UnaryNode
  | BinaryNode
  | LogicalNode
  | ConditionalNode
  | ArrayNode
  | ObjectNode;

/** A parsed expression: its source text (for error messages) and its syntax tree. */
export interface Expression {
  readonly source: string;
  readonly ast: ExpressionNode;
}
