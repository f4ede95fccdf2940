/** The benchmark workflow: webhook → validate input → compute a field → branch on an amount → respond. */
export const benchWorkflow = {
  id: 'bench-order',
  triggers: [{ type: 'webhook', key: 'bench-order' }, { type: 'manual' }],
  steps: [
    { id: 'validate', type: 'action', action: 'core.validate', input: { data: '{{ input }}', required: ['customer', 'amount'], numbers: ['amount'] } },
    { id: 'compute', type: 'action', action: 'core.set', input: { customer: '{{ input.customer }}', total: '{{ round(input.amount * 1.2, 2) }}' } },
    { id: 'route', type: 'branch', cases: [{ when: 'steps.compute.total > 1000', next: 'review' }], default: 'auto' },
    { id: 'review', type: 'end', output: { customer: '{{ steps.compute.customer }}', total: '{{ steps.compute.total }}', route: 'review' } },
    { id: 'auto', type: 'end', output: { customer: '{{ steps.compute.customer }}', total: '{{ steps.compute.total }}', route: 'auto' } },
  ],
} as const;
