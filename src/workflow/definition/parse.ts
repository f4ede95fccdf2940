/**
 * Reading and checking workflow definitions. Errors name the path of the bad field
 * (`steps[2].action`), and nothing is stored unless the whole definition is valid.
 */
import { Cron } from 'croner';
import YAML from 'yaml';
import type { z } from 'zod';
import { ValidationError, OpsLoopError } from '../../core/errors.ts';
import { canonicalJson, sha256Hex } from '../../core/json.ts';
import { compileTemplate, parseExpression } from '../expression/index.ts';
import { workflowSchema, type StepDefinition, type WorkflowDefinition } from './schema.ts';

/** What the definition checker needs to know about the registries. */
export interface DefinitionCatalog {
  hasAction(name: string): boolean;
  hasSkill(name: string): boolean;
}

/** `steps[2].action` from ['steps', 2, 'action']. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

function invalid(path: ReadonlyArray<PropertyKey>, message: string, cause?: unknown): ValidationError {
  const where = formatPath(path);
  return new ValidationError('WORKFLOW_INVALID', `Workflow definition is invalid at ${where}: ${message}`, {
    details: { path: where },
    cause,
  });
}

function firstZodIssue(error: z.ZodError): ValidationError {
  const issue = error.issues[0];
  if (issue === undefined) return invalid([], 'invalid');
  // Discriminated unions report an unknown "type" with the allowed values: say so plainly.
  return invalid(issue.path, issue.message);
}

/** Parses YAML or JSON text (JSON is YAML) into a definition. */
export function parseDefinitionText(text: string, catalog?: DefinitionCatalog): WorkflowDefinition {
  let raw: unknown;
  try {
    raw = YAML.parse(text, { prettyErrors: true, maxAliasCount: 100 });
  } catch (error) {
    throw new ValidationError('WORKFLOW_SYNTAX', `Workflow file is not valid YAML or JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseDefinition(raw, catalog);
}

/** Validates a definition object, applies defaults, and checks references and expressions. */
export function parseDefinition(raw: unknown, catalog?: DefinitionCatalog): WorkflowDefinition {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalid([], 'a workflow definition must be an object with "id" and "steps"');
  }
  const parsed = workflowSchema.safeParse(raw);
  if (!parsed.success) throw firstZodIssue(parsed.error);
  const definition = parsed.data;
  checkSemantics(definition, catalog);
  return definition;
}

function checkSemantics(definition: WorkflowDefinition, catalog: DefinitionCatalog | undefined): void {
  const ids = new Map<string, number>();
  definition.steps.forEach((step, index) => {
    if (ids.has(step.id)) throw invalid(['steps', index, 'id'], `step id "${step.id}" is used twice (also steps[${ids.get(step.id)}])`);
    ids.set(step.id, index);
  });
  const checkRef = (path: PropertyKey[], target: string | undefined): void => {
    if (target !== undefined && !ids.has(target)) throw invalid(path, `there is no step "${target}"`);
  };
  const checkExpression = (path: PropertyKey[], source: string | undefined): void => {
    if (source === undefined) return;
    try {
      parseExpression(source);
    } catch (error) {
      throw invalid(path, error instanceof Error ? error.message : String(error), error);
    }
  };
  const checkTemplate = (path: PropertyKey[], value: unknown): void => {
    if (value === undefined) return;
    try {
      compileTemplate(value);
    } catch (error) {
      const inner = error instanceof OpsLoopError && typeof error.details?.path === 'string' ? error.details.path : '';
      const fullPath = inner === '' || inner === '(root)' ? path : [...path, ...inner.split('.')];
      throw invalid(fullPath, error instanceof Error ? error.message : String(error), error);
    }
  };

  definition.steps.forEach((step: StepDefinition, index) => {
    const at = (...rest: PropertyKey[]): PropertyKey[] => ['steps', index, ...rest];
    checkRef(at('next'), step.next);
    switch (step.type) {
      case 'action':
        if (catalog !== undefined && !catalog.hasAction(step.action)) throw invalid(at('action'), `unknown action "${step.action}"`);
        checkTemplate(at('input'), step.input);
        checkRef(at('onReject'), step.onReject);
        break;
      case 'ai':
        if (catalog !== undefined && !catalog.hasSkill(step.skill)) throw invalid(at('skill'), `unknown AI skill "${step.skill}"`);
        checkTemplate(at('input'), step.input);
        checkRef(at('onReject'), step.onReject);
        break;
      case 'approval':
        checkTemplate(at('data'), step.data);
        checkExpression(at('amount'), step.amount);
        checkExpression(at('currency'), step.currency);
        checkRef(at('onTimeout'), step.onTimeout);
        checkRef(at('onReject'), step.onReject);
        break;
      case 'wait':
        checkExpression(at('until'), step.until);
        checkExpression(at('key'), step.key);
        checkRef(at('onTimeout'), step.onTimeout);
        break;
      case 'branch':
        step.cases.forEach((c, ci) => {
          checkExpression(at('cases', ci, 'when'), c.when);
          checkRef(at('cases', ci, 'next'), c.next);
        });
        checkRef(at('default'), step.default);
        break;
      case 'end':
        checkTemplate(at('output'), step.output);
        break;
      default: {
        const never: never = step;
        throw invalid(at('type'), `unknown step type ${String((never as { type: unknown }).type)}`);
      }
    }
  });
  checkTemplate(['output'], definition.output);

  definition.triggers.forEach((trigger, index) => {
    if (trigger.type === 'schedule') {
      try {
        new Cron(trigger.cron, { timezone: trigger.timezone, paused: true });
      } catch (error) {
        throw invalid(['triggers', index, 'cron'], `not a valid cron expression or time zone: ${(error as Error).message}`, error);
      }
      if (!isValidTimeZone(trigger.timezone)) throw invalid(['triggers', index, 'timezone'], `unknown time zone "${trigger.timezone}"`);
    } else if (trigger.type === 'event') {
      checkExpression(['triggers', index, 'filter'], trigger.filter);
    }
  });
  const hookKeys = new Set<string>();
  definition.triggers.forEach((trigger, index) => {
    if (trigger.type !== 'webhook') return;
    if (hookKeys.has(trigger.key)) throw invalid(['triggers', index, 'key'], `webhook key "${trigger.key}" is used twice`);
    hookKeys.add(trigger.key);
  });
}

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The content hash of a normalised definition: equal content, equal version. */
export function definitionHash(definition: WorkflowDefinition): string {
  return sha256Hex(canonicalJson(definition));
}
