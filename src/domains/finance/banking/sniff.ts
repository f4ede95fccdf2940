/**
 * What a statement file is, from its name and first lines: its format, a CSV's delimiter, and the
 * column names recognised without a mapping. Pure and import-free: the server's parsers and the
 * browser's import screen both use it, so what the screen guesses is what the server reads.
 */

export type SniffedFormat = 'csv' | 'ofx' | 'camt053';

/** The extension first (.ofx, .qfx, .xml), then what the text starts with; CSV otherwise. */
export function sniffFormat(content: string, fileName?: string): SniffedFormat {
  const extension = fileName?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  const head = content.slice(0, 4000);
  if (extension === 'ofx' || extension === 'qfx' || /^\s*(\ufeff)?OFXHEADER|<OFX>/i.test(head)) return 'ofx';
  if (extension === 'xml' || /camt\.053|<(\w+:)?BkToCstmrStmt[\s>]/.test(head)) return 'camt053';
  return 'csv';
}

/** The one of , ; tab | that the first lines use most, counted outside quotes. */
export function guessDelimiter(content: string): string {
  const sample = content.split(/\r?\n/).slice(0, 10).join('\n');
  let best = ',';
  let bestCount = 0;
  for (const candidate of [',', ';', '\t', '|']) {
    let count = 0;
    let quoted = false;
    for (const char of sample) {
      if (char === '"') quoted = !quoted;
      else if (!quoted && char === candidate) count += 1;
    }
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/** How column names are compared: case and runs of spaces do not count. */
export const headerKey = (name: string): string => name.trim().toLowerCase().replace(/\s+/g, ' ');

/** Column names recognised when no mapping names a field (as {@link headerKey} gives them). */
export const knownHeaders = {
  date: ['date', 'booking date', 'transaction date', 'posting date', 'posted', 'buchungstag', 'buchungsdatum', 'datum', 'fecha', 'date operation'],
  amount: ['amount', 'betrag', 'importe', 'montant', 'value'],
  debit: ['debit', 'withdrawal', 'withdrawals', 'paid out', 'money out', 'soll'],
  credit: ['credit', 'deposit', 'deposits', 'paid in', 'money in', 'haben'],
  description: ['description', 'details', 'memo', 'narrative', 'text', 'verwendungszweck', 'buchungstext', 'purpose'],
  reference: ['reference', 'ref', 'payment reference', 'referenz'],
  counterparty: ['counterparty', 'name', 'payee', 'payer', 'beneficiary', 'counterparty name', 'auftraggeber', 'empfänger', 'zahlungspflichtiger'],
  id: ['transaction id', 'id', 'fitid', 'bank id'],
  currency: ['currency', 'währung', 'waehrung', 'ccy'],
} as const satisfies Record<string, readonly string[]>;

/** How many rows from the top a header row is looked for in (account details some banks print first). */
export const headerSearchRows = 30;
