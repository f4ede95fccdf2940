/**
 * What the history says about the counterparty itself.
 *
 * - NEW_COUNTERPARTY (info): no earlier document with them. Raised to a warning when a known
 *   counterparty has the same normalised name but another tax id: someone may be using their name.
 * - BANK_DETAILS_CHANGED (critical, incoming only): the account differs from every account on
 *   their earlier incoming documents. The classic payment-diversion fraud; an account seen before
 *   (a vendor with two accounts, or one switching back) is not flagged.
 * - CURRENCY_CHANGED (info): not the currency most of their earlier documents were in.
 */
import { refEvidence, sameCounterparty } from './context.ts';
import type { FlagContext } from './context.ts';
import { beforeActing, count, kindNoun } from './format.ts';
import type { ParsedDocument } from './input.ts';
import type { Anomaly } from './types.ts';

/** Latest first: by issue date, then by position in the history. */
function latestFirst(a: ParsedDocument, b: ParsedDocument): number {
  return (b.issueDay ?? -Infinity) - (a.issueDay ?? -Infinity) || (b.historyIndex ?? 0) - (a.historyIndex ?? 0);
}

export function checkNewCounterparty(context: FlagContext): Anomaly | null {
  const { doc } = context;
  if (context.counterpartyPrior.length > 0) return null;
  const name = doc.source.counterparty.name;
  const role = doc.role;
  const lookalikes = context.prior.filter((entry) => entry.name === doc.name && !sameCounterparty(doc, entry));
  const evidence = {
    name,
    normalizedName: doc.name,
    taxId: doc.source.counterparty.taxId ?? null,
    matchedOn: doc.taxId === null ? 'name' : 'taxId',
    lookalikes: lookalikes.map((entry) => ({ ...refEvidence(entry), name: entry.source.counterparty.name, taxId: entry.source.counterparty.taxId ?? null })),
  };
  const [lookalike] = [...lookalikes].sort(latestFirst);
  if (lookalike !== undefined) {
    return {
      code: 'NEW_COUNTERPARTY',
      severity: 'warning',
      message:
        `No earlier document has tax id ${doc.source.counterparty.taxId ?? ''}, but ${lookalike.source.counterparty.name} ` +
        `with tax id ${lookalike.source.counterparty.taxId ?? ''} is a known ${role}. ` +
        `Check that this ${kindNoun(doc)} really is ${doc.direction === 'incoming' ? 'from' : 'for'} them ${beforeActing(doc)}.`,
      evidence,
      score: 0.7,
    };
  }
  const advice =
    doc.direction === 'incoming'
      ? `Check that the vendor is genuine and that you ordered what this ${kindNoun(doc)} is for before paying.`
      : 'Check their name, tax id and contact details before sending.';
  return {
    code: 'NEW_COUNTERPARTY',
    severity: 'info',
    message: `${name} is a new ${role}: there is no earlier document with them. ${advice}`,
    evidence,
    score: 1,
  };
}

export function checkBankDetails(context: FlagContext): { checked: boolean; anomaly: Anomaly | null } {
  const { doc } = context;
  if (doc.direction !== 'incoming' || doc.bankAccount === null) return { checked: false, anomaly: null };
  const previous = context.counterpartyPrior
    .filter((entry) => entry.direction === 'incoming' && entry.bankAccount !== null)
    .sort(latestFirst);
  if (previous.length === 0) return { checked: false, anomaly: null };
  if (previous.some((entry) => entry.bankAccount === doc.bankAccount)) return { checked: true, anomaly: null };

  const printed = new Map<string, string>();
  for (const entry of previous) {
    if (!printed.has(entry.bankAccount ?? '')) printed.set(entry.bankAccount ?? '', entry.source.counterparty.bankAccount ?? '');
  }
  const accounts = [...printed.values()];
  const name = doc.source.counterparty.name;
  const used = accounts.length === 1 ? accounts[0] : `${accounts.slice(0, -1).join(', ')} or ${accounts.at(-1) ?? ''}`;
  return {
    checked: true,
    anomaly: {
      code: 'BANK_DETAILS_CHANGED',
      severity: 'critical',
      message:
        `The bank account on this ${kindNoun(doc)} (${doc.source.counterparty.bankAccount ?? ''}) is not the one ${name} used before ` +
        `(${used ?? ''}, on ${count(previous.length, 'earlier document')}). Changed bank details are a common fraud: ` +
        `confirm the change with ${name} on a phone number you already have before paying.`,
      evidence: {
        bankAccount: doc.source.counterparty.bankAccount ?? null,
        previousAccounts: accounts,
        latestId: previous[0]?.id ?? null,
        previous: previous.map((entry) => ({ ...refEvidence(entry), bankAccount: entry.source.counterparty.bankAccount ?? null })),
      },
      score: 0.9,
    },
  };
}

export function checkCurrency(context: FlagContext): { checked: boolean; anomaly: Anomaly | null } {
  const { doc } = context;
  const earlier = context.counterpartyPrior;
  if (earlier.length === 0) return { checked: false, anomaly: null };
  const counts = new Map<string, number>();
  // Latest first, so that on a tie the currency used most recently is the usual one.
  for (const entry of [...earlier].sort(latestFirst)) counts.set(entry.currency, (counts.get(entry.currency) ?? 0) + 1);
  let usual = doc.currency;
  let usualCount = 0;
  for (const [currency, n] of counts) {
    if (n > usualCount) [usual, usualCount] = [currency, n];
  }
  if (usual === doc.currency) return { checked: true, anomaly: null };

  const name = doc.source.counterparty.name;
  const share =
    earlier.length === 1
      ? `${name}'s earlier document was`
      : usualCount === earlier.length
        ? `all ${earlier.length} of ${name}'s earlier documents were`
        : `${usualCount} of ${name}'s ${earlier.length} earlier documents ${usualCount === 1 ? 'was' : 'were'}`;
  return {
    checked: true,
    anomaly: {
      code: 'CURRENCY_CHANGED',
      severity: 'info',
      message: `This ${kindNoun(doc)} is in ${doc.currency}, but ${share} in ${usual}. Check the currency ${beforeActing(doc)}.`,
      evidence: {
        currency: doc.currency,
        usualCurrency: usual,
        usualCount,
        historyCount: earlier.length,
        counts: Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      },
      score: Math.round((usualCount / earlier.length) * 100) / 100,
    },
  };
}
