/**
 * The shipped playbook for recurring invoices and the policy its proposing step names. Both are
 * saved once, when missing; after that they are the business's to change (a new workflow version,
 * a new policy version) and are never overwritten.
 *
 *   invoice   finance.recurring.create (proposing: the gate decides auto or review)
 *   has-email branch: no email on the template → the invoice stays a draft for a person to send
 *   send      finance.send to the template's email (through the outbox: once)
 */
import type { PolicyDefinition } from '../../../governance/index.ts';
import type { WorkflowDefinitionInput } from '../../../workflow/index.ts';
import { recurringWorkflowId } from './templates.ts';

export const recurringPolicyId = 'recurring-invoices';

export const recurringWorkflow: WorkflowDefinitionInput = {
  id: recurringWorkflowId,
  name: 'Recurring invoice',
  description: "One period of a recurring invoice: the numbered invoice, then the email to the template's address.",
  steps: [
    {
      id: 'invoice',
      name: 'Invoice for the period',
      type: 'action',
      action: 'finance.recurring.create',
      input: { template: '{{ input.template }}', period: '{{ input.period }}' },
      proposing: true,
      tier: 'auto',
      policies: [recurringPolicyId],
    },
    { id: 'has-email', type: 'branch', cases: [{ when: 'steps.invoice.email != null', next: 'send' }], default: 'done' },
    { id: 'send', type: 'action', action: 'finance.send', input: { document: '{{ steps.invoice.number }}', to: '{{ steps.invoice.email }}' }, next: 'done' },
    { id: 'done', type: 'end', output: { invoice: '{{ steps.invoice.number }}', period: '{{ input.period }}' } },
  ],
};

/**
 * By default a person checks the first invoice of each template; once approved, the following
 * periods go out on their own. Tighten it (e.g. a rule that is always true) to review every one.
 */
export const recurringPolicy: PolicyDefinition = {
  id: recurringPolicyId,
  name: 'Recurring invoices',
  description: 'When a person looks at a recurring invoice before it is sent.',
  rules: [{ id: 'first-invoice', type: 'first_time', namespace: 'recurring-template', key: 'output.recurring.template', tier: 'review', message: 'the first invoice of this recurring invoice' }],
};
