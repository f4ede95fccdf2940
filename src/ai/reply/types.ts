/** The DRAFT skill, reply part: its inputs, outputs and options. */
import type { AiUsage, LlmProvider } from '../providers/index.ts';

/**
 * A reply template for one intent. `subject` and `body` are expression-language templates
 * (`{{ expr }}`, see src/workflow/expression) rendered in the reply scope:
 *
 * - every key of `records`, with money and dates made readable: `invoice.total` is "$1,250.00"
 *   (from `total` as a decimal string or `totalMinor` in minor units, with the object's
 *   `currency`), `invoice.dueDate` is "March 14, 2026"; `status` also gets `statusText`
 *   ("partially paid"); the untouched records are under `raw`;
 * - `greeting` ("Hello Jane Smith," or "Hello,"), `name` (client contact, client, or sender),
 *   `signoff` ("Kind regards,\n" + business signature or name), `reSubject` ("Re: …" or null),
 *   `intent`.
 *
 * The customer's text is not in the scope: a template cannot echo it.
 */
export interface ReplyTemplate {
  intent: string;
  subject: string;
  body: string;
  /**
   * Slot paths that must have a value, e.g. `invoice.number`. An empty one is listed in
   * `DraftReply.missing`, shown in the draft as `[invoice.number]`, and lowers the confidence.
   */
  requires?: string[];
  /** What the reply is for, in one sentence; given to the LLM as the purpose of the reply. */
  purpose?: string;
}

export interface ReplyMessage {
  /** The From header, e.g. `Jane Smith <jane@example.com>`. */
  from?: string;
  subject?: string;
  text: string;
}

export interface ReplyThreadEntry {
  from: string;
  text: string;
  /** ISO timestamp. */
  at?: string;
}

export interface ReplyContext {
  /** The customer message being answered. Untrusted: it never chooses the template. */
  message: ReplyMessage;
  /** Earlier messages of the conversation, oldest first. Untrusted too. */
  thread?: ReplyThreadEntry[];
  /**
   * The business's records about the case, the only source of facts, e.g.
   * `{ client: { name, email }, invoice: { number, totalMinor, currency, dueDate, status, payUrl },
   *    business: { name, signature, ownerName } }`.
   */
  records?: Record<string, unknown>;
}

/** `builtin` for a template draft; `openai` for a draft written by an OpenAI-compatible LLM. */
export type ReplyProvider = 'builtin' | 'openai';

export interface DraftReply {
  /** The intent of the template used: the requested one, or `general` for an unknown one. */
  intent: string;
  subject: string;
  body: string;
  /** Required slots that were empty; when any is, a person must complete the draft. */
  missing: string[];
  provider: ReplyProvider;
  /** 0..1, set by rules (never by the model): see {@link ReplyConfidence}. */
  confidence: number;
}

/** What {@link draftReply} returns: a draft, what the LLM cost, and why it fell back if it did. */
export interface DraftReplyResult extends DraftReply {
  /** Cost of the LLM call, also when its answer was not used. */
  usage?: AiUsage;
  /** Set when an LLM was asked but the template draft is returned instead. */
  fallbackReason?: string;
  /** Record paths the LLM says it used (only paths that exist in the records are kept). */
  usedFacts?: string[];
}

export interface ReplyFormatOptions {
  /** Throw REPLY_INTENT_UNKNOWN for an intent without a template instead of using `general`. */
  strict?: boolean;
  /** BCP 47 locale for money and dates. Default `en-US`. */
  locale?: string;
  /** IANA time zone for instants (`paidAt`); calendar dates are shown as written. Default `UTC`. */
  timeZone?: string;
}

export interface DraftReplyOptions extends ReplyFormatOptions {
  /** The LLM to ask; null or absent for the template draft only. */
  provider?: LlmProvider | null;
  templates?: ReplyTemplate[];
  signal?: AbortSignal;
  /** Milliseconds since the epoch; relative dates ("tomorrow") in the post-check count from it. */
  now?: () => number;
}

/**
 * Confidence by rule. The governance gate compares it with the step's threshold, so a draft with
 * missing facts or an unknown intent goes to a person. The LLM's own opinion is never used.
 */
export const ReplyConfidence = {
  /** A specific template with every required slot filled. */
  template: 0.9,
  /** The `general` acknowledgement asked for by name: safe, but it answers nothing. */
  general: 0.6,
  /** An intent without a template, answered with `general`. */
  unknownIntent: 0.5,
  /** A draft written by an LLM that passed the post-check. */
  llm: 0.7,
  /** Any draft with a required slot missing. */
  missingSlots: 0.4,
} as const;
