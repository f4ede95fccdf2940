/**
 * The stable identity of a statement line, so the same line imported twice (the same file again,
 * or an overlapping one) is stored once. The bank's own id wins where there is one; otherwise a
 * hash of what the line says plus how many identical lines came before it in the same file — two
 * real payments of 20.00 with the same text on the same day stay two.
 */
import { sha256Hex } from '../../../core/json.ts';
import type { ParsedTransaction } from './types.ts';

/** Fingerprints, in the order of `transactions`. Unique per account. */
export function fingerprints(transactions: readonly ParsedTransaction[]): string[] {
  const seen = new Map<string, number>();
  return transactions.map((t) => {
    if (t.bankId !== null) return `bank:${t.bankId}`;
    const text = [t.description, t.reference, t.counterparty].map((v) => (v ?? '').replace(/\s+/g, ' ').trim().toLowerCase()).join('|');
    const content = `${t.account}|${t.date}|${t.amountMinor}|${t.currency}|${text}`;
    const occurrence = seen.get(content) ?? 0;
    seen.set(content, occurrence + 1);
    return `hash:${sha256Hex(`${content}|${occurrence}`).slice(0, 40)}`;
  });
}
