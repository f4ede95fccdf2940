/**
 * Document totals. One formula, used by the draft parser and meant for the finance domain, so a
 * draft's totals are exactly what the saved document will show:
 *
 *   line net   = round(quantity × unitPrice)
 *   line tax   = round(line net × taxRate / 100)        (a null rate counts as no tax)
 *   subtotal   = Σ line net;  taxTotal = Σ line tax;  total = subtotal + taxTotal
 *
 * Every round is to the currency's minor unit with one Rounding mode (half-up by default).
 * Tax is rounded per line, then summed.
 */
import { multiplyQuantity, multiplyRate } from './arithmetic.ts';
import { divideRounded, parseDecimal, powerOfTen, Rounding } from './decimal.ts';

/** A line as priced for the totals: net unit price in minor units, rate as a percentage or null. */
export interface PricedLine {
  readonly quantity: string;
  readonly unitPriceMinor: bigint;
  readonly taxRate: string | null;
}

export interface LineAmounts {
  readonly netMinor: bigint;
  readonly taxMinor: bigint;
}

export interface DocumentTotals {
  readonly lines: readonly LineAmounts[];
  readonly subtotalMinor: bigint;
  readonly taxTotalMinor: bigint;
  readonly totalMinor: bigint;
}

/** The amounts of one line by the formula above. */
export function lineAmounts(line: PricedLine, rounding: Rounding = Rounding.halfUp): LineAmounts {
  const netMinor = multiplyQuantity(line.unitPriceMinor, line.quantity, rounding);
  const taxMinor = line.taxRate === null ? 0n : multiplyRate(netMinor, line.taxRate, rounding);
  return { netMinor, taxMinor };
}

/** Subtotal, tax total and total of a document by the formula above. */
export function computeTotals(lines: readonly PricedLine[], rounding: Rounding = Rounding.halfUp): DocumentTotals {
  const amounts = lines.map((line) => lineAmounts(line, rounding));
  const subtotalMinor = amounts.reduce((sum, line) => sum + line.netMinor, 0n);
  const taxTotalMinor = amounts.reduce((sum, line) => sum + line.taxMinor, 0n);
  return { lines: amounts, subtotalMinor, taxTotalMinor, totalMinor: subtotalMinor + taxTotalMinor };
}

export interface NetPriceForGross {
  /** The net unit price, in minor units, to store on the line. */
  readonly unitPriceMinor: bigint;
  /** The line's gross (net + tax) by the formula above with that price. */
  readonly lineGrossMinor: bigint;
  /** True when that gross equals the stated one (quantity × gross unit price). */
  readonly exact: boolean;
}

/**
 * Turns a tax-inclusive unit price into the net unit price to store, such that the line, computed
 * by the exclusive formula above, comes back to the stated gross.
 *
 * Lines carry net prices, so an inclusive price has to be converted. With prices in whole minor
 * units not every gross is reachable (at 19% roughly one cent value in six is skipped, because the
 * tax rounding sometimes steps by two), so this picks, among the neighbours of the exact quotient,
 * the price whose computed gross is nearest the stated one; on a tie, the one nearest the exact
 * quotient. `exact` tells the caller whether the stated gross was reproduced.
 *
 * ### Examples
 * €100.00 incl. 19%: net 84.03, tax 15.97, gross 100.00 (exact).
 * 3 × €10.00 incl. 19%: net 8.40 each, line 25.20 + tax 4.79 = 29.99 (not exact; 8.41 gives 30.02).
 */
export function netPriceForGross(
  unitGrossMinor: bigint,
  quantity: string,
  ratePercent: string,
  rounding: Rounding = Rounding.halfUp,
): NetPriceForGross {
  const rate = parseDecimal(ratePercent);
  const hundred = 100n * powerOfTen(rate.scale);
  const estimate = divideRounded(unitGrossMinor * hundred, hundred + rate.units, rounding);
  const target = multiplyQuantity(unitGrossMinor, quantity, rounding);
  let best: NetPriceForGross | null = null;
  let bestDistance = 0n;
  // Nearest first, so that on equal distance to the target the price nearest the quotient wins.
  for (const offset of [0n, -1n, 1n, -2n, 2n]) {
    const candidate = estimate + offset;
    const { netMinor, taxMinor } = lineAmounts({ quantity, unitPriceMinor: candidate, taxRate: ratePercent }, rounding);
    const gross = netMinor + taxMinor;
    const distance = gross > target ? gross - target : target - gross;
    if (best === null || distance < bestDistance) {
      best = { unitPriceMinor: candidate, lineGrossMinor: gross, exact: distance === 0n };
      bestDistance = distance;
    }
  }
  if (best === null) throw new Error('unreachable: at least one candidate is tried');
  return best;
}
