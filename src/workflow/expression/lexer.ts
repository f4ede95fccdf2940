/**
 * Splits expression source into tokens.
 *
 *   number      digits ("." digits)? (("e" | "E") ("+" | "-")? digits)?     e.g. 12, 0.5, 1e-3
 *   string      '…' or "…" with escapes \\ \' \" \n \r \t \b \f \v \0 \/ \uXXXX
 *   name        [A-Za-z_$][A-Za-z0-9_$]*   (keywords are names the parser treats specially)
 *   punctuator  === !== == != <= >= && || ?? ?. ( ) [ ] { } , . : ? + - * / % < > !
 *
 * Whitespace separates tokens. A single "=", "&" or "|" is rejected with a hint, because it is
 * almost always a mistyped "==", "&&" or "||".
 */
import { syntaxError } from './diagnostics.ts';

export type Token =
  | { readonly kind: 'number'; readonly value: number; readonly text: string; readonly position: number }
  | { readonly kind: 'string'; readonly value: string; readonly text: string; readonly position: number }
  | { readonly kind: 'name'; readonly value: string; readonly text: string; readonly position: number }
  | { readonly kind: 'punct'; readonly value: string; readonly text: string; readonly position: number }
  | { readonly kind: 'end'; readonly value: ''; readonly text: ''; readonly position: number };

const punctuators = [
  '===', '!==',
  '==', '!=', '<=', '>=', '&&', '||', '??', '?.',
  '(', ')', '[', ']', '{', '}', ',', '.', ':', '?', '+', '-', '*', '/', '%', '<', '>', '!',
] as const;

const mistypedOperators: Readonly<Record<string, string>> = {
  '=': 'use "==" to compare; assignment is not supported',
  '&': 'use "&&" or "and"',
  '|': 'use "||" or "or"',
};

const simpleEscapes: Readonly<Record<string, string>> = {
  '\\': '\\', "'": "'", '"': '"', '/': '/', n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '0': '\0',
};

const numberPattern = /[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const namePattern = /[A-Za-z_$][A-Za-z0-9_$]*/y;
const nameStart = /[A-Za-z_$]/;
const whitespace = /\s/;

/** Tokens of `source`, ending with one `end` token. Throws `EXPRESSION_INVALID`. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source.charAt(i);
    if (whitespace.test(ch)) {
      i += 1;
      continue;
    }
    if (ch >= '0' && ch <= '9') {
      numberPattern.lastIndex = i;
      const text = numberPattern.exec(source)?.[0] ?? ch;
      const next = source.charAt(i + text.length);
      if (nameStart.test(next) || (next >= '0' && next <= '9')) {
        throw syntaxError(source, i + text.length, `Unexpected character "${next}" after number ${text}`);
      }
      const value = Number(text);
      if (!Number.isFinite(value)) throw syntaxError(source, i, `Number ${text} is too large`);
      tokens.push({ kind: 'number', value, text, position: i });
      i += text.length;
      continue;
    }
    if (nameStart.test(ch)) {
      namePattern.lastIndex = i;
      const text = namePattern.exec(source)?.[0] ?? ch;
      tokens.push({ kind: 'name', value: text, text, position: i });
      i += text.length;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const token = readString(source, i);
      tokens.push(token);
      i += token.text.length;
      continue;
    }
    const punct = punctuators.find((p) => source.startsWith(p, i));
    if (punct !== undefined) {
      tokens.push({ kind: 'punct', value: punct, text: punct, position: i });
      i += punct.length;
      continue;
    }
    const hint = mistypedOperators[ch];
    throw syntaxError(source, i, `Unexpected character ${JSON.stringify(ch)}`, hint === undefined ? '' : `: ${hint}`);
  }
  tokens.push({ kind: 'end', value: '', text: '', position: source.length });
  return tokens;
}

function readString(source: string, start: number): Token {
  const quote = source.charAt(start);
  let value = '';
  let i = start + 1;
  while (i < source.length) {
    const ch = source.charAt(i);
    if (ch === quote) {
      return { kind: 'string', value, text: source.slice(start, i + 1), position: start };
    }
    if (ch !== '\\') {
      value += ch;
      i += 1;
      continue;
    }
    const escape = source.charAt(i + 1);
    const simple = simpleEscapes[escape];
    if (simple !== undefined) {
      value += simple;
      i += 2;
    } else if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(i + 2, i + 6))) {
      value += String.fromCharCode(Number.parseInt(source.slice(i + 2, i + 6), 16));
      i += 6;
    } else if (escape === '') {
      break;
    } else {
      throw syntaxError(source, i, `Unknown escape "\\${escape}" in string`);
    }
  }
  throw syntaxError(source, source.length, `Expected closing ${quote} for the string started at position ${start}`);
}
