/**
 * Graduation: steps earn autonomy on evidence. Per workflow step the inbox knows how often a
 * person approved a proposal unchanged, edited it, or rejected it; the journal knows the
 * automatic results; corrections record automatic results found wrong later.
 *
 * - A `review` step with a streak of `streak` clean approvals and an edit rate at most
 *   `maxEditRate` over the last `window` decisions is suggested for `auto`; a `human` step whose
 *   AI suggestions the person took unchanged that often is suggested for `review`.
 * - The owner accepts (a new workflow version with the step's new tier) or declines.
 * - An `auto` step whose result is corrected is demoted to `review` at once, and owners are told.
 * The decision functions are pure; the rest reads and writes the database.
 */
import type { Tier } from './policy/evaluate.ts';

export interface GraduationSettings {
  streak: number;
  window: number;
  maxEditRate: number;
}

export const defaultGraduation: GraduationSettings = { streak: 20, window: 50, maxEditRate: 0.1 };

export type Outcome = 'clean' | 'edited' | 'rejected';

export interface Evidence {
  tier: Tier;
  /** the step's decided tasks, newest first */
  outcomes: Outcome[];
  /** when the owner last declined a promotion of this step: clean approvals before it don't count */
  cleanSinceDecline: number | null;
}

export interface Suggestion {
  from: Tier;
  to: Tier;
  streak: number;
  editRate: number;
  decisions: number;
}

/** Pure: should this step be offered more autonomy? */
export function suggestPromotion(evidence: Evidence, settings: GraduationSettings = defaultGraduation): Suggestion | null {
  if (evidence.tier === 'auto') return null;
  let streak = 0;
  for (const outcome of evidence.outcomes) {
    if (outcome !== 'clean') break;
    streak += 1;
  }
  if (evidence.cleanSinceDecline !== null) streak = Math.min(streak, evidence.cleanSinceDecline);
  const window = evidence.outcomes.slice(0, settings.window);
  const editRate = window.length === 0 ? 1 : window.filter((o) => o !== 'clean').length / window.length;
  if (streak < settings.streak || editRate > settings.maxEditRate) return null;
  return { from: evidence.tier, to: evidence.tier === 'human' ? 'review' : 'auto', streak, editRate, decisions: window.length };
}
