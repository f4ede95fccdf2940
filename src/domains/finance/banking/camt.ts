/**
 * CAMT.053 (ISO 20022 bank-to-customer statement) with fast-xml-parser. Read per Stmt: the
 * account (IBAN or other id) and per Ntry the amount (Amt@Ccy), CdtDbtInd, the booking date, the
 * bank's reference (AcctSvcrRef, else NtryRef), the remittance text (RmtInf/Ustrd), a structured
 * creditor reference and the other party's name (RltdPties). An entry that books several
 * transactions at once (a batch, several TxDtls with their own amounts) becomes one transaction
 * per TxDtls. Pending entries (Sts PDNG) are left out: the bank books them later.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { fileError, lineFinder, normalizeAccount, type ParsedStatement, type ParsedTransaction } from './types.ts';
import { currencyCode, parseBankAmount } from './values.ts';

export interface CamtOptions {
  account: string | null;
}

type Node = Record<string, unknown>;

const arrays = new Set(['Stmt', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd', 'Strd']);

export function parseCamt053Statement(content: string, options: CamtOptions): ParsedStatement {
  const valid = XMLValidator.validate(content);
  if (valid !== true) throw fileError(valid.err.line, `the XML is not well-formed: ${valid.err.msg}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    isArray: (name) => arrays.has(name),
  });
  const root = parser.parse(content) as Node;
  const document = (root.Document ?? root) as Node;
  const statementRoot = obj(document.BkToCstmrStmt);
  if (statementRoot === null) throw fileError(null, 'This is not a CAMT.053 statement: it has no Document/BkToCstmrStmt');
  const statements = list(statementRoot.Stmt);
  if (statements.length === 0) throw fileError(null, 'The CAMT.053 file has no statement (Stmt)');
  // fast-xml-parser keeps no positions: entries are found in the text in the same order.
  const lineOf = lineFinder(content);
  const entryLines = [...content.matchAll(/<(?:[\w.-]+:)?Ntry[\s>]/g)].map((m) => lineOf(m.index));
  let entryIndex = 0;
  const accounts: string[] = [];
  const transactions: ParsedTransaction[] = [];
  let skipped = 0;
  for (const [s, statement] of statements.entries()) {
    const acct = obj(statement.Acct);
    const id = obj(acct?.Id);
    const fileAccount = text(id?.IBAN) ?? text(obj(id?.Othr)?.Id);
    const account = fileAccount ?? options.account;
    if (account === null) throw fileError(null, `statement ${s + 1} names no account (Acct/Id): give the account`);
    const normalized = normalizeAccount(account);
    if (!accounts.includes(normalized)) accounts.push(normalized);
    const accountCurrency = text(acct?.Ccy);
    for (const entry of list(statement.Ntry)) {
      const line = entryLines[entryIndex] ?? null;
      entryIndex += 1;
      const status = text(entry.Sts) ?? text(obj(entry.Sts)?.Cd);
      if (status === 'PDNG' || status === 'INFO') {
        skipped += 1;
        continue;
      }
      const amountNode = entry.Amt;
      const rawAmount = typeof amountNode === 'object' && amountNode !== null ? text((amountNode as Node)['#text']) : text(amountNode);
      const rawCurrency = typeof amountNode === 'object' && amountNode !== null ? text((amountNode as Node)['@Ccy']) : null;
      const currency = currencyCode(rawCurrency ?? accountCurrency);
      if (currency === null) throw fileError(line, `the entry's currency "${rawCurrency ?? accountCurrency ?? ''}" is not a currency code (Amt@Ccy)`);
      if (rawAmount === null) throw fileError(line, 'the entry has no amount (Amt)');
      const amount = parseBankAmount(rawAmount, currency, '.');
      if (amount === null || amount < 0n) throw fileError(line, `"${rawAmount}" is not an amount in ${currency} (Amt)`);
      const indicator = text(entry.CdtDbtInd);
      if (indicator !== 'CRDT' && indicator !== 'DBIT') throw fileError(line, `CdtDbtInd is "${indicator ?? ''}"; it must be CRDT or DBIT`);
      const sign = indicator === 'CRDT' ? 1n : -1n;
      const date = isoDate(obj(entry.BookgDt)) ?? isoDate(obj(entry.ValDt));
      if (date === null) throw fileError(line, 'the entry has no booking date (BookgDt/Dt)');
      const entryRef = text(entry.AcctSvcrRef) ?? text(entry.NtryRef);
      const details = list(entry.NtryDtls).flatMap((d) => list(d.TxDtls));
      const split = details.length > 1 && details.every((d) => detailAmount(d) !== null);
      const parts = split ? details : [null];
      for (const [i, detail] of parts.entries()) {
        const all = detail === null ? details : [detail];
        let amountMinor = sign * amount;
        if (detail !== null) {
          const partAmount = parseBankAmount(detailAmount(detail) as string, currency, '.');
          if (partAmount === null) throw fileError(line, `"${detailAmount(detail) ?? ''}" is not an amount in ${currency} (TxDtls ${i + 1})`);
          amountMinor = sign * partAmount;
        }
        const remittance = all.flatMap((d) => list(obj(d.RmtInf)?.Ustrd).map(text)).filter((t): t is string => t !== null);
        const description = remittance.length > 0 ? remittance.join(' ') : (all.map((d) => text(d.AddtlTxInf)).find((t) => t !== null) ?? text(entry.AddtlNtryInf));
        const creditorRef = all.flatMap((d) => list(obj(d.RmtInf)?.Strd)).map((s) => text(obj(obj(s.CdtrRefInf))?.Ref)).find((t) => t !== null) ?? null;
        const endToEnd = all.map((d) => text(obj(d.Refs)?.EndToEndId)).find((t) => t !== null && t !== 'NOTPROVIDED') ?? null;
        const detailRef = detail === null ? null : (text(obj(detail.Refs)?.AcctSvcrRef) ?? (entryRef === null ? null : `${entryRef}/${i + 1}`));
        transactions.push({
          account: normalized,
          date,
          amountMinor,
          currency,
          description,
          reference: creditorRef ?? endToEnd,
          counterparty: all.map((d) => partyName(obj(d.RltdPties), indicator)).find((t) => t !== null) ?? null,
          bankId: detail === null ? entryRef : detailRef,
          line: line ?? 0,
        });
      }
    }
  }
  return { format: 'camt053', accounts, transactions, skipped };
}

/** Money in: the debtor paid us; money out: the creditor was paid. Names sit in Dbtr/Nm (or Dbtr/Pty/Nm in newer versions). */
function partyName(parties: Node | null, indicator: 'CRDT' | 'DBIT'): string | null {
  if (parties === null) return null;
  const party = obj(indicator === 'CRDT' ? parties.Dbtr : parties.Cdtr);
  return text(party?.Nm) ?? text(obj(party?.Pty)?.Nm);
}

function detailAmount(detail: Node): string | null {
  const amount = obj(detail.AmtDtls);
  const candidates = [obj(amount?.TxAmt)?.Amt, obj(amount?.InstdAmt)?.Amt, detail.Amt];
  for (const candidate of candidates) {
    const value = typeof candidate === 'object' && candidate !== null ? text((candidate as Node)['#text']) : text(candidate);
    if (value !== null) return value;
  }
  return null;
}

function isoDate(node: Node | null): string | null {
  const value = text(node?.Dt) ?? text(node?.DtTm);
  if (value === null) return null;
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(value);
  return match === null ? null : (match[1] as string);
}

function obj(value: unknown): Node | null {
  if (Array.isArray(value)) return obj(value[0]);
  return typeof value === 'object' && value !== null ? (value as Node) : null;
}

function list(value: unknown): Node[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => (typeof item === 'object' && item !== null ? (item as Node) : { '#text': item }));
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object' && value !== null && '#text' in value) return text((value as Node)['#text']);
  return null;
}
