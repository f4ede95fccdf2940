/**
 * Smoke evaluation on invoice2data's regression invoices (plain text from `pdftotext -layout`):
 * per-key exact match after normalisation (numbers as floats, dates ISO, strings with collapsed
 * whitespace, case-insensitive) on the keys each invoice has.
 */
import { readFileSync } from 'node:fs';
import { ValidationError } from '../../core/errors.ts';
import { collapseSpaces } from './text.ts';
import type { FieldName, ReadResult } from './types.ts';
import { linesFromText } from './validate.ts';
import type { OcrLine } from './types.ts';

export interface InvoiceExample {
  id: string;
  text: string;
  fields: Record<string, unknown>;
}

export function loadInvoice2dataJsonl(path: string): InvoiceExample[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const record = JSON.parse(line) as Partial<InvoiceExample>;
      if (typeof record.text !== 'string' || typeof record.fields !== 'object' || record.fields === null) {
        throw new ValidationError('READ_DATASET_INVALID', `${path}:${i + 1} is not an invoice2data record (needs text and fields).`);
      }
      return { id: String(record.id ?? `line-${i + 1}`), text: record.text, fields: record.fields };
    });
}

/** invoice2data key → READ field and how values compare. */
const KEYS: [string, FieldName, 'number' | 'date' | 'text'][] = [
  ['issuer', 'vendor', 'text'],
  ['amount', 'total', 'number'],
  ['amount_untaxed', 'subtotal', 'number'],
  ['amount_tax', 'tax', 'number'],
  ['date', 'issueDate', 'date'],
  ['date_due', 'dueDate', 'date'],
  ['invoice_number', 'documentNumber', 'text'],
  ['currency', 'currency', 'text'],
];

export interface InvoiceEvaluation {
  n: number;
  /** Per key: how many invoices have it and how many were read right. */
  keys: Record<string, { expected: number; correct: number }>;
  accuracy: number;
  documents: { id: string; results: Record<string, { expected: unknown; predicted: string | null; confidence: number; correct: boolean }> }[];
}

function matches(kind: 'number' | 'date' | 'text', expected: unknown, result: ReadResult, field: FieldName): boolean {
  const value = result.fields[field];
  if (value.value === null) return false;
  if (kind === 'number') return value.minor != null && Math.abs(value.minor / 100 - Number(expected)) < 0.005;
  if (kind === 'date') return value.normalized === String(expected);
  return collapseSpaces(value.value).toLowerCase() === collapseSpaces(String(expected)).toLowerCase();
}

export function evaluateInvoices(predict: (lines: OcrLine[]) => ReadResult, examples: readonly InvoiceExample[]): InvoiceEvaluation {
  const keys: InvoiceEvaluation['keys'] = {};
  const documents: InvoiceEvaluation['documents'] = [];
  let expected = 0;
  let correct = 0;
  for (const example of examples) {
    const result = predict(linesFromText(example.text));
    const results: InvoiceEvaluation['documents'][number]['results'] = {};
    for (const [key, field, kind] of KEYS) {
      if (example.fields[key] === undefined) continue;
      const ok = matches(kind, example.fields[key], result, field);
      const entry = (keys[key] ??= { expected: 0, correct: 0 });
      entry.expected++;
      expected++;
      if (ok) {
        entry.correct++;
        correct++;
      }
      results[key] = { expected: example.fields[key], predicted: result.fields[field].value, confidence: result.fields[field].confidence, correct: ok };
    }
    documents.push({ id: example.id, results });
  }
  return { n: examples.length, keys, accuracy: expected === 0 ? 0 : Math.round((correct / expected) * 10000) / 10000, documents };
}
