/**
 * Checking the reply skill's input at the edge: the intent, the context, the options and the
 * templates. Everything is copied; nothing the caller passed is changed or kept.
 */
import { z } from 'zod';
import { compileTemplate } from '../../workflow/expression/index.ts';
import type { Template } from '../../workflow/expression/index.ts';
import { inputError, replyError, ReplyErrorCode } from './errors.ts';
import type { ReplyContext, ReplyFormatOptions, ReplyTemplate } from './types.ts';

const maxTextChars = 100_000;

const contextSchema = z.object({
  message: z.object({
    from: z.string().max(1_000).optional(),
    subject: z.string().max(2_000).optional(),
    text: z.string().max(maxTextChars),
  }),
  thread: z
    .array(z.object({ from: z.string().max(1_000), text: z.string().max(maxTextChars), at: z.string().max(64).optional() }))
    .max(200)
    .optional(),
  records: z.record(z.string(), z.unknown()).optional(),
});

const slotPath = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

const templateSchema = z.object({
  intent: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be 1–64 lower-case letters, digits or "_", starting with a letter'),
  subject: z.string().max(2_000),
  body: z.string().min(1).max(20_000),
  requires: z.array(z.string().regex(slotPath, 'must be a dotted path such as "invoice.number"')).max(50).optional(),
  purpose: z.string().max(500).optional(),
});

export interface ValidInput {
  intent: string;
  context: ReplyContext & { records: Record<string, unknown> };
  settings: Required<ReplyFormatOptions>;
}

/**
 * The intent as a template key: trimmed, lower case, spaces and hyphens as "_"
 * ("Invoice-Copy" → "invoice_copy"). Throws REPLY_INPUT_INVALID naming `intent`.
 */
export function normaliseIntent(intent: unknown): string {
  if (typeof intent !== 'string') throw inputError('intent', `expected a string, got ${intent === null ? 'null' : typeof intent}`);
  const key = intent.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if (!/^[a-z][a-z0-9_]{0,63}$/.test(key)) {
    throw inputError('intent', `${JSON.stringify(intent.slice(0, 80))} is not an intent name (1–64 letters, digits or "_")`);
  }
  return key;
}

/** Validates and copies the intent, the context and the format options. */
export function validateInput(intent: unknown, context: unknown, options: ReplyFormatOptions): ValidInput {
  const key = normaliseIntent(intent);
  return { intent: key, context: validateContext(context), settings: validateSettings(options) };
}

/** A copy of the context, `records` defaulted to `{}`. Throws REPLY_INPUT_INVALID naming the field. */
export function validateContext(context: unknown): ValidInput['context'] {
  const parsed = contextSchema.safeParse(context);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue === undefined || issue.path.length === 0 ? 'context' : issue.path.map(String).join('.');
    throw inputError(path, issue?.message ?? 'invalid');
  }
  const { message, thread, records } = parsed.data;
  return { message, ...(thread === undefined ? {} : { thread }), records: records ?? {} };
}

export function validateSettings(options: ReplyFormatOptions): Required<ReplyFormatOptions> {
  const settings = { strict: options.strict ?? false, locale: options.locale ?? 'en-US', timeZone: options.timeZone ?? 'UTC' };
  if (typeof settings.strict !== 'boolean') throw inputError('options.strict', 'expected true or false');
  try {
    new Intl.NumberFormat(settings.locale);
  } catch (error) {
    throw inputError('options.locale', `${JSON.stringify(settings.locale)} is not a BCP 47 locale such as "en-US"`, error);
  }
  try {
    new Intl.DateTimeFormat(settings.locale, { timeZone: settings.timeZone });
  } catch (error) {
    throw inputError('options.timeZone', `${JSON.stringify(settings.timeZone)} is not an IANA time zone such as "Europe/Berlin"`, error);
  }
  return settings;
}

export interface CompiledTemplate {
  intent: string;
  subject: Template;
  body: Template;
  requires: string[];
  purpose: string | undefined;
}

/** Compiled templates by content; bounded, since callers may pass new template objects each time. */
const compiled = new Map<string, CompiledTemplate>();
const maxCached = 500;

/**
 * The templates by intent, compiled. Throws REPLY_TEMPLATE_INVALID naming the template and the
 * field for a bad template or a repeated intent.
 */
export function templateCatalogue(templates: readonly ReplyTemplate[]): Map<string, CompiledTemplate> {
  if (!Array.isArray(templates)) throw inputError('templates', 'expected an array of templates');
  const catalogue = new Map<string, CompiledTemplate>();
  templates.forEach((template: unknown, index) => {
    const parsed = templateSchema.safeParse(template);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.map(String).join('.') ?? '';
      throw replyError(ReplyErrorCode.templateInvalid, `Reply template ${index} field "${field}" is invalid: ${issue?.message ?? 'invalid'}`, { index, field });
    }
    const valid = parsed.data;
    if (catalogue.has(valid.intent)) {
      throw replyError(ReplyErrorCode.templateInvalid, `Two reply templates have the intent "${valid.intent}"`, { index, intent: valid.intent });
    }
    catalogue.set(valid.intent, compileOne(valid));
  });
  return catalogue;
}

function compileOne(template: z.infer<typeof templateSchema>): CompiledTemplate {
  const key = JSON.stringify([template.intent, template.subject, template.body, template.requires ?? [], template.purpose ?? null]);
  const cached = compiled.get(key);
  if (cached !== undefined) return cached;
  const compile = (field: 'subject' | 'body'): Template => {
    try {
      return compileTemplate(template[field]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw replyError(ReplyErrorCode.templateInvalid, `Reply template "${template.intent}" has a bad ${field}: ${reason}`, { intent: template.intent, field }, error);
    }
  };
  const result: CompiledTemplate = {
    intent: template.intent,
    subject: compile('subject'),
    body: compile('body'),
    requires: [...(template.requires ?? [])],
    purpose: template.purpose,
  };
  if (compiled.size >= maxCached) compiled.clear();
  compiled.set(key, result);
  return result;
}
