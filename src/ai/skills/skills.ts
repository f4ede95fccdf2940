/**
 * The built-in AI skills as workflow steps. Each returns its output with a confidence and its
 * calibrated threshold (see calibration.ts), which the governance gate compares; none of them can
 * cause an action — the workflow decides what runs next, and the gate decides whether a person
 * looks first.
 *
 *   draft.document  one sentence → a draft document (never sent by the skill)
 *   classify        text → label, with abstention when unsure (a named model of this business)
 *   read            a document (text, lines, or a file) → fields with confidence and evidence
 *   flag            a document and its counterparty's history → anomalies with reasons
 *   draft.reply     a customer message, an intent and records → a reply draft (never sent by the skill)
 */
import { z } from 'zod';
import { asNonRetriable } from '../../core/errors.ts';
import type { Registry, SkillDefinition } from '../../workflow/registry.ts';
import { createDocumentLoader, readablePart, type DocumentLoader, type DocumentPart } from '../documents/index.ts';
import { parseDocumentSentence } from '../draft/index.ts';
import { extractFields, linesFromText, loadDefaultModel, validateLines, type OcrLine, type ReadResult } from '../read/index.ts';
import type { AiStore } from './store.ts';
import { providerNow, type LlmProvider, type LlmProviderSource } from '../providers/index.ts';
import { classifyWithLlm, improveReadWithLlm, llmConfidence } from './llm.ts';
import { flagDocument, type FlagDocument } from '../flag/index.ts';
import { draftReply, type ReplyContext } from '../reply/index.ts';
import { classifierCalibration, draftDocumentCalibration, draftReplyCalibration, flagCalibration, readerCalibration } from './calibration.ts';

const draftInput = z
  .object({
    sentence: z.string().min(1).max(1000),
    /** the date relative terms count from (YYYY-MM-DD); default: today (UTC) */
    today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    defaultCurrency: z.string().regex(/^[A-Z]{3}$/).optional(),
  })
  .strict();

export const draftDocumentSkill: SkillDefinition<z.infer<typeof draftInput>> = {
  name: 'draft.document',
  description: 'Turns one sentence ("Invoice Acme Ltd $2,500 for web design due in 14 days") into a draft document.',
  input: draftInput,
  run(input, ctx) {
    try {
      const today = input.today ?? new Date(ctx.now()).toISOString().slice(0, 10);
      const document = parseDocumentSentence(input.sentence, { today, ...(input.defaultCurrency === undefined ? {} : { defaultCurrency: input.defaultCurrency }) });
      const confidences = Object.values(document.confidence) as number[];
      return Promise.resolve({ output: document, confidence: Math.min(...confidences), fieldConfidence: { ...document.confidence }, calibration: draftDocumentCalibration, provider: 'builtin' });
    } catch (error) {
      throw asNonRetriable(error, 'DRAFT_FAILED');
    }
  },
};

const classifyInput = z.object({ text: z.string().min(1).max(100_000), model: z.string().min(1) }).strict();

export function classifySkill(store: AiStore, provider: LlmProvider | LlmProviderSource | null = null): SkillDefinition<z.infer<typeof classifyInput>> {
  return {
    name: 'classify',
    description: "Labels a text with a classifier trained on this business's examples; abstains when unsure.",
    input: classifyInput,
    output: z.object({ label: z.string().min(1), abstained: z.boolean().optional(), alternatives: z.array(z.object({ label: z.string(), confidence: z.number() })).optional() }),
    async run(input, ctx) {
      const model = await store.classifier(input.model);
      const calibration = classifierCalibration(input.model, model);
      const prediction = model.predict(input.text);
      const llm = prediction.abstained ? await providerNow(provider) : null;
      if (llm !== null) {
        const asked = await classifyWithLlm(llm, input.text, model.labels, ctx.signal);
        if (asked.label !== null) {
          return {
            output: { label: asked.label, abstained: false, alternatives: prediction.alternatives },
            confidence: Math.min(llmConfidence, model.threshold * 0.999),
            calibration,
            provider: 'openai',
            ...(asked.usage === undefined ? {} : { usage: { promptTokens: asked.usage.promptTokens, completionTokens: asked.usage.completionTokens, costMicros: asked.usage.costMicros } }),
          };
        }
      }
      return {
        output: { label: prediction.label, abstained: prediction.abstained, alternatives: prediction.alternatives },
        // An abstention must not pass an auto gate: report the confidence under the threshold.
        confidence: prediction.abstained ? Math.min(prediction.confidence, model.threshold * 0.999) : prediction.confidence,
        calibration,
        provider: 'builtin',
      };
    },
  };
}

const readInput = z.union([
  z.object({ text: z.string().min(1).max(1_000_000) }).strict(),
  z.object({ lines: z.array(z.unknown()).min(1).max(20_000) }).strict(),
  z.object({ file: z.object({ contentBase64: z.string().min(1), filename: z.string().optional(), contentType: z.string().optional() }).strict() }).strict(),
]);

/** Fields of a read document: each value, its confidence, and the evidence, as skill output. */
export function toReadOutput(result: ReadResult, source?: DocumentPart): { output: Record<string, unknown>; fieldConfidence: Record<string, number>; confidence: number; evidence: unknown } {
  const output: Record<string, unknown> = {};
  const fieldConfidence: Record<string, number> = {};
  const evidence: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(result.fields)) {
    output[name] = field.value;
    if (field.value !== null) {
      fieldConfidence[name] = field.confidence;
      evidence[name] = source === undefined ? field.evidence : field.evidence.map((e) => ({ ...e, source }));
    }
  }
  output.lineItems = result.lineItems;
  const present = Object.values(fieldConfidence);
  return { output, fieldConfidence, confidence: present.length === 0 ? 0 : Math.min(...present), evidence };
}

