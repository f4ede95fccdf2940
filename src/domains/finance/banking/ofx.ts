/**
 * OFX statements, read by hand: OFX 1.x is SGML (elements have no closing tags, aggregates do)
 * and OFX 2.x is XML. Both are read the same way: aggregates (<STMTRS>…</STMTRS>,
 * <STMTTRN>…</STMTTRN>) by their closing tags, elements as the text after their opening tag.
 * Bank (STMTRS) and credit-card (CCSTMTRS) statements are read; several in one file too.
 */
import { fileError, lineFinder, normalizeAccount, type ParsedStatement, type ParsedTransaction } from './types.ts';
import { calendarDate, currencyCode, parseBankAmount } from './values.ts';

export interface OfxOptions {
  /** used when the file names no account */
  account: string | null;
  /** used when the file names no currency */
  currency: string | null;
}

interface Block {
  body: string;
  /** offset of the body in the file */
  at: number;
}

export function parseOfxStatement(content: string, options: OfxOptions): ParsedStatement {
  if (!/<OFX>/i.test(content)) throw fileError(null, 'This is not an OFX file: it has no <OFX> element');
  const lineOf = lineFinder(content);
  const statements = blocks(content, 'STMTRS', 0).concat(blocks(content, 'CCSTMTRS', 0));
  // A file with transactions outside any statement aggregate is read as one statement.
  const scopes = statements.length > 0 ? statements : [{ body: content, at: 0 }];
  const accounts: string[] = [];
  const transactions: ParsedTransaction[] = [];
  for (const scope of scopes) {
    const fileAccount = element(scope.body, 'ACCTID');
    const account = fileAccount ?? options.account;
    if (account === null) throw fileError(lineOf(scope.at), 'the statement names no account (ACCTID): give the account');
    const normalized = normalizeAccount(account);
    if (normalized === '') throw fileError(lineOf(scope.at), `"${account}" is not an account id`);
    const rawCurrency = element(scope.body, 'CURDEF');
    const currency = rawCurrency === null ? options.currency : currencyCode(rawCurrency);
    if (currency === null) throw fileError(lineOf(scope.at), rawCurrency === null ? 'the statement names no currency (CURDEF): give the currency' : `"${rawCurrency}" is not a currency code (CURDEF)`);
    if (!accounts.includes(normalized)) accounts.push(normalized);
    for (const trn of blocks(scope.body, 'STMTTRN', scope.at)) {
      const line = lineOf(trn.at);
      const rawDate = element(trn.body, 'DTPOSTED');
      if (rawDate === null) throw fileError(line, 'the transaction has no DTPOSTED');
      const date = ofxDate(rawDate);
      if (date === null) throw fileError(line, `DTPOSTED "${rawDate}" is not an OFX date (YYYYMMDD…)`);
      const rawAmount = element(trn.body, 'TRNAMT');
      if (rawAmount === null) throw fileError(line, 'the transaction has no TRNAMT');
      const amountMinor = parseBankAmount(rawAmount, currency);
      if (amountMinor === null) throw fileError(line, `TRNAMT "${rawAmount}" is not an amount in ${currency}`);
      // NAME is the counterparty (also inside a PAYEE aggregate); MEMO the free text.
      const name = element(trn.body, 'NAME');
      const memo = element(trn.body, 'MEMO');
      transactions.push({
        account: normalized,
        date,
        amountMinor,
        currency,
        description: memo,
        reference: element(trn.body, 'REFNUM') ?? element(trn.body, 'CHECKNUM'),
        counterparty: name,
        bankId: element(trn.body, 'FITID'),
        line,
      });
    }
  }
  if (transactions.length === 0 && !/<STMTTRN>/i.test(content) && !/<BANKTRANLIST>/i.test(content)) {
    throw fileError(null, 'The OFX file has no statement transactions (STMTTRN)');
  }
  return { format: 'ofx', accounts, transactions, skipped: 0 };
}

/** Each <TAG>…</TAG> aggregate in `text`, with the offset of its body (`base` + position). */
function blocks(text: string, tag: string, base: number): Block[] {
  const found: Block[] = [];
  const pattern = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'gi');
  for (const match of text.matchAll(pattern)) found.push({ body: match[1] ?? '', at: base + match.index + tag.length + 2 });
  return found;
}

/** The text of the first <TAG> element (SGML: up to the next tag or line end; XML: up to its closing tag). */
function element(text: string, tag: string): string | null {
  const match = new RegExp(`<${tag}>([^<\\r\\n]*)`, 'i').exec(text);
  if (match === null) return null;
  const value = decodeEntities((match[1] ?? '').trim());
  return value === '' ? null : value;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (_, entity: string) => {
    const lower = entity.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(Number(lower.slice(1)));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' } as Record<string, string>)[lower] ?? '';
  });
}

/** OFX dates are YYYYMMDD, optionally followed by a time and a zone ("20260105120000.000[-5:EST]"): the day is kept. */
function ofxDate(raw: string): string | null {
  const match = /^(\d{4})(\d{2})(\d{2})(?:\d{0,6}(?:\.\d{1,3})?)?(?:\[[^\]]*\])?$/.exec(raw.trim());
  if (match === null) return null;
  return calendarDate(Number(match[1]), Number(match[2]), Number(match[3]));
}
