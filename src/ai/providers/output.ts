/**
 * From the skill's zod schema to the JSON schema sent to the server, and from the model's reply
 * back to validated data. The reply is untrusted: it is parsed as JSON, checked against the zod
 * schema, and rejected if it carries properties the schema does not define (zod would silently
 * strip them; a model adding fields is a model not following the contract).
 */
import { z } from 'zod';
import { aiError, AiErrorCode } from './errors.ts';

export interface SchemaForServer {
  jsonSchema: Record<string, unknown>;
  /** Whether OpenAI's strict mode accepts it: every object closed, every property required. */
  strict: boolean;
}

const cache = new WeakMap<z.ZodType, SchemaForServer>();
const schemaNamePattern = /^[A-Za-z0-9_-]{1,64}$/;

/** The JSON schema for a zod schema (cached per schema object). Throws AI_SCHEMA_UNSUPPORTED. */
export function schemaForServer(schema: z.ZodType, schemaName: string, task: string): SchemaForServer {
  if (!schemaNamePattern.test(schemaName)) {
    throw aiError(AiErrorCode.schemaUnsupported, `Schema name "${schemaName}" of task "${task}" must be 1–64 letters, digits, "_" or "-"`, { task });
  }
  const cached = cache.get(schema);
  if (cached !== undefined) return cached;
  let jsonSchema: Record<string, unknown>;
  try {
    const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'output' }) as Record<string, unknown>;
    jsonSchema = rest;
  } catch (error) {
    throw aiError(AiErrorCode.schemaUnsupported, `The output schema of task "${task}" has no JSON schema (${error instanceof Error ? error.message : String(error)}); remove transforms and custom types`, { task }, error);
  }
  if (jsonSchema['type'] !== 'object') {
    throw aiError(AiErrorCode.schemaUnsupported, `The output schema of task "${task}" must be a z.object at its root`, { task });
  }
  const result = { jsonSchema, strict: isStrictCompatible(jsonSchema) };
  cache.set(schema, result);
  return result;
}

/** OpenAI strict mode: each object lists all its properties as required and allows no others. */
export function isStrictCompatible(node: unknown): boolean {
  if (Array.isArray(node)) return node.every(isStrictCompatible);
  if (typeof node !== 'object' || node === null) return true;
  const record = node as Record<string, unknown>;
  const properties = record['properties'];
  if (record['type'] === 'object' || (typeof properties === 'object' && properties !== null)) {
    const names = typeof properties === 'object' && properties !== null ? Object.keys(properties) : [];
    const required = Array.isArray(record['required']) ? new Set(record['required']) : new Set();
    if (record['additionalProperties'] !== false || !names.every((name) => required.has(name))) return false;
  }
  return Object.values(record).every(isStrictCompatible);
}

export type ParsedReply<T> = { ok: true; data: T } | { ok: false; reason: string };

/**
 * The model's message content → validated data. Tolerated around the JSON: whitespace, one
 * Markdown code fence, and a leading `<think>…</think>` block (reasoning models on local servers).
 */
export function parseReply<T>(content: string, schema: z.ZodType<T>): ParsedReply<T> {
  const text = unwrap(content);
  if (text === '') return { ok: false, reason: 'the reply was empty' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `it is not valid JSON (${error instanceof Error ? error.message : 'parse error'})` };
  }
  const result = schema.safeParse(raw);
  if (!result.success) return { ok: false, reason: `it does not match the schema: ${describeIssues(result.error.issues)}` };
  const extra = strippedKeys(raw, result.data, '');
  if (extra.length > 0) return { ok: false, reason: `it has properties the schema does not define: ${extra.slice(0, 5).join(', ')}` };
  return { ok: true, data: result.data };
}

function unwrap(content: string): string {
  let text = content.trim().replace(/^<think>[\s\S]*?<\/think>\s*/, '');
  const fence = /^```[A-Za-z]*[ \t]*\n?([\s\S]*?)\n?[ \t]*```$/.exec(text);
  if (fence !== null) text = fence[1] ?? '';
  return text.trim();
}

export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 5).map((issue) => `${issue.path.length === 0 ? '(root)' : issue.path.join('.')}: ${issue.message}`);
  const more = issues.length > shown.length ? `; and ${issues.length - shown.length} more` : '';
  return (shown.join('; ') + more).slice(0, 600);
}

/**
 * Paths of keys present in the raw reply but missing from zod's result, i.e. keys zod stripped
 * as unknown. Sound because schemas sent as JSON schema cannot hold transforms that reshape data.
 */
export function strippedKeys(raw: unknown, parsed: unknown, path: string): string[] {
  if (Array.isArray(raw) && Array.isArray(parsed)) {
    return raw.flatMap((item, index) => strippedKeys(item, parsed[index], `${path}[${index}]`));
  }
  if (!isPlainObject(raw) || !isPlainObject(parsed)) return [];
  return Object.keys(raw).flatMap((key) => {
    const at = path === '' ? key : `${path}.${key}`;
    return Object.hasOwn(parsed, key) ? strippedKeys(raw[key], parsed[key], at) : [at];
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
