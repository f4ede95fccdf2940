/**
 * The tables, as Kysely sees them. Instants are epoch milliseconds (UTC) in integer columns;
 * JSON is stored as text and parsed in the repositories, the same on SQLite and PostgreSQL.
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { BankingTables } from './tables/banking.ts';
import type { PayLinkTables } from './tables/paylinks.ts';
import type { SessionTables } from './tables/sessions.ts';
import type { RecurringTables } from './tables/recurring.ts';
import type { ReminderTables } from './tables/reminders.ts';
import type { SettingsTables } from './tables/settings.ts';

export interface WorkflowsTable {
  id: string;
  name: string;
  description: string | null;
  current_version: number;
  enabled: number;
  created_at: number;
  updated_at: number;
}

export interface WorkflowVersionsTable {
  workflow_id: string;
  version: number;
  hash: string;
  definition: string;
  created_at: number;
}

/** One row per trigger of a workflow's current version; the lookup index for hooks and events. */
export interface TriggersTable {
  workflow_id: string;
  idx: number;
  type: string;
  /** webhook key, event name, or the cron expression for schedules */
  match: string;
  config: string;
}

export interface SchedulesTable {
  workflow_id: string;
  idx: number;
  cron: string;
  timezone: string;
  missed: string;
  next_fire_at: number;
  last_fired_at: number | null;
}

export interface RunsTable {
  id: string;
  workflow_id: string;
  version: number;
  status: string;
  input: string | null;
  output: string | null;
  error: string | null;
  trigger: string;
  idempotency_key: string | null;
  /** the step the run is at (display; the journal is authoritative) */
  cursor: string | null;
  steps_done: number;
  wake_at: number | null;
  wait_name: string | null;
  wait_key: string | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  created_at: number;
  updated_at: number;
  ended_at: number | null;
}

export interface RunStepsTable {
  run_id: string;
  seq: number;
  attempt: number;
  step_id: string;
  type: string;
  status: string;
  actor: string;
  input: string | null;
  output: string | null;
  error: string | null;
  meta: string | null;
  started_at: number;
  ended_at: number | null;
}

export interface SignalsTable {
  id: Generated<number>;
  run_id: string;
  name: string;
  payload: string | null;
  event_id: number | null;
  created_at: number;
  consumed_at: number | null;
}

export interface EventsTable {
  id: Generated<number>;
  name: string;
  key: string | null;
  payload: string | null;
  source: string | null;
  created_at: number;
}

export interface OutboxTable {
  id: string;
  run_id: string | null;
  step_seq: number | null;
  step_id: string | null;
  kind: string;
  idempotency_key: string;
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  last_error: string | null;
  external_id: string | null;
  response: string | null;
  created_at: number;
  delivered_at: number | null;
}

