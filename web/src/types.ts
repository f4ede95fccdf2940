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
  /** null: an exception of no run (e.g. a card payment to refund), marked handled by a person */
  runId: string | null;
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
  credited?: string;
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

/** GET /api/bank/transactions: one booked line of a bank statement. */
export interface BankTransaction {
  id: string;
  account: string;
  /** booking date, YYYY-MM-DD */
  date: string;
  /** signed decimal: money in is positive */
  amount: string;
  currency: string;
  description: string | null;
  reference: string | null;
  counterparty: string | null;
  bankId: string | null;
  status: 'unmatched' | 'matched';
  matches: { invoice: string; amount: string; method: string; paymentId: string }[];
  /** a proposal waiting for a person in the Inbox */
  review: { runId: string; proposal: unknown } | null;
  matchedBy: string | null;
}

/** POST /api/bank/statements */
export interface StatementImport {
  statementId: string;
  format: 'csv' | 'ofx' | 'camt053';
  accounts: string[];
  transactions: number;
  new: number;
  existing: number;
  skipped: number;
  firstDate: string | null;
  lastDate: string | null;
}

/** How CSV columns map onto transactions (header names), as POST /api/bank/statements takes it. */
export interface CsvMapping {
  date?: string;
  amount?: string;
  debit?: string;
  credit?: string;
  description?: string;
  reference?: string;
  counterparty?: string;
  id?: string;
  currency?: string;
  dateFormat?: string;
  decimal?: '.' | ',';
  delimiter?: string;
}

export interface BankAllocation {
  invoice: string;
  amount: string;
}

export interface AppliedBankMatch {
  transactionId: string;
  date: string;
  amount: string;
  currency: string;
  method: string;
  confidence: number | null;
  allocations: { invoice: string; amount: string; paymentId: string; status: string; due: string }[];
  reasons?: string[];
}

export interface ProposedBankMatch {
  transaction: { id: string; date: string; amount: string; currency: string; counterparty: string | null; reference: string | null; description: string | null };
  invoices: { number: string; client: string; issueDate: string; outstanding: string }[];
  allocations: BankAllocation[];
  unallocated: string;
  kind: string;
  confidence: number;
  reasons: string[];
  runId: string;
  taskId: string | null;
  /** false when an earlier reconciliation had already sent it to the Inbox */
  created: boolean;
}

/** POST /api/bank/reconcile */
export interface Reconciliation {
  threshold: number;
  applied: AppliedBankMatch[];
  proposed: ProposedBankMatch[];
  unmatched: number;
}

/** Where a setting in force comes from; null when nothing sets it. */
export type SettingSource = 'settings' | 'environment' | null;

export type MailSecurity = 'starttls' | 'tls' | 'none';

/** The outgoing mail server in force (never the password). */
export interface MailView {
  configured: boolean;
  host: string | null;
  port: number | null;
  security: MailSecurity | null;
  username: string | null;
  passwordSet: boolean;
  from: string | null;
  fromName: string | null;
  sources: Record<'host' | 'port' | 'security' | 'username' | 'password' | 'from' | 'fromName', SettingSource>;
}

/** GET/PUT /api/settings/mail. */
export interface MailSettings {
  mail: MailView;
  stored: { host?: string; port?: number; security?: MailSecurity; username?: string; from?: string; fromName?: string; passwordSet: boolean };
  environment: MailView;
  /** the stored settings could not be read */
  problem: string | null;
}

/** POST /api/settings/mail/test. */
export interface MailTestResult {
  sent: { to: string; server: string; response: string; accepted: string[]; rejected: string[]; latencyMs: number };
}

export type AiProviderKind = 'builtin' | 'openai';

/** The AI provider in force (never the API key). */
export interface AiView {
  provider: AiProviderKind;
  baseUrl: string | null;
  model: string | null;
  apiKeySet: boolean;
  timeoutMs: number | null;
  priceInputPerMTok: number | null;
  priceOutputPerMTok: number | null;
  sources: Record<'provider' | 'baseUrl' | 'model' | 'apiKey' | 'timeoutMs' | 'priceInputPerMTok' | 'priceOutputPerMTok', SettingSource>;
  /** why it cannot be used (skills then use the built-in models) */
  problem: string | null;
}

/** GET/PUT /api/settings/ai. */
export interface AiSettings {
  ai: AiView;
  stored: { provider?: AiProviderKind; baseUrl?: string; model?: string; timeoutMs?: number; priceInputPerMTok?: number; priceOutputPerMTok?: number; apiKeySet: boolean };
  environment: AiView;
}

/** POST /api/settings/ai/test. */
export interface AiTestResult {
  result: { provider: 'openai'; baseUrl: string; model: string; answer: string; latencyMs: number; usage: { promptTokens: number; completionTokens: number; costMicros: number } };
}
