/** Built-in deterministic actions every workflow can use. */
import { z } from 'zod';
import { NonRetriableError } from '../core/errors.ts';
import type { ActionDefinition } from '../workflow/registry.ts';

/** Returns its input: the way to compute fields with templates ("total": "{{ input.qty * input.price }}"). */
export const setAction: ActionDefinition<Record<string, unknown>, Record<string, unknown>> = {
  name: 'core.set',
  description: 'Outputs its input; use templates to compute fields from earlier steps.',
  input: z.record(z.string(), z.unknown()),
  pure: true,
  run: (input) => input,
};

const validateInput = z
  .object({
    data: z.record(z.string(), z.unknown()),
    required: z.array(z.string()).default([]),
    numbers: z.array(z.string()).default([]),
  })
  .strict();

/** Checks that fields are present (and numeric where asked); a failure stops the run with the field named. */
export const validateAction: ActionDefinition<z.infer<typeof validateInput>, Record<string, unknown>> = {
  name: 'core.validate',
  description: 'Checks required and numeric fields of `data`; outputs `data` when it is valid.',
  input: validateInput,
  pure: true,
  run: ({ data, required, numbers }) => {
    for (const field of required) {
      const value = data[field];
      if (value === undefined || value === null || value === '') {
        throw new NonRetriableError(`Field "${field}" is required`, { code: 'VALIDATION_FAILED', details: { path: field } });
      }
    }
    for (const field of numbers) {
      const value = data[field];
      if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
        throw new NonRetriableError(`Field "${field}" must be a number, got ${JSON.stringify(value)}`, { code: 'VALIDATION_FAILED', details: { path: field } });
      }
    }
    return data;
  },
};

const emitInput = z.object({ name: z.string().min(1), key: z.union([z.string(), z.number()]).nullable().default(null), payload: z.unknown().optional() }).strict();

/** Emits a domain event in the step's transaction. */
export const emitAction: ActionDefinition<z.infer<typeof emitInput>, { emitted: string }> = {
  name: 'event.emit',
  description: 'Emits a domain event (name, correlation key, payload).',
  input: emitInput,
  run: async ({ name, key, payload }, ctx) => {
    await ctx.emit(name, key === null ? null : String(key), payload ?? null);
    return { emitted: name };
  },
};
