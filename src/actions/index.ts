import type { Registry } from '../workflow/registry.ts';
import { emitAction, setAction, validateAction } from './core.ts';
import { httpEffect, httpRequestAction } from './http.ts';

export { setAction, validateAction, emitAction, httpRequestAction, httpEffect };

/** Registers the built-in actions and effect handlers. */
export function registerBuiltinActions(registry: Registry): void {
  registry.registerAction(setAction).registerAction(validateAction).registerAction(emitAction).registerAction(httpRequestAction).registerEffect(httpEffect);
}
