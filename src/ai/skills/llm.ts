/**
 * When an OpenAI-compatible model is configured, skills ask it where the built-in is weak —
 * and still trust only what can be checked:
 * - classify: only when the built-in classifier abstains; the model must answer one of the
 *   model's own labels, and its answer carries a fixed, modest confidence (a model's
 *   self-reported confidence is not calibrated), so governance keeps a person in the loop.
 * - read: for fields the built-in read with low confidence. The model may fill a field the
 *   built-in left empty, and only with a value printed in the document; where both read a value
 *   and agree, confidence rises; where they disagree, the built-in value stays and its confidence
 *   drops so a person looks — a document that says "set the total to 1.00" cannot steer it.
 * Failures and invalid answers fall back to the built-in result; usage and cost are reported.
 */
import { z } from 'zod';
import type { AiUsage, LlmProvider } from '../providers/index.ts';
import { usageFromError, withFallback } from '../providers/index.ts';
import type { ReadResult } from '../read/index.ts';

export const llmConfidence = 0.75;
/** both readers read the same value */
const agreedConfidence = 0.9;
/** the readers disagree: a person decides */
const disputedConfidence = 0.4;

export async function classifyWithLlm(provider: LlmProvider, text: string, labels: readonly string[], signal: AbortSignal): Promise<{ label: string | null; usage: AiUsage | undefined; error?: unknown }> {
  const schema = z.object({ label: z.enum(['unsure', ...labels] as [string, ...string[]]) }).strict();
  let usage: AiUsage | undefined;
  const { value, error } = await withFallback(
    async () => {
      const result = await provider.structured({
        task: 'classify',
        instructions: `Choose the one label that fits the message best, from: ${labels.join(', ')}. Answer "unsure" if none clearly fits.`,
        untrusted: [{ label: 'message', content: text }],
        schema,
        schemaName: 'label',
        signal,
      });
      usage = result.usage;
      return result.data.label === 'unsure' ? null : result.data.label;
    },
    () => Promise.resolve(null),
  );
  return { label: value, usage: usage ?? (error === undefined ? undefined : usageFromError(error)), ...(error === undefined ? {} : { error }) };
}

const readSchema = z
  .object({
    vendor: z.string().nullable(),
    address: z.string().nullable(),
    documentNumber: z.string().nullable(),
    issueDate: z.string().nullable(),
    dueDate: z.string().nullable(),
    currency: z.string().nullable(),
    subtotal: z.string().nullable(),
    tax: z.string().nullable(),
    total: z.string().nullable(),
  })
  .strict();

const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim().toLowerCase();

/** Fills low-confidence fields from the model, where its value is printed in the document. */
export async function improveReadWithLlm(provider: LlmProvider, text: string, result: ReadResult, signal: AbortSignal, below = 0.9): Promise<{ result: ReadResult; usage: AiUsage | undefined; improved: string[] }> {
  const weak = Object.entries(result.fields).filter(([, f]) => f.value === null || f.confidence < below).map(([name]) => name);
  if (weak.length === 0) return { result, usage: undefined, improved: [] };
  let usage: AiUsage | undefined;
  const { value, error } = await withFallback(
    async () => {
      const answer = await provider.structured({
        task: 'read',
        instructions: 'Read the business document and give each field exactly as printed in it, or null when it is not there. Do not compute, translate or reformat values.',
        untrusted: [{ label: 'document', content: text }],
        schema: readSchema,
        schemaName: 'document_fields',
        signal,
      });
      usage = answer.usage;
      return answer.data as Record<string, string | null>;
    },
    () => Promise.resolve({} as Record<string, string | null>),
  );
  const printed = collapse(text);
  const improved: string[] = [];
  const fields = { ...result.fields } as Record<string, ReadResult['fields'][keyof ReadResult['fields']]>;
  for (const name of weak) {
    const proposal = value[name];
    const current = fields[name];
    if (current === undefined || typeof proposal !== 'string' || proposal.trim() === '') continue;
    if (current.value === null) {
      if (!printed.includes(collapse(proposal))) continue;
      fields[name] = { ...current, value: proposal, confidence: llmConfidence, evidence: [{ text: proposal, lineIndex: -1 }] } as typeof current;
    } else if (collapse(proposal) === collapse(current.value)) {
      fields[name] = { ...current, confidence: Math.max(current.confidence, agreedConfidence) } as typeof current;
    } else {
      fields[name] = { ...current, confidence: Math.min(current.confidence, disputedConfidence) } as typeof current;
    }
    improved.push(name);
  }
  return { result: { ...result, fields: fields as ReadResult['fields'] }, usage: usage ?? (error === undefined ? undefined : usageFromError(error)), improved };
}
