/**
 * FLAG: finds what looks wrong in a business document, given the earlier documents of the business
 * (its history). Offline, deterministic, no I/O: the same input always gives the same result.
 *
 * | code                 | severity          | when                                                   |
 * |----------------------|-------------------|--------------------------------------------------------|
 * | TOTALS_MISMATCH      | warning           | lines, subtotal, tax and total do not add up           |
 * | LINES_MISMATCH       | warning           | a line's amount is not quantity × unit price (+ tax)   |
 * | DUPLICATE            | critical/warning  | same file, same number, or same amount and description |
 * | UNUSUAL_AMOUNT       | warning/info      | far from the counterparty's median (modified z-score)  |
 * | NEW_COUNTERPARTY     | info/warning      | no earlier document with them (warning: name reused)   |
 * | BANK_DETAILS_CHANGED | critical          | a known vendor's bank account is new                   |
 * | DATES_OUT_OF_ORDER   | warning           | due date before issue date                             |
 * | DATE_IN_FUTURE       | warning           | issued more than `futureDays` after today              |
 * | DATE_TOO_OLD         | warning           | issued more than two years before today                |
 * | CURRENCY_CHANGED     | info              | not the counterparty's usual currency                  |
 * | ROUND_AMOUNT         | info              | a vendor's first round total (multiple of 1,000)       |
 *
 * The rules of each check are in its file (check-*.ts). Counterparties are the same when their tax
 * ids match or, without a tax id on both, their names do once case, punctuation and legal forms
 * are ignored ("Acme Ltd." = "ACME LIMITED"). History documents dated after the document, and
 * the document itself (same id), do not count as its past.
 *
 * ### Example
 * ```ts
 * const result = flagDocument(bill, earlierBills, { today: '2026-03-15' });
 * if (result.anomalies.some((a) => a.severity === 'critical')) holdPayment(result);
 * ```
 */
import { checkRoundAmount, checkUnusualAmount } from './check-amount.ts';
import { checkBankDetails, checkCurrency, checkNewCounterparty } from './check-counterparty.ts';
import { checkDates } from './check-dates.ts';
import { checkDuplicates } from './check-duplicates.ts';
import { checkLines, checkTotals } from './check-totals.ts';
import { buildContext } from './context.ts';
import { roundScore } from './format.ts';
import { parseDocument, parseHistory, parseOptions } from './input.ts';
import { AnomalyCode } from './types.ts';
import type { Anomaly, FlagDocument, FlagOptions, FlagResult } from './types.ts';

export { AnomalyCode, Direction, DocumentKind, Severity } from './types.ts';
export type { Anomaly, FlagCounterparty, FlagDocument, FlagLine, FlagOptions, FlagResult } from './types.ts';
export { FLAG_INPUT_INVALID } from './input.ts';
export { normalizeBankAccount, normalizeCounterpartyName, normalizeTaxId } from './normalize.ts';

const SEVERITY_RANK = { critical: 0, warning: 1, info: 2 } as const;
const CODE_ORDER: readonly AnomalyCode[] = Object.values(AnomalyCode);

/**
 * Checks `doc` against itself and against `history` (the business's other documents, any
 * counterparty, any order). Throws a ValidationError `FLAG_INPUT_INVALID` with `details.path`
 * (e.g. `doc.total`, `history[3].currency`, `options.today`) when the input does not validate.
 * Without `options.today` the future and too-old date checks are skipped.
 */
export function flagDocument(doc: FlagDocument, history: FlagDocument[], options?: FlagOptions): FlagResult {
  const context = buildContext(parseDocument(doc, 'doc', null), parseHistory(history), parseOptions(options));
  const checked = new Set<AnomalyCode>();
  const anomalies: Anomaly[] = [];
  const record = (code: AnomalyCode, outcome: { checked: boolean; anomaly: Anomaly | null }): void => {
    if (outcome.checked) checked.add(code);
    if (outcome.anomaly !== null) anomalies.push(outcome.anomaly);
  };

  record('TOTALS_MISMATCH', checkTotals(context));
  record('LINES_MISMATCH', checkLines(context));
  record('DUPLICATE', { checked: true, anomaly: checkDuplicates(context) });
  record('UNUSUAL_AMOUNT', checkUnusualAmount(context));
  record('NEW_COUNTERPARTY', { checked: true, anomaly: checkNewCounterparty(context) });
  record('BANK_DETAILS_CHANGED', checkBankDetails(context));
  const dates = checkDates(context);
  for (const code of dates.checked) checked.add(code);
  anomalies.push(...dates.anomalies);
  record('CURRENCY_CHANGED', checkCurrency(context));
  record('ROUND_AMOUNT', checkRoundAmount(context));

  anomalies.sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      b.score - a.score ||
      CODE_ORDER.indexOf(a.code) - CODE_ORDER.indexOf(b.code),
  );
  const worst = Math.max(0, ...anomalies.filter((a) => a.severity !== 'info').map((a) => a.score));
  return {
    anomalies,
    confidence: roundScore(1 - worst),
    checked: CODE_ORDER.filter((code) => checked.has(code)),
  };
}
