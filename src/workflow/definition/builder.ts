/**
 * The typed TypeScript way to declare a workflow. It produces exactly the structure a YAML or
 * JSON file gives, and is checked by the same validator.
 *
 * @example
 * const definition = defineWorkflow({ id: 'greet', triggers: [{ type: 'manual' }] })
 *   .action('hello', 'core.set', { input: { message: 'Hello {{ input.name }}' } })
 *   .end('done', { output: '{{ steps.hello.message }}' })
 *   .build();
 */
import type { z } from 'zod';
import { parseDefinition, type DefinitionCatalog } from './parse.ts';
import type { stepSchema, WorkflowDefinition, WorkflowDefinitionInput } from './schema.ts';

type StepInput = z.input<typeof stepSchema>;
type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type StepOptions<T extends StepInput['type']> = Without<Extract<StepInput, { type: T }>, 'id' | 'type'>;

export class WorkflowBuilder {
  readonly #head: Omit<WorkflowDefinitionInput, 'steps'>;
  readonly #steps: StepInput[] = [];

  constructor(head: Omit<WorkflowDefinitionInput, 'steps'>) {
    this.#head = { ...head };
  }

  step(step: StepInput): this {
    this.#steps.push({ ...step });
    return this;
  }
  action(id: string, action: string, options: Omit<StepOptions<'action'>, 'action'> = {}): this {
    return this.step({ id, type: 'action', action, ...options });
  }
  ai(id: string, skill: string, options: Omit<StepOptions<'ai'>, 'skill'> = {}): this {
    return this.step({ id, type: 'ai', skill, ...options });
  }
  approval(id: string, options: StepOptions<'approval'> = {}): this {
    return this.step({ id, type: 'approval', ...options });
  }
  wait(id: string, options: StepOptions<'wait'>): this {
    return this.step({ id, type: 'wait', ...options } as StepInput);
  }
  branch(id: string, cases: { when: string; next: string }[], options: Omit<StepOptions<'branch'>, 'cases'> = {}): this {
    return this.step({ id, type: 'branch', cases, ...options });
  }
  end(id: string, options: StepOptions<'end'> = {}): this {
    return this.step({ id, type: 'end', ...options });
  }

  /** Validates and returns the definition (throws WORKFLOW_INVALID naming the bad field). */
  build(catalog?: DefinitionCatalog): WorkflowDefinition {
    return parseDefinition({ ...this.#head, steps: this.#steps }, catalog);
  }
}

export function defineWorkflow(head: Omit<WorkflowDefinitionInput, 'steps'>): WorkflowBuilder {
  return new WorkflowBuilder(head);
}
