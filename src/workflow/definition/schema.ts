/**
 * The shape of a workflow definition, as zod schemas. YAML, JSON and the TypeScript builder all
 * produce this structure; `parseDefinition` validates it and applies defaults.
 */
import { z } from 'zod';
import { parseDuration } from '../duration.ts';

const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,79}$/i, 'must be letters, digits, "-", "_" or "." (at most 80), starting with a letter or digit');

const duration = z
  .union([z.string(), z.number()])
  .refine((v) => parseDuration(v) !== null, { message: 'must be a duration such as "30s", "15m", "2h", "3d" or "1w"' });

const expression = z.string().min(1, 'must be an expression');

export const tierSchema = z.enum(['auto', 'review', 'human']);
export type Tier = z.infer<typeof tierSchema>;

export const retryPolicySchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(100).default(3),
    initialDelay: duration.default('1s'),
    maxDelay: duration.default('1h'),
    factor: z.number().min(1).max(10).default(2),
  })
  .strict();
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

const stepBase = {
  id: slug,
  name: z.string().max(200).optional(),
  /** the step that follows; default: the next one in the list */
  next: slug.optional(),
};

const actionStep = z
  .object({
    ...stepBase,
    type: z.literal('action'),
    action: z.string().min(1),
    input: z.unknown().optional(),
    retry: retryPolicySchema.optional(),
    /** a proposing action passes the governance gate before the run goes on */
    proposing: z.boolean().optional(),
    tier: tierSchema.optional(),
    /** governance policies whose rules can raise this step's tier (ids) */
    policies: z.array(slug).optional(),
    /** who is asked when a person is needed (a user's email or role:<role>) */
    assignee: z.string().max(200).optional(),
    /** when nobody decided after this long, the task moves to `to` (an email or role:<role>) */
    escalate: z.object({ after: duration, to: z.string().min(1).max(200) }).strict().optional(),
    onReject: slug.optional(),
  })
  .strict();

const aiStep = z
  .object({
    ...stepBase,
    type: z.literal('ai'),
    skill: z.string().min(1),
    input: z.unknown().optional(),
    retry: retryPolicySchema.optional(),
    tier: tierSchema.default('review'),
    policies: z.array(slug).optional(),
    assignee: z.string().max(200).optional(),
    /** when nobody decided after this long, the task moves to `to` (an email or role:<role>) */
    escalate: z.object({ after: duration, to: z.string().min(1).max(200) }).strict().optional(),
    timeout: duration.optional(),
    onReject: slug.optional(),
  })
  .strict();

const approvalStep = z
  .object({
    ...stepBase,
    type: z.literal('approval'),
    /** what the person is asked (a template over run data, e.g. "Pay {{ input.vendor }}?") */
    title: z.string().max(300).optional(),
    assignee: z.string().max(200).optional(),
    /** what the person is asked to approve (a template over run data) */
    data: z.unknown().optional(),
    /** the amount at stake (an expression, in major units), for approvers' amount limits */
    amount: expression.optional(),
    currency: expression.optional(),
    /** the run takes onTimeout (or goes on) when nobody decided by then */
    timeout: duration.optional(),
    onTimeout: slug.optional(),
    onReject: slug.optional(),
    /** when nobody decided after this long, the task moves to `to` (an email or role:<role>) */
    escalate: z.object({ after: duration, to: z.string().min(1).max(200) }).strict().optional(),
  })
  .strict();

const waitStep = z
  .object({
    ...stepBase,
    type: z.literal('wait'),
    /** sleep for this long */
    duration: duration.optional(),
    /** sleep until this instant (an expression giving an ISO date or date-time); with "event": the deadline */
    until: expression.optional(),
    /** wait for a signal to this run, or a domain event, with this name */
    event: z.string().min(1).max(200).optional(),
    /** correlation key: an expression; a domain event with the same name and key wakes the run */
    key: expression.optional(),
    timeout: duration.optional(),
    onTimeout: slug.optional(),
  })
  .strict()
  .refine((s) => [s.duration, s.event === undefined ? s.until : undefined, s.event].filter((v) => v !== undefined).length === 1, {
    message: 'a wait step needs exactly one of "duration", "until" or "event"',
  })
  .refine((s) => s.key === undefined || s.event !== undefined, { message: '"key" goes with "event"', path: ['key'] })
  .refine((s) => s.timeout === undefined || s.event !== undefined, { message: '"timeout" goes with "event"', path: ['timeout'] })
  .refine((s) => s.timeout === undefined || s.until === undefined, { message: 'an event wait ends at "timeout" or "until", not both', path: ['until'] });

const branchStep = z
  .object({
    ...stepBase,
    type: z.literal('branch'),
    cases: z.array(z.object({ when: expression, next: slug }).strict()).min(1, 'a branch needs at least one case'),
    default: slug.optional(),
  })
  .strict();

const endStep = z
  .object({
    ...stepBase,
    type: z.literal('end'),
    output: z.unknown().optional(),
  })
  .strict();

export const stepSchema = z.discriminatedUnion('type', [actionStep, aiStep, approvalStep, waitStep, branchStep, endStep]);
export type StepDefinition = z.infer<typeof stepSchema>;
export type StepType = StepDefinition['type'];
export type ActionStep = z.infer<typeof actionStep>;
export type AiStep = z.infer<typeof aiStep>;
export type ApprovalStep = z.infer<typeof approvalStep>;
export type WaitStep = z.infer<typeof waitStep>;
export type BranchStep = z.infer<typeof branchStep>;
export type EndStep = z.infer<typeof endStep>;

const manualTrigger = z.object({ type: z.literal('manual') }).strict();
const webhookTrigger = z
  .object({
    type: z.literal('webhook'),
    /** the path: POST /hooks/<key> */
    key: slug,
    /** name of the environment variable holding the HMAC-SHA256 secret; unset = unsigned */
    secretEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name').optional(),
  })
  .strict();
const scheduleTrigger = z
  .object({
    type: z.literal('schedule'),
    cron: z.string().min(1),
    timezone: z.string().default('UTC'),
    /** when the process was down at fire time: skip the missed fire, or run once (never a burst) */
    missed: z.enum(['skip', 'once']).default('skip'),
    input: z.unknown().optional(),
  })
  .strict();
const eventTrigger = z
  .object({
    type: z.literal('event'),
    event: z.string().min(1).max(200),
    /** an expression over `event` (name, key, payload); the run starts only when it is true */
    filter: expression.optional(),
  })
  .strict();

export const triggerSchema = z.discriminatedUnion('type', [manualTrigger, webhookTrigger, scheduleTrigger, eventTrigger]);
export type TriggerDefinition = z.infer<typeof triggerSchema>;
export type WebhookTrigger = z.infer<typeof webhookTrigger>;
export type ScheduleTrigger = z.infer<typeof scheduleTrigger>;
export type EventTrigger = z.infer<typeof eventTrigger>;

export const workflowSchema = z
  .object({
    id: slug,
    name: z.string().min(1).max(200).optional(),
    description: z.string().max(2000).optional(),
    /** who handles this workflow's exceptions (an email or role:<role>); default role:admin */
    owner: z.string().max(200).optional(),
    triggers: z.array(triggerSchema).default([{ type: 'manual' }]),
    steps: z.array(stepSchema).min(1, 'a workflow needs at least one step'),
    /** the run's output when it ends by running past the last step (default: that step's output) */
    output: z.unknown().optional(),
  })
  .strict();

export type WorkflowDefinition = z.infer<typeof workflowSchema>;
export type WorkflowDefinitionInput = z.input<typeof workflowSchema>;
