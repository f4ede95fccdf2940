/**
 * UNUSUAL_AMOUNT and ROUND_AMOUNT: the total compared with what this counterparty usually bills
 * or is billed.
 *
 * UNUSUAL_AMOUNT uses robust statistics over the counterparty's earlier documents in the same
 * currency, direction and kind family, once there are at least `minHistoryForStats` of them:
 * median m and MAD (median absolute deviation). With MAD > 0 the modified z-score
 * 0.6745 × (x − m) / MAD must exceed 3.5 in size *and* the amount must be at least 1.5× the median
 * or at most m / 1.5. The second condition is ours: a client billed 770–790 every month has MAD 10,
 * and 840 would score z = 4.0 without being anything a person needs to look at. With MAD = 0
 * (every earlier amount the same) the amount is unusual at more than 3× or less than a third of m.
 * Higher than usual is a warning; lower is only info (a partial delivery, a discount).
 *
 * The score starts at 0.5 at the thresholds and reaches 0.9 once both are far exceeded: the
 * z-score at twice its threshold and the fold (x / m or m / x) at three times its own.
 *
 * ROUND_AMOUNT (incoming only, info): a total that is a whole multiple of 1,000 from a vendor
 * whose earlier totals in that currency never were. Made-up bills tend to be round.
 */
import { currencyDigits, powerOfTen } from '../draft/money/index.ts';
import { refEvidence } from './context.ts';
import type { FlagContext } from './context.ts';
import { count, decimal, kindNoun, money, roundScore } from './format.ts';
import type { Anomaly } from './types.ts';

export const MODIFIED_Z_THRESHOLD = 3.5;
/** With MAD > 0: how many times above or below the median an amount must also be. */
export const MIN_FOLD = 1.5;
/** With MAD = 0: how many times above or below the median an amount must be. */
export const FOLD_WITHOUT_SPREAD = 3;

/** Median of a non-empty list (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  if (sorted.length % 2 === 1) return sorted[middle] ?? 0;
  return ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export function checkUnusualAmount(context: FlagContext): { checked: boolean; anomaly: Anomaly | null } {
  const { doc, options } = context;
  const sample = context.counterpartyPrior.filter(
    (entry) => entry.currency === doc.currency && entry.direction === doc.direction && entry.family === doc.family,
  );
  if (sample.length < options.minHistoryForStats) return { checked: false, anomaly: null };

  // Credit notes may be written negative or positive; the size is what is compared.
  const size = (minor: bigint): number => Math.abs(Number(minor));
  const values = sample.map((entry) => size(entry.totalMinor));
  const amount = size(doc.totalMinor);
  const center = median(values);
  if (center === 0) return { checked: true, anomaly: null };
  const mad = median(values.map((value) => Math.abs(value - center)));
  const ratio = amount / center;
  const higher = amount > center;
  const fold = higher ? ratio : amount === 0 ? Number.POSITIVE_INFINITY : 1 / ratio;
  const z = mad > 0 ? (0.6745 * (amount - center)) / mad : null;
  const minFold = z === null ? FOLD_WITHOUT_SPREAD : MIN_FOLD;
  const unusual = z === null ? fold > minFold : Math.abs(z) > MODIFIED_Z_THRESHOLD && fold >= minFold;
  if (!unusual) return { checked: true, anomaly: null };

  const zStrength = z === null ? 1 : Math.min(1, (Math.abs(z) - MODIFIED_Z_THRESHOLD) / MODIFIED_Z_THRESHOLD);
  const foldStrength = Math.min(1, (fold - minFold) / (2 * minFold));
  const usualMinor = BigInt(Math.round(center));
  const party = doc.role === 'client' ? "client's" : "vendor's";
  const basis = `the median of ${count(sample.length, `earlier ${kindNoun(doc)}`, `earlier ${kindNoun(doc, 2)}`)}`;
  const stated = money(doc.totalMinor < 0n ? -doc.totalMinor : doc.totalMinor, doc.currency);
  const usual = money(usualMinor, doc.currency);
  const message = higher
    ? `${stated} is ${ratio.toFixed(1)}× this ${party} usual ${usual} (${basis}). ` +
      (doc.direction === 'incoming'
        ? 'Confirm the amount with the vendor before paying.'
        : 'Check the quantities and prices before sending.')
    : `${stated} is only ${Math.round(ratio * 100)}% of this ${party} usual ${usual} (${basis}). ` +
      'Check that no line is missing.';
  return {
    checked: true,
    anomaly: {
      code: 'UNUSUAL_AMOUNT',
      severity: higher ? 'warning' : 'info',
      message,
      evidence: {
        amount: doc.source.total,
        currency: doc.currency,
        median: decimal(usualMinor, doc.currency),
        mad: decimal(BigInt(Math.round(mad)), doc.currency),
        ratio: Math.round(ratio * 100) / 100,
        modifiedZ: z === null ? null : Math.round(z * 100) / 100,
        historyCount: sample.length,
        history: sample.map(refEvidence),
      },
      score: roundScore(0.5 + 0.4 * Math.min(zStrength, foldStrength)),
    },
  };
}

export function checkRoundAmount(context: FlagContext): { checked: boolean; anomaly: Anomaly | null } {
  const { doc } = context;
  if (doc.direction !== 'incoming') return { checked: false, anomaly: null };
  const roundUnit = 1000n * powerOfTen(currencyDigits(doc.currency));
  const isRound = (minor: bigint): boolean => minor > 0n && minor % roundUnit === 0n;
  if (!isRound(doc.totalMinor)) return { checked: true, anomaly: null };
  const earlier = context.counterpartyPrior.filter((entry) => entry.currency === doc.currency);
  if (earlier.some((entry) => isRound(entry.totalMinor))) return { checked: true, anomaly: null };

  const name = doc.source.counterparty.name;
  const background =
    earlier.length === 0
      ? `and there is no earlier ${doc.currency} document from ${name}`
      : `and none of ${name}'s ${count(earlier.length, `earlier ${doc.currency} document`)} had a round total`;
  return {
    checked: true,
    anomaly: {
      code: 'ROUND_AMOUNT',
      severity: 'info',
      message:
        `The total is a round ${money(doc.totalMinor, doc.currency)}, ${background}. ` +
        'Made-up bills are often round: check what it is for before paying.',
      evidence: { amount: doc.source.total, currency: doc.currency, earlierCount: earlier.length, history: earlier.map(refEvidence) },
      score: 0.3,
    },
  };
}
