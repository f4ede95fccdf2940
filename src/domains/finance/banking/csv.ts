/**
 * CSV exports (csv-parse): one header row naming the columns, then one line per transaction.
 * Lines before the header (account details some banks print first) are passed over: the header
 * is the first row that has every mapped column. Without a mapping, common column names are
 * recognised (Date, Amount, Debit/Credit, Description, Reference, Name/Payee, ...).
 */
import { parse } from 'csv-parse/sync';
import { fileError, mappingFields, normalizeAccount, type CsvMapping, type MappingField, type ParsedStatement, type ParsedTransaction } from './types.ts';
import { currencyCode, isDateFormat, parseBankAmount, parseBankDate } from './values.ts';
import { guessDelimiter, headerKey as key, headerSearchRows as maxHeaderSearch, knownHeaders } from './sniff.ts';

export interface CsvOptions {
  account: string;
  /** the currency of every line, unless the mapping names a currency column */
  currency: string | null;
  mapping: CsvMapping;
}


export function parseCsvStatement(content: string, options: CsvOptions): ParsedStatement {
  const mapping = options.mapping;
  const dateFormat = mapping.dateFormat ?? 'YYYY-MM-DD';
  if (!isDateFormat(dateFormat)) throw fileError(null, `The date format "${dateFormat}" is not one OpsLoop reads: use letters YYYY (or YY), MM and DD with separators, e.g. DD/MM/YYYY`);
  const delimiter = mapping.delimiter ?? guessDelimiter(content);
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(content, { delimiter, bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const e = error as { message?: string; lines?: number };
    throw fileError(typeof e.lines === 'number' ? e.lines : null, `the CSV cannot be read: ${e.message ?? String(error)}`);
  }
  const header = findHeader(rows, mapping);
  const columns = header.columns;
  if (columns.amount === undefined && columns.debit === undefined && columns.credit === undefined) {
    throw fileError(header.line, 'the mapping needs an amount column, or debit and credit columns');
  }
  if (options.currency === null && columns.currency === undefined) {
    throw fileError(null, 'A CSV statement needs a currency: give one (e.g. "EUR") or map a currency column');
  }
  const account = normalizeAccount(options.account);
  const transactions: ParsedTransaction[] = [];
  for (const { record, info } of rows.slice(header.index + 1)) {
    if (record.every((cell) => cell === '')) continue;
    const line = info.lines;
    const cell = (field: MappingField): string => {
      const index = columns[field];
      return index === undefined ? '' : (record[index] ?? '');
    };
    const rawDate = cell('date');
    const date = parseBankDate(rawDate, dateFormat);
    if (date === null) throw fileError(line, rawDate === '' ? `the date (column "${header.names.date}") is empty` : `"${rawDate}" is not a date written ${dateFormat} (column "${header.names.date}")`);
    const rawCurrency = cell('currency');
    const currency = columns.currency === undefined || rawCurrency === '' ? options.currency : currencyCode(rawCurrency);
    if (currency === null) throw fileError(line, `"${rawCurrency}" is not a currency code (column "${header.names.currency}")`);
    const amountMinor = readAmount(line, currency, mapping.decimal, header.names, cell);
    transactions.push({
      account,
      date,
      amountMinor,
      currency,
      description: nonEmpty(cell('description')),
      reference: nonEmpty(cell('reference')),
      counterparty: nonEmpty(cell('counterparty')),
      bankId: nonEmpty(cell('id')),
      line,
    });
  }
  return { format: 'csv', accounts: [account], transactions, skipped: 0 };
}

function readAmount(line: number, currency: string, decimal: '.' | ',' | undefined, names: Partial<Record<MappingField, string>>, cell: (field: MappingField) => string): bigint {
  if (names.amount !== undefined) {
    const raw = cell('amount');
    const amount = parseBankAmount(raw, currency, decimal);
    if (amount === null) throw fileError(line, raw === '' ? `the amount (column "${names.amount}") is empty` : `"${raw}" is not an amount in ${currency} (column "${names.amount}")`);
    return amount;
  }
  const debitRaw = cell('debit');
  const creditRaw = cell('credit');
  if (debitRaw === '' && creditRaw === '') throw fileError(line, `neither debit (column "${names.debit ?? '-'}") nor credit (column "${names.credit ?? '-'}") has an amount`);
  let total = 0n;
  for (const [field, raw, sign] of [['debit', debitRaw, -1n], ['credit', creditRaw, 1n]] as const) {
    if (raw === '') continue;
    const value = parseBankAmount(raw, currency, decimal);
    if (value === null) throw fileError(line, `"${raw}" is not an amount in ${currency} (column "${names[field] ?? field}")`);
    // Some banks print debits as negative numbers in the debit column: the column decides the sign.
    total += sign * (value < 0n ? -value : value);
  }
  return total;
}

function nonEmpty(value: string): string | null {
  const trimmed = value.replace(/\s+/g, ' ').trim();
  return trimmed === '' ? null : trimmed;
}

interface Header {
  index: number;
  line: number;
  columns: Partial<Record<MappingField, number>>;
  names: Partial<Record<MappingField, string>>;
}

function findHeader(rows: { record: string[]; info: { lines: number } }[], mapping: CsvMapping): Header {
  const mapped = mappingFields.filter((field) => mapping[field] !== undefined);
  const searched = rows.slice(0, maxHeaderSearch);
  if (searched.length === 0) throw fileError(null, 'The CSV is empty');
  for (const [index, { record, info }] of searched.entries()) {
    const positions = new Map(record.map((cell, i) => [key(cell), i] as const));
    const columns: Partial<Record<MappingField, number>> = {};
    const names: Partial<Record<MappingField, string>> = {};
    let complete = true;
    for (const field of mapped) {
      const position = positions.get(key(mapping[field] as string));
      if (position === undefined) {
        complete = false;
        break;
      }
      columns[field] = position;
      names[field] = record[position] as string;
    }
    if (!complete) continue;
    // Fields the mapping leaves out are taken from well-known column names.
    for (const field of mappingFields) {
      if (columns[field] !== undefined) continue;
      const known = knownHeaders[field].find((name) => positions.has(name));
      if (known === undefined) continue;
      const position = positions.get(known) as number;
      if (Object.values(columns).includes(position)) continue;
      if ((field === 'debit' || field === 'credit') && columns.amount !== undefined) continue;
      if (field === 'amount' && (columns.debit !== undefined || columns.credit !== undefined)) continue;
      columns[field] = position;
      names[field] = record[position] as string;
    }
    if (columns.date === undefined) continue;
    if (mapped.length === 0 && columns.amount === undefined && columns.debit === undefined && columns.credit === undefined) continue;
    return { index, line: info.lines, columns, names };
  }
  const first = searched[0]?.record ?? [];
  const firstLine = searched[0]?.info.lines ?? 1;
  if (mapped.length === 0) {
    throw fileError(firstLine, `no header row with a date and an amount column was found (the first row has: ${first.join(', ')}); give a mapping such as date=Date,amount=Amount`);
  }
  // The row most like a header: the one with the most mapped columns.
  const scored = searched.map((row) => ({ row, found: mapped.filter((field) => row.record.some((cell) => key(cell) === key(mapping[field] as string))).length }));
  const best = scored.reduce((a, b) => (b.found > a.found ? b : a), scored[0] as (typeof scored)[number]);
  const header = best.row.record;
  const missing = mapped.filter((field) => !header.some((cell) => key(cell) === key(mapping[field] as string)));
  if (missing.length === 0) throw fileError(best.row.info.lines, `the header has no date column the mapping names or OpsLoop knows (it has: ${header.join(', ')}); map one: date=<column>`);
  const list = missing.map((field) => `"${mapping[field] as string}" (${field})`).join(', ');
  throw fileError(best.row.info.lines, `the mapped column${missing.length === 1 ? '' : 's'} ${list} ${missing.length === 1 ? 'is' : 'are'} not in the CSV header (it has: ${header.join(', ')})`);
}
