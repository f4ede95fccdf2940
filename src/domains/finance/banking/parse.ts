/** One entry to the three parsers: guesses the format when not given, checks the account. */
import { ValidationError } from '../../../core/errors.ts';
import { parseCamt053Statement } from './camt.ts';
import { parseCsvStatement } from './csv.ts';
import { parseOfxStatement } from './ofx.ts';
import { fileError, normalizeAccount, statementFormats, StatementFormat, type CsvMapping, type ParsedStatement } from './types.ts';
import { currencyCode } from './values.ts';
import { sniffFormat } from './sniff.ts';

export interface ParseOptions {
  /** csv, ofx or camt053; guessed from the file name and content when absent */
  format?: string;
  /** the file's name, for guessing the format */
  fileName?: string;
  /** the account the statement belongs to; needed when the file names none (CSV) */
  account?: string;
  /** the currency of a CSV without a currency column; used too when an OFX names none */
  currency?: string;
  mapping?: CsvMapping;
}

/** The format of a statement: from the file's extension, else its content. */
export function guessFormat(content: string, fileName?: string): StatementFormat {
  return sniffFormat(content, fileName);
}

/** Parses a statement's text. A bad file throws BANK_STATEMENT_INVALID naming the problem and its line. */
export function parseStatement(content: string, options: ParseOptions = {}): ParsedStatement {
  if (options.format !== undefined && !(statementFormats as string[]).includes(options.format)) {
    throw new ValidationError('BANK_FORMAT_UNKNOWN', `Unknown statement format "${options.format}": use ${statementFormats.join(', ')}`, { details: { path: 'format' } });
  }
  if (content.trim() === '') throw fileError(null, 'The statement is empty');
  const currency = options.currency === undefined ? null : currencyCode(options.currency);
  if (options.currency !== undefined && currency === null) {
    throw new ValidationError('BANK_STATEMENT_INVALID', `"${options.currency}" is not an ISO 4217 currency code`, { details: { path: 'currency' } });
  }
  const given = options.account === undefined ? null : normalizeAccount(options.account);
  if (given === '') throw new ValidationError('BANK_STATEMENT_INVALID', `"${options.account ?? ''}" is not an account id`, { details: { path: 'account' } });
  const format = (options.format as StatementFormat | undefined) ?? guessFormat(content, options.fileName);
  let parsed: ParsedStatement;
  switch (format) {
    case StatementFormat.csv:
      if (given === null) throw new ValidationError('BANK_ACCOUNT_REQUIRED', 'A CSV statement does not name its account: give the account (e.g. its IBAN)', { details: { path: 'account' } });
      parsed = parseCsvStatement(content, { account: given, currency, mapping: options.mapping ?? {} });
      break;
    case StatementFormat.ofx:
      parsed = parseOfxStatement(content, { account: given, currency });
      break;
    case StatementFormat.camt053:
      parsed = parseCamt053Statement(content, { account: given });
      break;
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
  if (given !== null && parsed.accounts.some((account) => account !== given)) {
    throw new ValidationError('BANK_ACCOUNT_MISMATCH', `The statement is for account ${parsed.accounts.join(', ')}, not ${given}`, { details: { path: 'account' } });
  }
  return parsed;
}
