/**
 * The built-in reply drafter: offline and deterministic. The intent chooses the template; the
 * records fill its slots; the customer's message only gives the subject ("Re: …") and, when no
 * record names the client, the sender's display name for the greeting. Nothing in the message
 * can choose the template or add a sentence.
 */
import { OpsLoopError } from '../../core/errors.ts';
import { renderTemplate } from '../../workflow/expression/index.ts';
import type { Template } from '../../workflow/expression/index.ts';
import { statesAmountOrPromise } from './check.ts';
import { replyError, ReplyErrorCode } from './errors.ts';
import { displayRecords, isEmptySlot, isPlainObject, senderName, setAt, valueAt } from './format.ts';
import { templateCatalogue, validateInput } from './input.ts';
import type { CompiledTemplate, ValidInput } from './input.ts';
import { defaultTemplates } from './templates.ts';
import { ReplyConfidence } from './types.ts';
import type { DraftReply, ReplyContext, ReplyFormatOptions, ReplyTemplate } from './types.ts';

/** The intent used when a requested one has no template. */
export const fallbackIntent = 'general';

/** Everything a draft is made from; the LLM path reuses it. */
export interface PreparedReply {
  input: ValidInput;
  template: CompiledTemplate;
  /** Whether the requested intent had its own template. */
  knownIntent: boolean;
  /** The records with readable money and dates. */
  display: Record<string, unknown>;
  missing: string[];
  /** The template draft. */
  draft: DraftReply;
}

/**
 * A reply drafted from the template for `intent`, with slots filled from `context.records`.
 * Never sends anything. Throws REPLY_INPUT_INVALID (naming the field), REPLY_INTENT_UNKNOWN
 * (strict mode, or no `general` template), REPLY_TEMPLATE_INVALID.
 *
 * @example
 * draftReplyFromTemplate('invoice_copy', {
 *   message: { from: 'Jane Smith <jane@example.com>', subject: 'Invoice please', text: 'Can you resend it?' },
 *   records: { invoice: { number: 'INV-1042', totalMinor: 125000, currency: 'USD' }, business: { name: 'Acme Ltd' } },
 * });
 * // { intent: 'invoice_copy', subject: 'Re: Invoice please', body: 'Hello Jane Smith,\n\n… invoice INV-1042 for $1,250.00 …',
 * //   missing: [], provider: 'builtin', confidence: 0.9 }
 */
export function draftReplyFromTemplate(
  intent: string,
  context: ReplyContext,
  templates: ReplyTemplate[] = defaultTemplates,
  options: ReplyFormatOptions = {},
): DraftReply {
  return prepareReply(intent, context, templates, options).draft;
}

export function prepareReply(intent: string, context: ReplyContext, templates: readonly ReplyTemplate[], options: ReplyFormatOptions): PreparedReply {
  const input = validateInput(intent, context, options);
  const catalogue = templateCatalogue(templates);
  const own = catalogue.get(input.intent);
  const template = own ?? (input.settings.strict ? undefined : catalogue.get(fallbackIntent));
  if (template === undefined) {
    const why = input.settings.strict ? 'strict mode is on' : `there is no "${fallbackIntent}" template either`;
    throw replyError(ReplyErrorCode.intentUnknown, `No reply template for the intent "${input.intent}", and ${why}`, { intent: input.intent });
  }
  const display = displayRecords(input.context.records, input.settings);
  const scope = replyScope(input, display);
  const missing = template.requires.filter((path) => isEmptySlot(valueAt(scope, path)));
  // A missing fact is shown where it belongs, for the person who completes the draft.
  for (const path of missing) setAt(scope, path, `[${path}]`);

  const subject = singleLine(render(template, 'subject', template.subject, scope)) || (scope['reSubject'] as string | null) || 'Your message';
  const body = tidy(render(template, 'body', template.body, scope));
  return {
    input,
    template,
    knownIntent: own !== undefined,
    display,
    missing,
    draft: { intent: template.intent, subject, body, missing, provider: 'builtin', confidence: replyConfidence(ReplyConfidence.template, template.intent, own !== undefined, missing) },
  };
}

/** The confidence rules, shared with the LLM path: the lowest that applies. */
export function replyConfidence(base: number, intent: string, knownIntent: boolean, missing: readonly string[]): number {
  let confidence = base;
  if (intent === fallbackIntent) confidence = Math.min(confidence, knownIntent ? ReplyConfidence.general : ReplyConfidence.unknownIntent);
  if (missing.length > 0) confidence = Math.min(confidence, ReplyConfidence.missingSlots);
  return confidence;
}

function replyScope(input: ValidInput, display: Record<string, unknown>): Record<string, unknown> {
  const { message } = input.context;
  const client = display['client'];
  const business = display['business'];
  const name = firstText(isPlainObject(client) ? [client['contactName'], client['name']] : []) ?? senderName(message.from);
  const signature = firstText(isPlainObject(business) ? [business['signature'], business['name']] : []);
  return {
    ...display,
    raw: input.context.records,
    intent: input.intent,
    name: name ?? null,
    greeting: name === undefined ? 'Hello,' : `Hello ${name},`,
    signoff: signature === undefined ? 'Kind regards,' : `Kind regards,\n${signature}`,
    reSubject: replySubject(message.subject) ?? null,
  };
}

function firstText(values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return undefined;
}

/**
 * "Re: " + the subject on one line, unless it already starts with a reply prefix. A subject that
 * states an amount or a promise ("Your 50% refund is approved") is not echoed: our reply would
 * seem to confirm it. The template's own subject is used instead.
 */
export function replySubject(subject: string | undefined): string | undefined {
  const line = singleLine(subject ?? '').slice(0, 200);
  if (line === '' || statesAmountOrPromise(line)) return undefined;
  return /^(?:re|aw|sv|antw)\s*:/i.test(line) ? line : `Re: ${line}`;
}

function singleLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function render(template: CompiledTemplate, field: 'subject' | 'body', compiled: Template, scope: Record<string, unknown>): string {
  let value: unknown;
  try {
    value = renderTemplate(compiled, scope);
  } catch (error) {
    const reason = error instanceof OpsLoopError || error instanceof Error ? error.message : String(error);
    throw replyError(ReplyErrorCode.templateInvalid, `Reply template "${template.intent}" failed to render its ${field}: ${reason}`, { intent: template.intent, field }, error);
  }
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value as number | boolean);
}

/** Cleans what empty slots leave behind: doubled spaces, a space before punctuation, blank lines. */
function tidy(text: string): string {
  return tidyLines(text.replace(/(\S) {2,}/g, '$1 ').replace(/ +([.,;:!?])/g, '$1'));
}

/** Trailing spaces and runs of blank lines removed; line breaks as "\n". */
export function tidyLines(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((line) => line.trimEnd());
  const kept: string[] = [];
  for (const line of lines) {
    if (line === '' && (kept.length === 0 || kept[kept.length - 1] === '')) continue;
    kept.push(line);
  }
  while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop();
  return kept.join('\n');
}
