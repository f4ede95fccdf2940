/**
 * The built-in functions: the only code an expression can call. The list is fixed; a call of
 * any other name fails with `EXPRESSION_FAILED` naming it. Conventions:
 *
 * - Collection functions (len, contains, sum, keys, join, min/max over an array) treat null or a
 *   missing value as empty: len(null) is 0, sum(null) is 0, keys(null) is [], join(null) is "".
 * - String functions (lower, upper, trim, startsWith, endsWith, split, matches) require strings
 *   and throw on anything else, null included: write lower(x ?? "") for optional text.
 * - Number functions (round, floor, ceil, abs) require numbers; number(x) converts a numeric
 *   string ("12.5", " 3e2 ") and throws on anything else.
 * - min/max take several arguments or one array; they order numbers or strings (ISO dates),
 *   never a mix, and give null when there is nothing to compare.
 * - round(n, digits) rounds half away from zero on the decimal value: round(1.005, 2) is 1.01.
 */
import { ExpressionFault } from './diagnostics.ts';
import { addDays, daysBetween, formatDay, utcDayOf } from './dates.ts';
import { matches } from './regex.ts';
import { compareValues, contains, isNullish, isPlainObject, isReadableName, readMember, toText, typeName } from './values.ts';

export interface FunctionContext {
  /** Milliseconds since the Unix epoch, for now(). */
  readonly nowMs: () => number;
}

interface BuiltIn {
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly call: (args: readonly unknown[], context: FunctionContext) => unknown;
}

function text(fn: string, value: unknown): string {
  if (typeof value !== 'string') throw new ExpressionFault(`${fn}() expects a string, got ${typeName(value)}`);
  return value;
}

function num(fn: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw new ExpressionFault(`${fn}() expects a number, got ${typeName(value)}`);
  return value;
}

function list(fn: string, value: unknown): readonly unknown[] {
  if (isNullish(value)) return [];
  if (!Array.isArray(value)) throw new ExpressionFault(`${fn}() expects an array, got ${typeName(value)}`);
  return value;
}

/** Moves the decimal point of `value` by `places`, exactly, through its decimal text. */
function shiftDecimal(value: number, places: number): number {
  const [mantissa, exponent = '0'] = String(value).split('e');
  return Number(`${mantissa}e${Number(exponent) + places}`);
}

function round(value: unknown, digits: unknown = 0): number {
  const n = num('round', value);
  if (typeof digits !== 'number' || !Number.isInteger(digits) || digits < -15 || digits > 15) {
    throw new ExpressionFault('round() expects digits to be a whole number from -15 to 15');
  }
  const rounded = Math.round(shiftDecimal(Math.abs(n), digits));
  const result = Math.sign(n) * shiftDecimal(rounded, -digits);
  return result === 0 ? 0 : result;
}

function extreme(fn: 'min' | 'max', args: readonly unknown[]): unknown {
  const [first] = args;
  const values = args.length === 1 && (Array.isArray(first) || isNullish(first)) ? list(fn, first) : args;
  let best: unknown = null;
  values.forEach((value, index) => {
    if (typeof value !== 'number' && typeof value !== 'string') {
      throw new ExpressionFault(`${fn}() compares numbers or strings, got ${typeName(value)}`);
    }
    if (index === 0) best = value;
    else if (fn === 'min' ? compareValues(value, best, `${fn}()`) < 0 : compareValues(value, best, `${fn}()`) > 0) best = value;
  });
  return best;
}

const numericText = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

function toNumber(value: unknown): number {
  if (typeof value === 'number') return num('number', value);
  if (typeof value === 'string' && numericText.test(value.trim())) {
    const n = Number(value.trim());
    if (Number.isFinite(n)) return n;
  }
  const shown = typeof value === 'string' ? JSON.stringify(value) : typeName(value);
  throw new ExpressionFault(`number() cannot convert ${shown} to a number`);
}

function length(value: unknown): number {
  if (isNullish(value)) return 0;
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (isPlainObject(value)) return readableKeys(value).length;
  throw new ExpressionFault(`len() expects a string, array or object, got ${typeName(value)}`);
}

function readableKeys(value: unknown): string[] {
  if (isNullish(value)) return [];
  if (!isPlainObject(value)) throw new ExpressionFault(`keys() expects an object, got ${typeName(value)}`);
  return Object.keys(value).filter(isReadableName);
}

/** `get(obj, "a.b[0].c", default)` or `get(obj, ["a", "b", 0, "c"], default)`. */
function getPath(target: unknown, path: unknown, fallback: unknown = null): unknown {
  let segments: readonly unknown[];
  if (Array.isArray(path)) {
    segments = path;
  } else if (typeof path === 'string') {
    const parsed: (string | number)[] = [];
    for (const part of path.split('.')) {
      const match = /^([^[\]]*)((?:\[[0-9]+\])*)$/.exec(part);
      if (match === null) throw new ExpressionFault(`get() cannot read the path ${JSON.stringify(path)}`);
      if (match[1]) parsed.push(match[1]);
      for (const index of (match[2] ?? '').matchAll(/\[([0-9]+)\]/g)) parsed.push(Number(index[1]));
    }
    segments = parsed;
  } else {
    throw new ExpressionFault(`get() expects a path string or array, got ${typeName(path)}`);
  }
  let value = target;
  for (const segment of segments) {
    if (typeof segment !== 'string' && typeof segment !== 'number') {
      throw new ExpressionFault(`get() path segments must be strings or numbers, got ${typeName(segment)}`);
    }
    value = readMember(value, segment);
  }
  return isNullish(value) ? fallback : value;
}

