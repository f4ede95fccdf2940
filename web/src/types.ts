/** The shapes the OpsLoop API returns, as far as the screens use them. */
// Views the server answers with are its own types (type-only imports: nothing of the server is
// bundled, and the UI cannot drift from what the API sends).
import type { TaskView } from '../../src/governance/inbox.ts';
import type { RunView, StepView } from '../../src/workflow/views.ts';
import type { DocumentView } from '../../src/domains/finance/document-records.ts';
import type { ClientView } from '../../src/domains/finance/clients.ts';
import type { BankTransactionView, ImportResult } from '../../src/domains/finance/banking/store.ts';
import type { CsvMapping } from '../../src/domains/finance/banking/types.ts';
import type { AllocationInput } from '../../src/domains/finance/banking/apply.ts';
import type { ProposedMatch, ReconcileResult } from '../../src/domains/finance/banking/reconcile.ts';

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

/** An inbox task: the server's view, with the JSON it carries given its shape. */
export type Approval = Omit<TaskView, 'reasons' | 'evidence'> & { reasons: Reason[] | null; evidence: Evidence | null };

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

export type Step = StepView;
export type Run = RunView;

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

export type BusinessDocument = DocumentView;
export type DocumentLine = DocumentView['lines'][number];
/** A document before it exists (a parsed draft, a step's proposal): what a preview can show. */
export type PreviewDocument = Omit<BusinessDocument, 'kind' | 'status' | 'issueDate' | 'credited' | 'unapplied'> & { kind: string; status: string; issueDate: string | null; credited?: string; unapplied?: string | null };

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

export type Client = ClientView;

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
export type BankTransaction = BankTransactionView;
/** POST /api/bank/statements */
export type StatementImport = ImportResult;
export type { CsvMapping };
export type BankAllocation = AllocationInput;
export type AppliedBankMatch = ReconcileResult['applied'][number];
export type ProposedBankMatch = ProposedMatch;
/** POST /api/bank/reconcile */
export type Reconciliation = ReconcileResult;

// The settings views are the server's own types (type-only imports: nothing of the server is bundled).
import type { MailView, MailSecurity } from '../../src/actions/mail-settings.ts';
import type { AiView, AiProviderKind } from '../../src/ai/providers/settings.ts';
export type { MailView, MailSecurity, AiView, AiProviderKind };
/** Where a setting in force comes from; null when nothing sets it. */
export type SettingSource = MailView['sources']['host'];

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
