/**
 * Time is injected. Every component that needs "now" takes a Clock, so tests of week-long waits
 * and schedules move a ManualClock forward instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch, UTC. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  #nowMs: number;
  constructor(start: number | string | Date = Date.UTC(2026, 0, 5, 9, 0, 0)) {
    this.#nowMs = typeof start === 'number' ? start : new Date(start).getTime();
  }
  now(): number {
    return this.#nowMs;
  }
  set(at: number | string | Date): void {
    this.#nowMs = typeof at === 'number' ? at : new Date(at).getTime();
  }
  advance(ms: number): number {
    this.#nowMs += ms;
    return this.#nowMs;
  }
}

export function isoOf(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}
