/**
 * The value rules shared by operators, built-in functions and templates.
 *
 * - Reading: only own properties of plain objects (prototype Object.prototype or null) and
 *   arrays are readable, plus `length` and integer indexes of arrays and strings. `__proto__`,
 *   `constructor` and `prototype` never are. Reading from null/undefined gives undefined.
 * - Truthiness is JavaScript's: false, 0, "", null, undefined and NaN are falsy; [] and {} are not.
 * - Equality is strict (no coercion, `1 == "1"` is false) except that null equals undefined, so
 *   a missing field `== null`. Arrays and objects are equal only to themselves.
 * - Ordering (< <= > >=, min, max) is defined for two numbers or two strings (by UTF-16 code
 *   units, so ISO dates order correctly); anything else throws, a string is never read as a number.
 */
import { ExpressionFault } from './diagnostics.ts';

const unreadableNames = new Set(['__proto__', 'constructor', 'prototype']);

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Whether `name` may be read from an object: `__proto__` and friends never may. */
export function isReadableName(name: string): boolean {
  return !unreadableNames.has(name);
}

/** A non-negative integer index from a number or a canonical numeric string ("0", "12"). */
function toIndex(key: string | number): number | undefined {
  const index = typeof key === 'number' ? key : /^(?:0|[1-9][0-9]*)$/.test(key) ? Number(key) : Number.NaN;
  return Number.isSafeInteger(index) && index >= 0 ? index : undefined;
}

/** `target[key]` under the reading rules above; undefined when not readable. */
export function readMember(target: unknown, key: string | number): unknown {
  if (target === null || target === undefined) return undefined;
  if (typeof target === 'string' || Array.isArray(target)) {
    if (key === 'length') return target.length;
    const index = toIndex(key);
    if (index === undefined || index >= target.length) return undefined;
    if (typeof target === 'string') return target.charAt(index);
    return Object.hasOwn(target, index) ? (target as readonly unknown[])[index] : undefined;
  }
  if (!isPlainObject(target)) return undefined;
  const name = String(key);
  return isReadableName(name) && Object.hasOwn(target, name) ? target[name] : undefined;
}

/** The type of a value as named in error messages. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export function isTruthy(value: unknown): boolean {
  return Boolean(value);
}

export function isNullish(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

export function valuesEqual(left: unknown, right: unknown): boolean {
  if (isNullish(left) || isNullish(right)) return isNullish(left) && isNullish(right);
  return left === right;
}

/** Negative, zero or positive as `left` orders before, with or after `right`. */
export function compareValues(left: unknown, right: unknown, label: string): number {
  if (typeof left === 'number' && typeof right === 'number') {
    if (Number.isNaN(left) || Number.isNaN(right)) throw new ExpressionFault(`Cannot compare NaN using ${label}`);
    return left - right;
  }
  if (typeof left === 'string' && typeof right === 'string') return left < right ? -1 : left > right ? 1 : 0;
  throw new ExpressionFault(
    `Cannot compare ${typeName(left)} with ${typeName(right)} using ${label}`,
    'a string is never read as a number; convert with number() or string() first',
  );
}

/**
 * `needle in haystack`: an element of an array, a key of an object, a substring of a string.
 * A missing haystack contains nothing. `label` names the operator or function in errors.
 */
export function contains(haystack: unknown, needle: unknown, label: string): boolean {
  if (isNullish(haystack)) return false;
  if (Array.isArray(haystack)) return haystack.some((item) => valuesEqual(item, needle));
  if (typeof haystack === 'string') {
    if (typeof needle !== 'string') throw new ExpressionFault(`Cannot search a string for ${typeName(needle)} (${label})`);
    return haystack.includes(needle);
  }
  if (isPlainObject(haystack)) {
    if (typeof needle !== 'string') throw new ExpressionFault(`Object keys are strings, cannot look up ${typeName(needle)} (${label})`);
    return isReadableName(needle) && Object.hasOwn(haystack, needle);
  }
  throw new ExpressionFault(`Cannot search ${typeName(haystack)} (${label})`, 'expected an array, object or string');
}

/** The text of a value in a template or a concatenation: absent is "", objects are JSON. */
export function toText(value: unknown): string {
  if (isNullish(value)) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** `+ - * / %`. `+` concatenates when either side is a string; otherwise numbers only. */
export function arithmetic(operator: '+' | '-' | '*' | '/' | '%', left: unknown, right: unknown): unknown {
  if (operator === '+' && (typeof left === 'string' || typeof right === 'string')) return toText(left) + toText(right);
  if (typeof left !== 'number' || typeof right !== 'number') {
    throw new ExpressionFault(`Cannot apply "${operator}" to ${typeName(left)} and ${typeName(right)}`);
  }
  if ((operator === '/' || operator === '%') && right === 0) throw new ExpressionFault('Division by zero');
  const result = calculate(operator, left, right);
  if (!Number.isFinite(result)) throw new ExpressionFault(`The result of "${operator}" is not a finite number`);
  return result;
}

function calculate(operator: '+' | '-' | '*' | '/' | '%', left: number, right: number): number {
  switch (operator) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      return left / right;
    case '%':
      return left % right;
    default: {
      const unreachable: never = operator;
      return unreachable;
    }
  }
}
