/**
 * Hooks through which the governance layer observes the engine without the engine knowing it.
 * Each transactional hook runs inside the transaction that makes the change, so what it writes
 * (an audit entry, an inbox task) commits with the change or not at all.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../data/schema.ts';
import type { StepDefinition } from './definition/schema.ts';

type Tx = Kysely<DB>;

export interface RunStartedInfo {
  runId: string;
  workflowId: string;
  version: number;
  trigger: unknown;
  now: number;
}

export interface ApprovalOpenedInfo {
  runId: string;
  workflowId: string;
  version: number;
  seq: number;
  attempt: number;
  step: StepDefinition;
  /** what the person is asked to approve */
  proposed: unknown;
  /** the journal entry's meta: gate verdict, confidence, evidence, deadline, assignee */
  meta: Record<string, unknown>;
  now: number;
}

export interface ApprovalClosedInfo {
  runId: string;
  seq: number;
  stepId: string;
  outcome: 'approved' | 'rejected' | 'timed_out';
  now: number;
}

export interface ProposalContinuedInfo {
  runId: string;
  workflowId: string;
  version: number;
  seq: number;
  step: StepDefinition;
  output: unknown;
  now: number;
}

export interface EffectDeliveredInfo {
  outboxId: string;
  runId: string | null;
  stepId: string | null;
  kind: string;
  idempotencyKey: string;
  externalId: string | null;
  now: number;
}

export interface WorkflowSavedInfo {
  workflowId: string;
  version: number;
  created: boolean;
  now: number;
}

export interface ExceptionRaisedInfo {
  exceptionId: string;
  runId: string | null;
  workflowId: string | null;
  stepId: string | null;
  kind: string;
  code: string;
  message: string;
  owner: string | null;
  now: number;
}

export interface RunOperatedInfo {
  runId: string;
  /** retried, skipped or cancelled */
  action: string;
  /** who did it: an email, `cli`, or `operator` */
  by: string;
  fromStatus: string;
  reason: string | null;
  now: number;
}

export interface EngineHooks {
  /** an operator retried, skipped or cancelled a run (in the same transaction) */
  runOperated?(tx: Tx, info: RunOperatedInfo): Promise<void>;
  exceptionRaised?(tx: Tx, info: ExceptionRaisedInfo): Promise<void>;
  runStarted?(tx: Tx, info: RunStartedInfo): Promise<void>;
  approvalOpened?(tx: Tx, info: ApprovalOpenedInfo): Promise<void>;
  approvalClosed?(tx: Tx, info: ApprovalClosedInfo): Promise<void>;
  proposalContinued?(tx: Tx, info: ProposalContinuedInfo): Promise<void>;
  effectDelivered?(db: Tx, info: EffectDeliveredInfo): Promise<void>;
  workflowSaved?(tx: Tx, info: WorkflowSavedInfo): Promise<void>;
}
