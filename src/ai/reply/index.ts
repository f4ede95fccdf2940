/**
 * DRAFT skill, reply part: a reply to a customer message, per intent. Offline, a template whose
 * slots are filled from the business's records; with an LLM when one is configured, checked
 * against the same records and falling back to the template draft. A draft is never sent here:
 * the workflow decides what happens to it, and the governance gate whether a person looks first
 * (a draft with missing facts, an unknown intent or an LLM author has a lower confidence).
 *
 * @example
 * const reply = await draftReply('invoice_copy', {
 *   message: { from: 'Jane Smith <jane@example.com>', subject: 'Invoice', text: 'Could you resend INV-1042?' },
 *   records: {
 *     invoice: { number: 'INV-1042', totalMinor: 125000, currency: 'USD', dueDate: '2026-03-14', status: 'sent' },
 *     business: { name: 'Acme Ltd' },
 *   },
 * }, { provider: openAiProviderFromEnv() });
 */
export { draftReplyFromTemplate } from './builtin.ts';
export { draftReply, llmReplySchema, replyInstructions } from './llm.ts';
export type { LlmReply } from './llm.ts';
export { findUngroundedFact } from './check.ts';
export { defaultTemplates } from './templates.ts';
export { ReplyErrorCode } from './errors.ts';
export { ReplyConfidence } from './types.ts';
export type {
  DraftReply,
  DraftReplyOptions,
  DraftReplyResult,
  ReplyContext,
  ReplyFormatOptions,
  ReplyMessage,
  ReplyProvider,
  ReplyTemplate,
  ReplyThreadEntry,
} from './types.ts';
