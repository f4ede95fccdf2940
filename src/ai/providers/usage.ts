/** Token and cost accounting over the attempts of one call. */
import type { AiUsage } from './types.ts';

export interface Prices {
  /** US dollars per million prompt tokens. */
  priceInputPerMTok: number;
  /** US dollars per million completion tokens. */
  priceOutputPerMTok: number;
}

/**
 * Cost in millionths of a dollar: tokens × (dollars per million tokens) is exactly micro-dollars.
 * Rounded once, on the totals, so many small attempts do not accumulate rounding error.
 */
export function costMicros(promptTokens: number, completionTokens: number, prices: Prices): number {
  return Math.round(promptTokens * prices.priceInputPerMTok + completionTokens * prices.priceOutputPerMTok);
}

export class UsageMeter {
  readonly #provider: string;
  readonly #model: string;
  readonly #prices: Prices;
  readonly #startedAt = performance.now();
  #promptTokens = 0;
  #completionTokens = 0;
  #attempts = 0;

  constructor(provider: string, model: string, prices: Prices) {
    this.#provider = provider;
    this.#model = model;
    this.#prices = prices;
  }

  get attempts(): number {
    return this.#attempts;
  }

  startAttempt(): void {
    this.#attempts += 1;
  }

  addTokens(promptTokens: number, completionTokens: number): void {
    this.#promptTokens += countOrZero(promptTokens);
    this.#completionTokens += countOrZero(completionTokens);
  }

  snapshot(): AiUsage {
    return {
      provider: this.#provider,
      model: this.#model,
      promptTokens: this.#promptTokens,
      completionTokens: this.#completionTokens,
      costMicros: costMicros(this.#promptTokens, this.#completionTokens, this.#prices),
      latencyMs: Math.round(performance.now() - this.#startedAt),
      attempts: this.#attempts,
    };
  }
}

/** A server's token count is outside data too: anything but a non-negative integer counts as 0. */
function countOrZero(value: number): number {
  return Number.isSafeInteger(value) && value >= 0 ? value : 0;
}
