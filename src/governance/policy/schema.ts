/**
 * Policies: reusable, declared rules that raise a step's autonomy tier for a case. YAML or JSON,
 * validated, versioned by content like workflows. A step names the policies that apply to it.
 *
 *   id: invoice-send
 *   rules:
 *     - { id: large, type: threshold, value: "output.total", currency: "output.currency", over: { USD: 1000, default: 1000 }, tier: review }
 *     - { id: unsure, type: confidence, below: 0.85, fields: [total], tier: review }
 *     - { id: calibrated, type: confidence, min: calibrated, tier: review }
 *     - { id: totals, type: rule, when: "output.subtotal + output.tax != output.total", message: "totals do not add up", tier: human }
 *     - { id: new-client, type: first_time, namespace: client, key: "output.client.name", tier: review }
 *     - { id: send-limit, type: limit, counter: invoices-sent, max: 50, period: day, tier: review }
 */
import { z } from 'zod';

const slug = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,79}$/i, 'must be letters, digits, "-", "_" or "."');
const expression = z.string().min(1);

/** What a matched rule does: raise the tier to review or human, or stop with an exception. */
const outcome = {
  tier: z.enum(['review', 'human']).optional(),
  action: z.literal('exception').optional(),
  /** who owns the exception or the approval (email or role:<role>) */
  owner: z.string().max(200).optional(),
  message: z.string().max(500).optional(),
};

const thresholdRule = z.object({ id: slug, type: z.literal('threshold'), value: expression, currency: expression.optional(), over: z.union([z.number(), z.record(z.string(), z.number())]), ...outcome }).strict();
/** A confidence bound: a number in [0, 1], or `calibrated` for the skill's own calibrated threshold. */
const confidenceBound = z.union([z.number().min(0).max(1), z.literal('calibrated')], { error: 'must be a number from 0 to 1 or "calibrated"' });
/** Matches when the confidence is under the bound; `min` and `below` say the same, a rule has one. */
const confidenceRule = z
  .object({ id: slug, type: z.literal('confidence'), below: confidenceBound.optional(), min: confidenceBound.optional(), fields: z.array(z.string()).optional(), ...outcome })
  .strict();
const expressionRule = z.object({ id: slug, type: z.literal('rule'), when: expression, ...outcome }).strict();
const firstTimeRule = z.object({ id: slug, type: z.literal('first_time'), namespace: slug, key: expression, ...outcome }).strict();
const limitRule = z
  .object({ id: slug, type: z.literal('limit'), counter: slug, amount: expression.optional(), max: z.number().positive(), period: z.enum(['day', 'week', 'month']), ...outcome })
  .strict();

export const policyRuleSchema = z
  .discriminatedUnion('type', [thresholdRule, confidenceRule, expressionRule, firstTimeRule, limitRule])
  .refine((r) => (r.tier !== undefined) !== (r.action !== undefined), { message: 'a rule needs exactly one of "tier" (review or human) or "action: exception"' })
  .refine((r) => r.type !== 'confidence' || (r.below !== undefined) !== (r.min !== undefined), {
    message: 'a confidence rule needs exactly one of "below" or "min" (a number from 0 to 1, or "calibrated")',
  });
export type PolicyRule = z.infer<typeof policyRuleSchema>;

export const policySchema = z
  .object({
    id: slug,
    name: z.string().max(200).optional(),
    description: z.string().max(2000).optional(),
    rules: z.array(policyRuleSchema).min(1, 'a policy needs at least one rule'),
  })
  .strict();
export type PolicyDefinition = z.infer<typeof policySchema>;
