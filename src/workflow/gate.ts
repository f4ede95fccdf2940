/**
 * The governance gate hook. Every proposing step (AI steps, and actions marked proposing) passes
 * through it after producing its output and before the run goes on. The engine ships a gate
 * that always continues; the governance layer supplies the real one.
 */
import type { Transaction } from 'kysely';
import type { DB } from '../data/schema.ts';
import type { StepDefinition } from './definition/schema.ts';
import type { SkillCalibration, StepRef } from './registry.ts';

export interface GateReason {
  rule: string;
  message: string;
  value?: unknown;
}

export type GateVerdict =
  | { decision: 'continue'; reasons?: GateReason[] }
  | {
      decision: 'approval';
      reasons: GateReason[];
      assignee?: string;
      /** review: approve what was proposed; human: a person leads, the output is a suggestion */
      tier?: string;
      /** the amount at stake (major units), for approvers' limits */
      amount?: number;
      currency?: string;
      /** values the governance layer records when the proposal is approved (first-time rules) */
      pending?: unknown;
    }
  | { decision: 'exception'; reasons: GateReason[]; owner?: string };

export interface GateContext extends StepRef {
  readonly tx: Transaction<DB>;
  readonly step: StepDefinition;
  readonly output: unknown;
  /** what expressions see: input, steps, run, trigger — plus `output` */
  readonly scope: Record<string, unknown>;
  readonly confidence?: number;
  readonly fieldConfidence?: Record<string, number>;
  /** the skill's calibrated threshold, when it reports one */
  readonly calibration?: SkillCalibration;
  now(): number;
}

export interface Gate {
  check(ctx: GateContext): Promise<GateVerdict>;
}

/** A gate that always continues. */
export const continueGate: Gate = { check: () => Promise.resolve({ decision: 'continue' }) };
