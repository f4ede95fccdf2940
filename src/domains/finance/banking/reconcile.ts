/**
 * Reconciliation: every incoming transaction not yet matched is matched against the open
 * invoices (sent, partially paid, overdue). A proposal at or above the threshold is applied at
 * once; one below it goes to the inbox as a `bank-match-review` run, one per transaction (the
 * idempotency key is the transaction's), so running reconciliation again opens no second task.
 * Money proposed for review is held back from the invoices it names, so two transactions are not
 * proposed for the same money in one pass. The threshold in force is read at each call: Settings →
 * Bank reconciliation over OPSLOOP_RECONCILE_THRESHOLD (see ./settings.ts).
 */
import { ConflictError, OpsLoopError, ValidationError } from '../../../core/errors.ts';
import { parseJsonColumn, toJsonColumn } from '../../../core/json.ts';
import { formatMinor, parseDecimalToMinor } from '../../../ai/draft/money/index.ts';
import type { Engine } from '../../../workflow/engine.ts';
import { RunStatus } from '../../../workflow/states.ts';
import { applyMatch, MatchMethod, type AllocationInput, type AppliedMatch } from './apply.ts';
import { proposeMatch, type OpenInvoice, type Proposal } from './match.ts';
import { ensureReviewWorkflow, reviewWorkflowId } from './review.ts';
import { bankingSettings, type BankingSource } from './settings.ts';

/**
 * The default confidence at or above which a match is applied without asking: reached only when
 * the invoice number is in the payment's reference and the amount settles exactly what is owed.
 */
export const defaultAutoApplyThreshold = 0.9;

export interface ReconcileOptions {
  /** 0..1 (1: apply nothing, ask about every match), for this call only (`--threshold`, the API's `threshold`); otherwise the one in force: Settings over `environmentThreshold` */
  threshold?: number;
  /** OPSLOOP_RECONCILE_THRESHOLD, what applies when Settings store none; default {@link defaultAutoApplyThreshold} */
  environmentThreshold?: number;
  /** who is reconciling, for the audit trail */
  actor?: string;
}

/** What the inbox shows for a proposal (the approval step's data). */
export interface ReviewProposal {
  transaction: { id: string; date: string; amount: string; value: number; currency: string; counterparty: string | null; reference: string | null; description: string | null };
  invoices: { number: string; client: string; issueDate: string; outstanding: string }[];
  allocations: AllocationInput[];
  unallocated: string;
  kind: Proposal['kind'];
  confidence: number;
  reasons: string[];
}

export interface ProposedMatch extends ReviewProposal {
  runId: string;
  /** the inbox task that waits for a person (null once decided) */
  taskId: string | null;
  /** false when the task was opened by an earlier reconciliation */
  created: boolean;
}

export interface ReconcileResult {
  threshold: number;
  /** where the threshold came from: this call, Settings, or the environment */
  thresholdSource: 'request' | BankingSource;
  applied: (AppliedMatch & { reasons: string[] })[];
  proposed: ProposedMatch[];
  /** incoming transactions still without a match or a proposal (including proposals a person rejected) */
  unmatched: number;
}

const openStatuses = ['sent', 'partially_paid', 'overdue'];
const activeRun = new Set<string>([RunStatus.queued, RunStatus.running, RunStatus.waiting]);

/**
 * Matches unmatched money in to open invoices; applies confident matches, asks a person about the rest.
 *
 * ### Examples
 * ```ts
 * const { applied, proposed, unmatched } = await reconcile(app.engine, { environmentThreshold: app.config.reconcileThreshold });
 * ```
 */
