import type { Registry } from '../workflow/registry.ts';
import { emitAction, setAction, validateAction } from './core.ts';
import { createEmailEffect, emailPayload, messageIdFor, sendEmailAction } from './email.ts';
import { httpEffect, httpRequestAction } from './http.ts';

export { setAction, validateAction, emitAction, httpRequestAction, httpEffect, sendEmailAction, createEmailEffect, emailPayload, messageIdFor };

/** Registers the built-in actions and effect handlers. */
export function registerBuiltinActions(registry: Registry, mail: { smtpUrl: string | undefined; from: string }): void {
  registry
    .registerAction(setAction)
    .registerAction(validateAction)
    .registerAction(emitAction)
    .registerAction(httpRequestAction)
    .registerAction(sendEmailAction)
    .registerEffect(httpEffect)
    .registerEffect(createEmailEffect(mail));
}
