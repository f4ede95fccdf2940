/** Recurring invoices: templates, their schedules, the periodic check and the shipped playbook. */
export { RecurringInvoices, type RecurringDeps, type StartedPeriod } from './service.ts';
export { registerRecurring, type RecurringInvoice } from './actions.ts';
export { parseTemplateInput, recurringWorkflowId, templateInput, type PeriodView, type TemplateInput, type TemplateView } from './templates.ts';
export { describeSchedule, duePeriods, firstPeriod, isPeriodOf, localDate, nextPeriod, type Schedule } from './schedule.ts';
export { recurringPolicy, recurringPolicyId, recurringWorkflow } from './workflow.ts';