export async function reconcile(engine: Engine, options: ReconcileOptions = {}): Promise<ReconcileResult> {
  const inForce = options.threshold === undefined ? await bankingSettings(engine.database).current(options.environmentThreshold ?? defaultAutoApplyThreshold) : null;
  const threshold = inForce?.reconcileThreshold ?? options.threshold ?? defaultAutoApplyThreshold;
  const thresholdSource = inForce?.sources.reconcileThreshold ?? 'request';
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) {
    throw new ValidationError('BANK_THRESHOLD_INVALID', `The auto-apply threshold must be between 0 and 1 (got ${threshold})`, { details: { path: 'threshold' } });
  }
  const actor = options.actor ?? 'system';
  const db = engine.database.db;
  await ensureReviewWorkflow(engine);
  const credits = await db.selectFrom('bank_transactions').selectAll().where('status', '=', 'unmatched').where('amount_minor', '>', 0).orderBy('booked_on').orderBy('id').execute();
  const invoices = await loadOpenInvoices(engine);
  const runIds = credits.map((c) => c.review_run_id).filter((id): id is string => id !== null);
  const runs = new Map<string, string>();
  const tasks = new Map<string, string>();
  for (let i = 0; i < runIds.length; i += 500) {
    const chunk = runIds.slice(i, i + 500);
    for (const run of await db.selectFrom('runs').select(['id', 'status']).where('id', 'in', chunk).execute()) runs.set(run.id, run.status);
    for (const task of await db.selectFrom('approval_tasks').select(['id', 'run_id']).where('run_id', 'in', chunk).where('status', '=', 'open').execute()) tasks.set(task.run_id, task.id);
  }
  const result: ReconcileResult = { threshold, thresholdSource, applied: [], proposed: [], unmatched: 0 };
  /** Money of each invoice held for proposals waiting in the inbox. */
  const held = new Map<string, bigint>();
  const reserve = (allocations: { invoice: string; amount: string }[], currency: string, hold: boolean): void => {
    for (const allocation of allocations) {
      const invoice = invoices.find((i) => i.number === allocation.invoice && i.currency === currency);
      if (invoice === undefined) continue;
      const minor = parseDecimalToMinor(allocation.amount, currency);
      invoice.outstandingMinor -= minor;
      if (hold) held.set(invoice.number, (held.get(invoice.number) ?? 0n) + minor);
    }
  };
  // Proposals already waiting for a person hold their money first.
  for (const credit of credits) {
    if (credit.review_run_id === null || !activeRun.has(runs.get(credit.review_run_id) ?? '')) continue;
    const stored = parseJsonColumn<ReviewProposal>(credit.proposal);
    if (stored !== null) reserve(stored.allocations, credit.currency, true);
  }
  for (const credit of credits) {
    if (credit.review_run_id !== null) {
      const stored = parseJsonColumn<ReviewProposal>(credit.proposal);
      if (activeRun.has(runs.get(credit.review_run_id) ?? '') && stored !== null) {
        result.proposed.push({ ...stored, runId: credit.review_run_id, taskId: tasks.get(credit.review_run_id) ?? null, created: false });
      } else {
        // A person rejected the proposal (or applying it failed): it waits for a manual match.
        result.unmatched += 1;
      }
      continue;
    }
    const incoming = { id: credit.id, date: credit.booked_on, amountMinor: BigInt(credit.amount_minor), currency: credit.currency, description: credit.description, reference: credit.reference, counterparty: credit.counterparty };
    const proposal = proposeMatch(incoming, invoices.filter((i) => i.outstandingMinor > 0n));
    if (proposal === null) {
      result.unmatched += 1;
      continue;
    }
    const allocations = proposal.allocations.map((a) => ({ invoice: a.invoice, amount: formatMinor(a.amountMinor, credit.currency) }));
    const reasons = [...proposal.reasons];
    for (const allocation of allocations) {
      const amount = held.get(allocation.invoice);
      if (amount !== undefined) reasons.push(`${formatMinor(amount, credit.currency)} ${credit.currency} of ${allocation.invoice} is counted as paid by a proposal waiting in the inbox`);
    }
    // 1 means "always ask a person": even a perfect score (1.00) is only evidence.
    if (threshold < 1 && proposal.confidence >= threshold && proposal.unallocatedMinor === 0n) {
      try {
        const applied = await engine.committer.unit((tx) =>
          applyMatch(tx, { dialect: engine.database.dialect, hooks: engine.hooks }, credit.id, allocations, { method: MatchMethod.auto, actor, now: engine.clock.now(), confidence: proposal.confidence, reasons }),
        );
        reserve(allocations, credit.currency, false);
        result.applied.push({ ...applied, reasons });
        continue;
      } catch (error) {
        // Another process matched it first: nothing to do here.
        if (error instanceof ConflictError && error.code === 'BANK_TRANSACTION_MATCHED') continue;
        if (!(error instanceof OpsLoopError)) throw error;
        reasons.push(`applying it automatically failed: ${error.message}`);
      }
    }
    const review: ReviewProposal = {
      transaction: { id: credit.id, date: credit.booked_on, amount: formatMinor(credit.amount_minor, credit.currency), value: Number(formatMinor(credit.amount_minor, credit.currency)), currency: credit.currency, counterparty: credit.counterparty, reference: credit.reference, description: credit.description },
      invoices: proposal.allocations.map((a) => {
        const invoice = invoices.find((i) => i.documentId === a.documentId) as OpenInvoice;
        return { number: invoice.number, client: invoice.clientName, issueDate: invoice.issueDate, outstanding: formatMinor(invoice.outstandingMinor, invoice.currency) };
      }),
      allocations,
      unallocated: formatMinor(proposal.unallocatedMinor, credit.currency),
      kind: proposal.kind,
      confidence: proposal.confidence,
      reasons,
    };
    // Another process may have matched it since this one read it: then there is nothing to ask.
    const current = await db.selectFrom('bank_transactions').select('status').where('id', '=', credit.id).executeTakeFirst();
    if (current?.status !== 'unmatched') continue;
    const started = await engine.startRun(reviewWorkflowId, { transactionId: credit.id, proposal: review }, { idempotencyKey: `bank-match:${credit.id}`, trigger: { type: 'bank-reconcile', actor } });
    await engine.committer.unit((tx) => tx.updateTable('bank_transactions').set({ review_run_id: started.runId, proposal: toJsonColumn(review) }).where('id', '=', credit.id).where('status', '=', 'unmatched').execute());
    reserve(allocations, credit.currency, true);
    const task = await db.selectFrom('approval_tasks').select('id').where('run_id', '=', started.runId).where('status', '=', 'open').executeTakeFirst();
    result.proposed.push({ ...review, runId: started.runId, taskId: task?.id ?? null, created: started.created });
  }
  // Payments recorded here may wake runs waiting for them.
  if (result.applied.length > 0) engine.wake();
  return result;
}

