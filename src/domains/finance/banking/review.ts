/**
 * The shipped playbook `bank-match-review`: a proposal below the auto-apply threshold waits in
 * the inbox (an approval step showing the transaction, the invoices, the amounts, the confidence
 * and the reasons; its amount and currency set for approvers' limits); approving runs
 * `finance.apply-match`, which records the payments. Rejecting ends the run: the transaction
 * stays unmatched, for a manual match.
 */
import { z } from 'zod';
import { asNonRetriable } from '../../../core/errors.ts';
import type { Engine } from '../../../workflow/engine.ts';
import type { Registry } from '../../../workflow/registry.ts';
import type { WorkflowDefinitionInput } from '../../../workflow/definition/schema.ts';
import { allocationsSchema, applyMatch, MatchMethod } from './apply.ts';

export const reviewWorkflowId = 'bank-match-review';
export const applyMatchAction = 'finance.apply-match';

export const reviewWorkflow: WorkflowDefinitionInput = {
  id: reviewWorkflowId,
  name: 'Bank match review',
  description: 'A person checks money received that OpsLoop matched to open invoices with less than full confidence; approving records the payments.',
  steps: [
    {
      id: 'review',
      type: 'approval',
      title: 'Match money received to invoices',
      data: '{{ input.proposal }}',
      amount: 'input.proposal.transaction.value',
      currency: 'input.proposal.transaction.currency',
    },
    {
      id: 'apply',
      type: 'action',
      action: applyMatchAction,
      input: {
        transactionId: '{{ input.transactionId }}',
        allocations: '{{ steps.review.allocations }}',
        confidence: '{{ input.proposal.confidence }}',
        reasons: '{{ input.proposal.reasons }}',
      },
    },
  ],
};

const applyInput = z
  .object({
    transactionId: z.string().min(1),
    allocations: allocationsSchema,
    confidence: z.number().min(0).max(1).nullable().optional(),
    reasons: z.array(z.string()).nullable().optional(),
  })
  .strict();

/**
 * Registers `finance.apply-match`. Applying records the payments in the step's transaction; a
 * transaction matched meanwhile (by hand, or by another run) is left alone and said so.
 */
export function registerBanking(registry: Registry, engine: Pick<Engine, 'database' | 'hooks'>): void {
  registry.registerAction<z.infer<typeof applyInput>, unknown>({
    name: applyMatchAction,
    description: 'Applies a bank transaction to invoices: records a payment per allocation and marks the transaction matched.',
    input: applyInput,
    run: async (input, ctx) => {
      const row = await ctx.tx.selectFrom('bank_transactions').select(['status', 'matched_by']).where('id', '=', input.transactionId).executeTakeFirst();
      if (row?.status === 'matched') return { applied: false, reason: `the transaction was matched meanwhile by ${row.matched_by ?? 'someone else'}` };
      try {
        const result = await applyMatch(ctx.tx, { dialect: engine.database.dialect, hooks: engine.hooks }, input.transactionId, input.allocations, {
          method: MatchMethod.review,
          actor: `run:${ctx.runId}`,
          now: ctx.now(),
          ...(input.confidence === undefined || input.confidence === null ? {} : { confidence: input.confidence }),
          ...(input.reasons === undefined || input.reasons === null ? {} : { reasons: input.reasons }),
        });
        return { applied: true, ...result };
      } catch (error) {
        // Bad or stale allocations (an invoice paid meanwhile) will not heal by retrying: a person decides.
        throw asNonRetriable(error, 'BANK_MATCH_FAILED');
      }
    },
  });
}

const saved = new WeakMap<Engine, Promise<unknown>>();

/** Saves the shipped review workflow once per process (same content: same version, nothing new). */
export async function ensureReviewWorkflow(engine: Engine): Promise<void> {
  let pending = saved.get(engine);
  if (pending === undefined) {
    // Added when absent, never overwritten: an owner's edits to the shipped workflow stay.
    pending = engine.workflows.list().then(async (all) => {
      if (!all.some((w) => w.id === reviewWorkflowId)) await engine.addWorkflow(reviewWorkflow);
    });
    saved.set(engine, pending);
  }
  try {
    await pending;
  } catch (error) {
    saved.delete(engine);
    throw error;
  }
}
