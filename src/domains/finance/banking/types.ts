/** Shapes shared by the statement parsers, the store and reconciliation. */
import { ValidationError } from '../../../core/errors.ts';

export const StatementFormat = { csv: 'csv', ofx: 'ofx', camt053: 'camt053' } as const;
export type StatementFormat = (typeof StatementFormat)[keyof typeof StatementFormat];
export const statementFormats = Object.values(StatementFormat);

/** One booked line of a statement, as the parser read it (before fingerprinting). */
export interface ParsedTransaction {
  /** the account it was booked on (normalised: no spaces, upper case) */
  account: string;
  /** booking date, YYYY-MM-DD */
  date: string;
  /** signed, in minor units: money in is positive */
  amountMinor: bigint;
  currency: string;
  description: string | null;
  reference: string | null;
  counterparty: string | null;
  /** the bank's own id for the line (OFX FITID, CAMT AcctSvcrRef/NtryRef, a CSV id column) */
  bankId: string | null;
  /** where it is in the file, for messages */
  line: number;
}

export interface ParsedStatement {
  format: StatementFormat;
  /** the accounts the file speaks of (one for most files) */
  accounts: string[];
  transactions: ParsedTransaction[];
  /** lines the parser left out on purpose (e.g. CAMT entries still pending) */
  skipped: number;
}

/**
 * How a CSV export maps onto transactions: the header names of its columns, and how its dates and
 * numbers are written. Either `amount` (signed) or `debit`/`credit` columns are needed.
 */
export interface CsvMapping {
  date?: string;
  amount?: string;
  debit?: string;
  credit?: string;
  description?: string;
  reference?: string;
  counterparty?: string;
  /** the bank's id of the line, when the export has one */
  id?: string;
  /** a column with each line's currency */
  currency?: string;
  /** e.g. YYYY-MM-DD (default), DD/MM/YYYY, MM/DD/YYYY, DD.MM.YYYY */
  dateFormat?: string;
  /** the decimal mark; default: read from each number ("1.234,56" and "1,234.56" both work) */
  decimal?: '.' | ',';
  /** default: the one of , ; tab | that the first lines use most */
  delimiter?: string;
}

export const mappingFields = ['date', 'amount', 'debit', 'credit', 'description', 'reference', 'counterparty', 'id', 'currency'] as const;
export type MappingField = (typeof mappingFields)[number];

/** A problem with the file, naming the line: nothing is imported. */
export function fileError(line: number | null, message: string, details: Record<string, unknown> = {}): ValidationError {
  return new ValidationError('BANK_STATEMENT_INVALID', line === null ? message : `Line ${line}: ${message}`, { details: { ...details, ...(line === null ? {} : { line }) } });
}

/** The account id as stored and compared: "DE89 3704 0044" and "de8937040044" are the same. */
export function normalizeAccount(account: string): string {
  return account.toUpperCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** Line numbers of character offsets in `text` (1-based), for messages. */
export function lineFinder(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}