function sum(value: unknown): number {
  let total = 0;
  list('sum', value).forEach((item, index) => {
    if (typeof item !== 'number') throw new ExpressionFault(`sum() expects numbers, got ${typeName(item)} at index ${index}`);
    total += item;
  });
  if (!Number.isFinite(total)) throw new ExpressionFault('sum() result is not a finite number');
  return total;
}

function nowIso(context: FunctionContext): string {
  const ms = context.nowMs();
  if (!Number.isFinite(ms)) throw new ExpressionFault('now() got an invalid clock reading');
  return new Date(ms).toISOString();
}

const many = Number.POSITIVE_INFINITY;

const builtIns: ReadonlyMap<string, BuiltIn> = new Map<string, BuiltIn>([
  ['len', { minArgs: 1, maxArgs: 1, call: ([x]) => length(x) }],
  ['lower', { minArgs: 1, maxArgs: 1, call: ([s]) => text('lower', s).toLowerCase() }],
  ['upper', { minArgs: 1, maxArgs: 1, call: ([s]) => text('upper', s).toUpperCase() }],
  ['trim', { minArgs: 1, maxArgs: 1, call: ([s]) => text('trim', s).trim() }],
  ['contains', { minArgs: 2, maxArgs: 2, call: ([haystack, needle]) => contains(haystack, needle, 'contains()') }],
  ['startsWith', { minArgs: 2, maxArgs: 2, call: ([s, p]) => text('startsWith', s).startsWith(text('startsWith', p)) }],
  ['endsWith', { minArgs: 2, maxArgs: 2, call: ([s, p]) => text('endsWith', s).endsWith(text('endsWith', p)) }],
  ['round', { minArgs: 1, maxArgs: 2, call: ([n, digits]) => round(n, digits) }],
  ['floor', { minArgs: 1, maxArgs: 1, call: ([n]) => Math.floor(num('floor', n)) }],
  ['ceil', { minArgs: 1, maxArgs: 1, call: ([n]) => Math.ceil(num('ceil', n)) }],
  ['abs', { minArgs: 1, maxArgs: 1, call: ([n]) => Math.abs(num('abs', n)) }],
  ['min', { minArgs: 1, maxArgs: many, call: (args) => extreme('min', args) }],
  ['max', { minArgs: 1, maxArgs: many, call: (args) => extreme('max', args) }],
  ['sum', { minArgs: 1, maxArgs: 1, call: ([values]) => sum(values) }],
  ['number', { minArgs: 1, maxArgs: 1, call: ([x]) => toNumber(x) }],
  ['string', { minArgs: 1, maxArgs: 1, call: ([x]) => toText(x) }],
  ['coalesce', { minArgs: 1, maxArgs: many, call: (args) => args.find((x) => !isNullish(x)) ?? null }],
  ['now', { minArgs: 0, maxArgs: 0, call: (_args, context) => nowIso(context) }],
  ['date', { minArgs: 1, maxArgs: 1, call: ([x]) => formatDay(utcDayOf(x, 'date')) }],
  ['addDays', { minArgs: 2, maxArgs: 2, call: ([x, n]) => addDays(x, n) }],
  ['daysBetween', { minArgs: 2, maxArgs: 2, call: ([a, b]) => daysBetween(a, b) }],
  ['matches', { minArgs: 2, maxArgs: 2, call: ([s, pattern]) => matches(s, pattern) }],
  ['keys', { minArgs: 1, maxArgs: 1, call: ([obj]) => readableKeys(obj) }],
  ['join', { minArgs: 1, maxArgs: 2, call: ([xs, sep]) => list('join', xs).map(toText).join(sep === undefined ? ',' : text('join', sep)) }],
  ['split', { minArgs: 2, maxArgs: 2, call: ([s, sep]) => (text('split', s) === '' ? [] : text('split', s).split(text('split', sep))) }],
  ['get', { minArgs: 2, maxArgs: 3, call: ([obj, path, fallback]) => getPath(obj, path, fallback) }],
]);

/** The names of all built-in functions, sorted. */
export const functionNames: readonly string[] = Object.freeze([...builtIns.keys()].sort());

/** Calls built-in `name`. Throws {@link ExpressionFault} for unknown names and bad arguments. */
export function callFunction(name: string, args: readonly unknown[], context: FunctionContext): unknown {
  const builtIn = builtIns.get(name);
  if (builtIn === undefined) {
    throw new ExpressionFault(`Unknown function "${name}"`, `the functions are ${functionNames.join(', ')}`);
  }
  if (args.length < builtIn.minArgs || args.length > builtIn.maxArgs) {
    const expected =
      builtIn.maxArgs === many
        ? `at least ${builtIn.minArgs}`
        : builtIn.minArgs === builtIn.maxArgs
          ? `${builtIn.minArgs}`
          : `${builtIn.minArgs} to ${builtIn.maxArgs}`;
    const plural = (builtIn.maxArgs === many ? builtIn.minArgs : builtIn.maxArgs) === 1 ? '' : 's';
    throw new ExpressionFault(`${name}() takes ${expected} argument${plural}, got ${args.length}`);
  }
  return builtIn.call(args, context);
}