export interface ExceptionsTable {
  id: string;
  run_id: string | null;
  step_id: string | null;
  outbox_id: string | null;
  kind: string;
  code: string;
  message: string;
  owner: string | null;
  status: string;
  resolution: string | null;
  created_at: number;
  resolved_at: number | null;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string | null;
  approval_limit_minor: number | null;
  approval_limit_currency: string | null;
  disabled: number;
  created_at: number;
  updated_at: number;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface PoliciesTable {
  id: string;
  name: string;
  current_version: number;
  created_at: number;
  updated_at: number;
}

export interface PolicyVersionsTable {
  policy_id: string;
  version: number;
  hash: string;
  definition: string;
  created_at: number;
}

export interface ApprovalTasksTable {
  id: string;
  run_id: string;
  seq: number;
  workflow_id: string;
  workflow_version: number;
  step_id: string;
  step_type: string;
  /** review: a person approves what was proposed; human: a person leads, AI output is a suggestion */
  mode: string;
  title: string;
  proposed: string | null;
  reasons: string | null;
  evidence: string | null;
  assignee: string | null;
  escalate_to: string | null;
  escalate_after_ms: number | null;
  escalated_at: number | null;
  amount_minor: number | null;
  currency: string | null;
  due_at: number | null;
  status: string;
  decision: string | null;
  decided_by: string | null;
  decided_at: number | null;
  final: string | null;
  edit_diff: string | null;
  reason: string | null;
  created_at: number;
}

export interface AuditLogTable {
  seq: Generated<number>;
  at: number;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string;
  run_id: string | null;
  data: string | null;
  prev_hash: string;
  hash: string;
}

export interface PolicyCountersTable {
  counter: string;
  period_start: number;
  total: number;
}

export interface PolicySeenTable {
  namespace: string;
  value: string;
  first_at: number;
}

export interface CorrectionsTable {
  id: string;
  run_id: string;
  workflow_id: string;
  step_id: string;
  reason: string;
  corrected: string | null;
  by: string;
  created_at: number;
}

export interface GraduationDecisionsTable {
  id: string;
  workflow_id: string;
  step_id: string;
  from_tier: string;
  to_tier: string;
  decision: string;
  by: string;
  evidence: string | null;
  created_at: number;
}

export interface AiModelsTable {
  name: string;
  kind: string;
  data: string;
  metadata: string | null;
  created_at: number;
  updated_at: number;
}

export interface AiExamplesTable {
  id: string;
  model: string;
  text: string;
  label: string;
  /** import, correction */
  source: string;
  created_at: number;
}

export interface CounterpartiesTable {
  id: string;
  /** client or vendor */
  role: string;
  name: string;
  normalized_name: string;
  contact: string | null;
  email: string | null;
  address: string | null;
  tax_id: string | null;
  currency: string | null;
  payment_terms_days: number | null;
  notes: string | null;
  /** this client's reminder cadence: days relative to the due date, e.g. "-3,0,7,14,30"; null = the business's */
  reminder_cadence: string | null;
  created_at: number;
  updated_at: number;
}

export interface DocumentsTable {
  id: string;
  kind: string;
  number: string;
  status: string;
  counterparty_id: string;
  currency: string;
  /** calendar dates YYYY-MM-DD in the business's time zone */
  issue_date: string;
  due_date: string | null;
  valid_until: string | null;
  reference: string | null;
  subtotal_minor: number;
  tax_minor: number;
  total_minor: number;
  paid_minor: number;
  terms: string | null;
  notes: string | null;
  source: string | null;
  /** the unguessable part of the document's public link; null until shared */
  public_token: string | null;
  /** the invoice an accepted quote became */
  converted_to: string | null;
  /** when the document was first sent (epoch ms); reminders never come before it */
  sent_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface DocumentLinesTable {
  document_id: string;
  idx: number;
  description: string;
  quantity: string;
  unit: string | null;
  unit_price_minor: number;
  discount: string | null;
  tax_rate: string | null;
  amount_minor: number;
  tax_minor: number;
}

export interface DocumentCountersTable {
  kind: string;
  period: string;
  last: number;
}

export interface PaymentsTable {
  id: string;
  document_id: string;
  amount_minor: number;
  currency: string;
  paid_on: string;
  method: string;
  reference: string | null;
  created_at: number;
}

/** Every table: the engine's, governance's and finance's here; later areas in ./tables/. */
export interface DB extends BankingTables, PayLinkTables, SessionTables, RecurringTables, ReminderTables, SettingsTables {
  workflows: WorkflowsTable;
  workflow_versions: WorkflowVersionsTable;
  triggers: TriggersTable;
  schedules: SchedulesTable;
  runs: RunsTable;
  run_steps: RunStepsTable;
  signals: SignalsTable;
  events: EventsTable;
  outbox: OutboxTable;
  exceptions: ExceptionsTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  policies: PoliciesTable;
  policy_versions: PolicyVersionsTable;
  approval_tasks: ApprovalTasksTable;
  audit_log: AuditLogTable;
  policy_counters: PolicyCountersTable;
  policy_seen: PolicySeenTable;
  corrections: CorrectionsTable;
  graduation_decisions: GraduationDecisionsTable;
  ai_models: AiModelsTable;
  ai_examples: AiExamplesTable;
  counterparties: CounterpartiesTable;
  documents: DocumentsTable;
  document_lines: DocumentLinesTable;
  document_counters: DocumentCountersTable;
  payments: PaymentsTable;
}

export type RunRow = Selectable<RunsTable>;
export type NewRunRow = Insertable<RunsTable>;
export type RunUpdate = Updateable<RunsTable>;
export type RunStepRow = Selectable<RunStepsTable>;
export type NewRunStepRow = Insertable<RunStepsTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type NewOutboxRow = Insertable<OutboxTable>;
export type ExceptionRow = Selectable<ExceptionsTable>;
export type WorkflowVersionRow = Selectable<WorkflowVersionsTable>;
export type EventRow = Selectable<EventsTable>;
export type UserRow = Selectable<UsersTable>;
export type ApprovalTaskRow = Selectable<ApprovalTasksTable>;
export type AuditRow = Selectable<AuditLogTable>;
