/**
 * What steps can do: actions (deterministic work, run inside the step's transaction), AI skills
 * (judgment, run outside any transaction, their output checked by the governance gate), and
 * effect handlers (deliver outbox rows to the outside world). Built-ins, domains and plugins
 * register here; definitions are checked against it.
 */
import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import { ValidationError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { DB } from '../data/schema.ts';
import type { DefinitionCatalog } from './definition/parse.ts';

export interface StepRef {
  readonly runId: string;
  readonly workflowId: string;
  readonly version: number;
  readonly stepId: string;
  readonly seq: number;
  readonly attempt: number;
}

export interface ActionContext extends StepRef {
  /** The step's transaction: business records written here commit with the step, or not at all. */
  readonly tx: Transaction<DB>;
  now(): number;
  /**
   * Queues an external effect (email, HTTP call, payment) in the outbox, in this transaction.
   * It is delivered after commit, once, with an idempotency key derived from run and step.
   * Returns the outbox row id.
   */
  effect(kind: string, payload: unknown): string;
  /** Emits a domain event (e.g. `payment.received`) in this transaction. */
  emit(name: string, key: string | null, payload: unknown): Promise<void>;
  readonly log: Logger;
}

export interface ActionDefinition<I = unknown, O = unknown> {
  readonly name: string;
  readonly description: string;
  /** Validates the rendered input; a mismatch fails the step without retries, naming the field. */
  readonly input?: z.ZodType<I>;
  /** The shape of the output; a person's edit in the inbox is checked against it. */
  readonly output?: z.ZodType;
  /** A proposing action passes the governance gate before the run goes on. */
  readonly proposing?: boolean;
  /** Touches no database: runs without a savepoint. */
  readonly pure?: boolean;
  run(input: I, ctx: ActionContext): Promise<O> | O;
}

export interface SkillContext extends StepRef {
  now(): number;
  /** Aborted when the step's timeout passes or the process stops. */
  readonly signal: AbortSignal;
  /** For reading what the skill needs (e.g. a trained model); writes belong in actions. */
  readonly db: Kysely<DB>;
  readonly log: Logger;
}

/**
 * A skill's calibrated threshold: answers at or above it were right `precision` of the time on
 * held-out data (`precision` absent: a documented default, not yet measured).
 */
export interface SkillCalibration {
  threshold: number;
  precision?: number;
  /** Per-field thresholds where the skill measured them (fields without one use `threshold`). */
  fields?: Record<string, number>;
  /** Where the threshold comes from, for people reading a verdict. */
  source: string;
}

export interface SkillResult {
  output: unknown;
  /** 0..1, calibrated: the gate compares it with policy thresholds. */
  confidence?: number;
  fieldConfidence?: Record<string, number>;
  /** The threshold the governance gate uses for this skill's `auto` by default. */
  calibration?: SkillCalibration;
  evidence?: unknown;
  provider?: string;
  usage?: { promptTokens?: number; completionTokens?: number; costMicros?: number };
}

export interface SkillDefinition<I = unknown> {
  readonly name: string;
  readonly description: string;
  readonly input?: z.ZodType<I>;
  /** The shape of the output; a person's edit in the inbox is checked against it. */
  readonly output?: z.ZodType;
  run(input: I, ctx: SkillContext): Promise<SkillResult>;
}

export interface EffectDelivery {
  readonly outboxId: string;
  readonly idempotencyKey: string;
  readonly attempt: number;
  readonly signal: AbortSignal;
}

export interface EffectResult {
  externalId?: string;
  response?: unknown;
}

export interface EffectHandler {
  readonly kind: string;
  deliver(payload: unknown, delivery: EffectDelivery): Promise<EffectResult>;
}

export class Registry implements DefinitionCatalog {
  readonly #actions = new Map<string, ActionDefinition>();
  readonly #skills = new Map<string, SkillDefinition>();
  readonly #effects = new Map<string, EffectHandler>();

  registerAction<I, O>(action: ActionDefinition<I, O>): this {
    if (this.#actions.has(action.name)) throw new ValidationError('REGISTRY_DUPLICATE', `Action "${action.name}" is already registered`);
    this.#actions.set(action.name, action as ActionDefinition);
    return this;
  }
  registerSkill<I>(skill: SkillDefinition<I>): this {
    if (this.#skills.has(skill.name)) throw new ValidationError('REGISTRY_DUPLICATE', `AI skill "${skill.name}" is already registered`);
    this.#skills.set(skill.name, skill as SkillDefinition);
    return this;
  }
  registerEffect(handler: EffectHandler): this {
    if (this.#effects.has(handler.kind)) throw new ValidationError('REGISTRY_DUPLICATE', `Effect "${handler.kind}" is already registered`);
    this.#effects.set(handler.kind, handler);
    return this;
  }
  action(name: string): ActionDefinition | undefined {
    return this.#actions.get(name);
  }
  skill(name: string): SkillDefinition | undefined {
    return this.#skills.get(name);
  }
  effect(kind: string): EffectHandler | undefined {
    return this.#effects.get(kind);
  }
  hasAction(name: string): boolean {
    return this.#actions.has(name);
  }
  hasSkill(name: string): boolean {
    return this.#skills.has(name);
  }
  actionNames(): string[] {
    return [...this.#actions.keys()].sort();
  }
  skillNames(): string[] {
    return [...this.#skills.keys()].sort();
  }
}
