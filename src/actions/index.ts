import type { Registry } from '../workflow/registry.ts';
import { emitAction, setAction, validateAction } from './core.ts';
import { createEmailEffect, createMailer, emailPayload, messageIdFor, sendEmailAction, type MailConfig, type MailConfigSource, type Mailer } from './email.ts';
import { httpEffect, httpRequestAction } from './http.ts';

export { setAction, validateAction, emitAction, httpRequestAction, httpEffect, sendEmailAction, createEmailEffect, createMailer, emailPayload, messageIdFor, type Mailer, type MailConfig, type MailConfigSource };
export { MailSecurity, MailSettings, MailTestError, mailSettings, mailSettingsInput, readStoredMail, resolveMail, saveMailSettings, sendTestEmail, storedView, type MailSettingsInput, type MailView, type SettingSource, type StoredMail } from './mail-settings.ts';

/** Registers the built-in actions and effect handlers. */
export function registerBuiltinActions(registry: Registry, mailer: Mailer): void {
  registry
    .registerAction(setAction)
    .registerAction(validateAction)
    .registerAction(emitAction)
    .registerAction(httpRequestAction)
    .registerAction(sendEmailAction)
    .registerEffect(httpEffect)
    .registerEffect(createEmailEffect(mailer));
}
