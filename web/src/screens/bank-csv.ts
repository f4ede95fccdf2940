/**
 * Reading a statement file in the browser, before it is sent: its text, its format, and for a CSV
 * the header row and first lines, with guesses of which column is which. The server parses the
 * file again (csv-parse both sides), so what the person maps is what the server reads.
 */
import { guessDelimiter, headerKey as key, headerSearchRows as headerSearch, knownHeaders, sniffFormat, type SniffedFormat } from '../../../src/domains/finance/banking/sniff.ts';

export type StatementFormat = SniffedFormat;

export const formatLabels: Record<StatementFormat, string> = {
  csv: 'CSV (spreadsheet export)',
  ofx: 'OFX / QFX (Quicken, Money)',
  camt053: 'CAMT.053 (ISO 20022 XML)',
};

/** The file's text: UTF-8, or Windows-1252 when it is not valid UTF-8 (older bank exports). */
export async function readStatementText(file: File): Promise<string> {
  const bytes = await file.arrayBuffer();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** The server's own rule (shared code): the extension first, then what the text starts with. */
export function guessFormat(fileName: string, text: string): StatementFormat {
  return sniffFormat(text, fileName);
}

export { guessDelimiter };

export interface CsvSheet {
  /** the header row's column names, as written (empty names left out) */
  header: string[];
  /** the first lines under the header, cells in header order */
  samples: string[][];
}

export const mappableFields = ['date', 'amount', 'debit', 'credit', 'description', 'reference', 'counterparty', 'id', 'currency'] as const;
export type MappableField = (typeof mappableFields)[number];

/** Looser patterns than the names the server recognises, for guesses the person confirms. */
const likelyHeaders: Record<MappableField, RegExp> = {
  date: /date|datum|fecha|booked|posted/,
  amount: /amount|betrag|importe|montant|sum/,
  debit: /debit|withdraw|paid out|money out|soll|outflow/,
  credit: /credit|deposit|paid in|money in|haben|inflow/,
  description: /descr|detail|memo|narrat|text|purpose|zweck/,
  reference: /ref/,
  counterparty: /name|payee|payer|beneficiar|counterpart|auftraggeber|empf/,
  id: /transaction id|fitid/,
  currency: /currenc|währung|waehrung|ccy/,
};
const knownNames = knownHeaders as Record<MappableField, readonly string[]>;

/**
 * The header row and the lines after it. Banks print account details above the header: the
 * header is the first row naming a date column, else the first of the widest rows.
 */
export async function readCsvSheet(text: string, delimiter: string): Promise<CsvSheet> {
  // Loaded only when a CSV is chosen: most visits to the app never need it.
  const { parse } = await import('csv-parse/browser/esm/sync');
  const rows = parse(text, { delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, trim: true, to_line: headerSearch + 10 });
  const searched = rows.slice(0, headerSearch);
  if (searched.length === 0) throw new Error('The file is empty.');
  const widest = Math.max(...searched.map((row) => row.filter((cell) => cell !== '').length));
  let index = searched.findIndex((row) => row.some((cell) => knownNames.date.includes(key(cell))));
  if (index === -1) index = searched.findIndex((row) => row.filter((cell) => cell !== '').length === widest);
  const headerRow = searched[index] ?? [];
  const kept = headerRow.map((name, i) => ({ name, i })).filter((c) => c.name !== '');
  const names = new Set<string>();
  const columns = kept.filter((c) => {
    if (names.has(key(c.name))) return false;
    names.add(key(c.name));
    return true;
  });
  return {
    header: columns.map((c) => c.name),
    samples: rows.slice(index + 1, index + 6).map((row) => columns.map((c) => row[c.i] ?? '')),
  };
}

/** Which column is which, from the header names: exact names the server knows first, then likely ones. */
export function guessMapping(header: string[]): Partial<Record<MappableField, string>> {
  const mapping: Partial<Record<MappableField, string>> = {};
  const used = new Set<string>();
  const take = (field: MappableField, test: (k: string) => boolean): void => {
    if (mapping[field] !== undefined) return;
    const found = header.find((name) => !used.has(name) && test(key(name)));
    if (found === undefined) return;
    mapping[field] = found;
    used.add(found);
  };
  for (const field of mappableFields) take(field, (k) => knownNames[field].includes(k));
  for (const field of mappableFields) take(field, (k) => likelyHeaders[field].test(k));
  // A file has either one signed amount, or money out and money in apart.
  if (mapping.amount !== undefined && (mapping.debit !== undefined || mapping.credit !== undefined)) {
    if (mapping.debit !== undefined && mapping.credit !== undefined) delete mapping.amount;
    else {
      delete mapping.debit;
      delete mapping.credit;
    }
  }
  return mapping;
}

export const dateFormats = ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD.MM.YYYY', 'DD-MM-YYYY', 'MM-DD-YYYY', 'YYYY/MM/DD', 'DD/MM/YY', 'MM/DD/YY', 'DD.MM.YY'] as const;

/** The date format the sample dates are written in; day and month told apart by a number over 12. */
export function guessDateFormat(dates: string[]): { format: string; sure: boolean } {
  const values = dates.map((d) => d.trim()).filter((d) => d !== '');
  const first = values[0];
  if (first === undefined) return { format: 'YYYY-MM-DD', sure: false };
  if (/^\d{4}-\d{1,2}-\d{1,2}/.test(first)) return { format: 'YYYY-MM-DD', sure: true };
  if (/^\d{4}\/\d{1,2}\/\d{1,2}/.test(first)) return { format: 'YYYY/MM/DD', sure: true };
  const parts = /^(\d{1,2})([./-])(\d{1,2})\2(\d{2}|\d{4})$/.exec(first);
  if (parts === null) return { format: 'YYYY-MM-DD', sure: false };
  const separator = parts[2] as string;
  const year = (parts[4] as string).length === 2 ? 'YY' : 'YYYY';
  if (separator === '.') return { format: `DD.MM.${year}`, sure: true };
  let dayFirst: boolean | null = null;
  for (const value of values) {
    const m = /^(\d{1,2})\D(\d{1,2})\D/.exec(value);
    if (m === null) continue;
    if (Number(m[1]) > 12) dayFirst = true;
    else if (Number(m[2]) > 12) dayFirst = false;
    if (dayFirst !== null) break;
  }
  const order = dayFirst === false ? ['MM', 'DD'] : ['DD', 'MM'];
  return { format: `${order.join(separator)}${separator}${year}`, sure: dayFirst !== null };
}

/** The number of decimals of a currency (2 for most, 0 for JPY). */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** "1200.5" → 120050n for 2 decimals; null when it is not a plain positive amount or has too many decimals. */
export function toMinor(text: string, digits: number): bigint | null {
  const match = /^(\d+)(?:[.,](\d*))?$/.exec(text.trim());
  if (match === null) return null;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return null;
  return BigInt(`${match[1] as string}${fraction.padEnd(digits, '0')}`);
}

/** 120050n → "1200.50" for 2 decimals. */
export function fromMinor(minor: bigint, digits: number): string {
  const negative = minor < 0n;
  const text = (negative ? -minor : minor).toString().padStart(digits + 1, '0');
  const plain = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return negative ? `-${plain}` : plain;
}
