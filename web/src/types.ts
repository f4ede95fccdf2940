/** The shapes the OpsLoop API returns, as far as the screens use them. */

export type Role = 'owner' | 'admin' | 'reviewer' | 'viewer';

export interface User {
  id?: string;
  email: string;
  name?: string | null;
  role: Role;
  approvalLimit?: number | null;
  approvalLimitCurrency?: string | null;
  disabled?: boolean;
}

export interface Reason {
  rule?: string;
  policy?: string;
  message: string;
  value?: unknown;
}

export interface Change {
  path: string | (string | number)[];
  op?: string;
  from?: unknown;
  to?: unknown;
  before?: unknown;
  after?: unknown;
}

export interface Approval {
  id: string;
  runId: string;
  workflowId: string;
  workflowVersion: number;
  stepId: string;
  stepType: string;
  mode: string;
  title: string;
  proposed: unknown;
  reasons: Reason[] | null;
  evidence: Evidence | null;
  assignee: string | null;
  amount: number | null;
  currency: string | null;
  dueAt: string | null;
  escalatedAt: string | null;
  status: string;
  decision: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  final: unknown;
  editDiff: Change[] | null;
  reason: string | null;
  createdAt: string | null;
}

export interface Evidence {
  confidence?: number | null;
  fieldConfidence?: Record<string, number> | null;
  evidence?: unknown;
  pending?: unknown;
}

export interface RunException {
  id: string;
  runId: string;
  stepId: string | null;
  outboxId?: string | null;
  kind: string;
  code: string | null;
  message: string;
  owner: string | null;
  status: string;
  resolution: string | null;
  createdAt: string;
  resolvedAt: string | null;
}

export interface Inbox {
  approvals: Approval[];
  exceptions: RunException[];
  count: number;
}

export interface Step {
  seq: number;
  attempt: number;
  stepId: string;
  type: string;
  status: string;
  actor: string;
  input: unknown;
  output: unknown;
  error: unknown;
  meta: unknown;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
}

export interface Run {
  id: string;
  workflowId: string;
  version: number;
  status: string;
  input: unknown;
  output: unknown;
  error: unknown;
  trigger: unknown;
  cursor: string | null;
  stepsDone: number;
  wakeAt: string | null;
  waitingFor: { name: string; key: string | null } | null;
  createdAt: string | null;
  updatedAt: string | null;
  endedAt: string | null;
  steps?: Step[];
}

export const runStatuses = ['queued', 'running', 'waiting', 'completed', 'exception', 'cancelled'] as const;

export interface WorkflowSummary {
  id: string;
  name: string;
  description: string | null;
  currentVersion: number;
  enabled: boolean;
  createdAt: number | string;
  updatedAt: number | string;
}

export interface StepDefinition {
  id: string;
  type: string;
  action?: string;
  skill?: string;
  tier?: string;
  proposing?: boolean;
  policies?: string[];
  [key: string]: unknown;
}

export interface WorkflowDetail extends WorkflowSummary {
  definition: { id: string; name?: string; description?: string; triggers?: { type: string; [key: string]: unknown }[]; steps: StepDefinition[] };
  versions: { version: number; hash: string; createdAt: number | string }[];
}

export interface GraduationStep {
  workflowId: string;
  stepId: string;
  tier: string;
  approvedUnchanged: number;
  edited: number;
  rejected: number;
  automatic: number;
  corrected: number;
  suggestion: { to?: string; tier?: string; reason?: string; message?: string; [key: string]: unknown } | null;
}

export interface DocumentLine {
  description: string;
  quantity: string;
  unit: string | null;
  unitPrice: string;
  taxRate: string | null;
  amount: string;
}

export interface BusinessDocument {
  id: string;
  kind: string;
  number: string;
  status: string;
  client: { id: string; name: string };
  currency: string;
  issueDate: string | null;
  dueDate: string | null;
  validUntil: string | null;
  reference: string | null;
  lines: DocumentLine[];
  subtotal: string;
  taxTotal: string;
  total: string;
  paid: string;
}

export interface Draft {
  kind: string;
  client: { name: string; email?: string | null };
  currency: string;
  lines: { description: string; quantity: string; unitPrice: string; taxRate: string | null }[];
  subtotal: string;
  taxTotal: string;
  total: string;
  issueDate: string | null;
  dueDate: string | null;
  validUntil: string | null;
  reference: string | null;
  confidence: Record<string, number>;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  runId: string | null;
  data: unknown;
  hash: string;
}

export interface Policy {
  id: string;
  name: string;
  version: number;
  definition: { id: string; rules: { id: string; type: string; [key: string]: unknown }[]; [key: string]: unknown };
}

export interface RunsPerDay {
  day: string;
  started: number;
  completed: number;
  failed: number;
}

export interface HoursSaved {
  total: number;
  byWorkflow: { workflowId: string; name: string; runs: number; minutesPerRun: number | null; hours: number }[];
}

export interface Dashboard {
  runsPerDay: RunsPerDay[];
  automationRate: number | null;
  escalationRate: number | null;
  reworkRate: number | null;
  hoursSaved: HoursSaved;
  receivables: unknown;
  aiCost: { calls: number; costMicros: number; perRun: number | null } | null;
  /** true when the server has no /api/dashboard yet and the numbers were computed here from recent runs */
  estimated?: boolean;
}

export interface Client {
  id: string;
  name: string;
  email: string | null;
  contact: string | null;
  address: string | null;
  taxId: string | null;
  currency: string | null;
  paymentTermsDays: number | null;
  reminderCadence: string | null;
  notes: string | null;
  openBalance: { currency: string; amount: string }[];
  invoiceCount: number;
  lastInvoiceDate: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface ApiToken {
  id: string;
  name: string;
  /** the first characters of the token, to recognise it */
  prefix: string;
  user: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface BankDetails {
  accountName?: string;
  iban?: string;
  bic?: string;
  accountNumber?: string;
  sortCode?: string;
}

export interface BusinessProfile {
  name: string;
  address?: string | null;
  email?: string | null;
  phone?: string | null;
  taxId?: string | null;
  bank?: BankDetails | null;
  /** base64 PNG */
  logoPng?: string | null;
}

/** GET/PUT /api/settings/business: what documents show, what is stored, and the environment's defaults. */
export interface BusinessSettings {
  business: BusinessProfile;
  stored: Partial<Omit<BusinessProfile, 'bank'>> & { bank?: BankDetails };
  environment: BusinessProfile;
}