export function readSkill(store: AiStore, loader: () => DocumentLoader, provider: LlmProvider | LlmProviderSource | null = null): SkillDefinition<z.infer<typeof readInput>> {
  let model: ReturnType<typeof loadDefaultModel> | null = null;
  return {
    name: 'read',
    description: 'Reads an invoice, receipt or order (text, OCR lines, PDF, image or email) into fields with confidence and evidence.',
    input: readInput,
    async run(input, ctx) {
      let lines: OcrLine[];
      let part: DocumentPart | undefined;
      if ('text' in input) lines = linesFromText(input.text);
      else if ('lines' in input) lines = validateLines(input.lines);
      else {
        const document = await loader().load(Buffer.from(input.file.contentBase64, 'base64'), {
          ...(input.file.filename === undefined ? {} : { filename: input.file.filename }),
          ...(input.file.contentType === undefined ? {} : { contentType: input.file.contentType }),
          signal: ctx.signal,
        });
        ({ lines, part } = readablePart(document));
      }
      model ??= loadDefaultModel();
      const result = extractFields(lines, { model, knowledge: await store.knowledge() });
      // The shipped per-field thresholds, replaced by this business's own where its inbox decisions suffice.
      const calibration = await store.readerCalibration(readerCalibration(model));
      const llm = await providerNow(provider);
      if (llm !== null) {
        const text = lines.map((l) => l.text).join('\n');
        const better = await improveReadWithLlm(llm, text, result, ctx.signal);
        const usage = better.usage === undefined ? {} : { usage: { promptTokens: better.usage.promptTokens, completionTokens: better.usage.completionTokens, costMicros: better.usage.costMicros } };
        return { ...toReadOutput(better.result, part), calibration, provider: better.improved.length > 0 ? 'builtin+openai' : 'builtin', ...usage };
      }
      return { ...toReadOutput(result, part), calibration, provider: 'builtin' };
    },
  };
}

const flagInput = z
  .object({
    document: z.record(z.string(), z.unknown()),
    history: z.array(z.record(z.string(), z.unknown())).max(10_000).default([]),
    today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  })
  .strict();

/** Anomalies in a document given its counterparty's history; confidence = how clean it looks. */
export const flagSkill: SkillDefinition<z.infer<typeof flagInput>> = {
  name: 'flag',
  description: 'Finds what looks wrong in a document: totals, duplicates, unusual amounts, new counterparties, changed bank details, dates.',
  input: flagInput,
  run(input, ctx) {
    try {
      const today = input.today ?? new Date(ctx.now()).toISOString().slice(0, 10);
      const result = flagDocument(input.document as unknown as FlagDocument, input.history as unknown as FlagDocument[], { today });
      return Promise.resolve({ output: { anomalies: result.anomalies, checked: result.checked, clean: result.anomalies.length === 0 }, confidence: result.confidence, calibration: flagCalibration, provider: 'builtin' });
    } catch (error) {
      throw asNonRetriable(error, 'FLAG_FAILED');
    }
  },
};

const replyInput = z
  .object({
    intent: z.string().min(1).max(100),
    message: z.object({ from: z.string().optional(), subject: z.string().optional(), text: z.string().max(200_000) }).strict(),
    thread: z.array(z.object({ from: z.string(), text: z.string(), at: z.string().optional() }).strict()).max(200).optional(),
    records: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** A reply to a customer message, from templates filled with records (or an LLM when configured). Never sent by the skill. */
export function draftReplySkill(provider: LlmProvider | LlmProviderSource | null): SkillDefinition<z.infer<typeof replyInput>> {
  return {
    name: 'draft.reply',
    description: 'Drafts a reply to a customer message for an intent, using only facts from the records; a person or the workflow sends it.',
    input: replyInput,
    output: z.object({ intent: z.string(), subject: z.string().min(1), body: z.string().min(1), missing: z.array(z.string()).optional() }).loose(),
    async run(input, ctx) {
      const context = { message: input.message, ...(input.thread === undefined ? {} : { thread: input.thread }), ...(input.records === undefined ? {} : { records: input.records }) } as ReplyContext;
      const draft = await draftReply(input.intent, context, { provider: await providerNow(provider), signal: ctx.signal, now: ctx.now });
      const usage = draft.usage === undefined ? {} : { usage: { promptTokens: draft.usage.promptTokens, completionTokens: draft.usage.completionTokens, costMicros: draft.usage.costMicros } };
      return { output: { intent: draft.intent, subject: draft.subject, body: draft.body, missing: draft.missing, ...(draft.fallbackReason === undefined ? {} : { fallbackReason: draft.fallbackReason }) }, confidence: draft.confidence, calibration: draftReplyCalibration, provider: draft.provider, ...usage };
    },
  };
}

export interface BuiltinSkills {
  store: AiStore;
  close(): Promise<void>;
}

/**
 * Registers draft.document, classify, read, flag and draft.reply; with a provider, classify, read
 * and draft.reply consult it where they are unsure. A source (Settings) is asked at each call.
 */
export function registerBuiltinSkills(registry: Registry, store: AiStore, provider: LlmProvider | LlmProviderSource | null = null): BuiltinSkills {
  let loader: DocumentLoader | null = null;
  const getLoader = (): DocumentLoader => (loader ??= createDocumentLoader());
  registry.registerSkill(draftDocumentSkill).registerSkill(classifySkill(store, provider)).registerSkill(readSkill(store, getLoader, provider)).registerSkill(flagSkill).registerSkill(draftReplySkill(provider));
  return {
    store,
    close: async () => {
      await loader?.close();
    },
  };
}