async function loadOpenInvoices(engine: Engine): Promise<OpenInvoice[]> {
  const rows = await engine.database.db
    .selectFrom('documents')
    .innerJoin('counterparties', 'counterparties.id', 'documents.counterparty_id')
    .select(['documents.id', 'documents.number', 'documents.currency', 'documents.issue_date', 'documents.total_minor', 'documents.paid_minor', 'counterparties.name as client_name'])
    .where('documents.kind', '=', 'invoice')
    .where('documents.status', 'in', openStatuses)
    .execute();
  return rows
    .map((r) => ({ documentId: r.id, number: r.number, clientName: r.client_name, currency: r.currency, issueDate: r.issue_date, outstandingMinor: BigInt(r.total_minor) - BigInt(r.paid_minor) }))
    .filter((i) => i.outstandingMinor > 0n);
}

/**
 * A person's own match: the invoices and amounts they chose. A review still open for the
 * transaction stays in the inbox; approving it later changes nothing (its action finds the
 * transaction matched and says so). Cancelling the run instead would leave its inbox task open.
 */
export async function matchManually(engine: Engine, transactionId: string, allocations: AllocationInput[], options: { actor?: string } = {}): Promise<AppliedMatch> {
  const actor = options.actor ?? 'system';
  const applied = await engine.committer.unit((tx) => applyMatch(tx, { dialect: engine.database.dialect, hooks: engine.hooks }, transactionId, allocations, { method: MatchMethod.manual, actor, now: engine.clock.now() }));
  engine.wake();
  return applied;
}
