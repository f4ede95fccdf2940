/**
 * Reading the development datasets under `shared/datasets/<name>/{train,dev}.jsonl`.
 *
 * Every record has `id` and `label`; most have `text`. E-mail corpora (spamassassin) have no
 * `text` but `headers` + `body`: {@link recordText} builds the text a classifier sees from the
 * subject, sender and body, so that every dataset reads the same way.
 */
import { readFileSync } from 'node:fs';
import { ValidationError } from '../../core/errors.ts';

/** One labelled example as the evaluation code sees it. */
export interface LabelledRecord {
  id: string;
  text: string;
  label: string;
  /** `false` for out-of-scope records in datasets that mark them (clinc150); absent otherwise. */
  inScope?: boolean;
  /** The whole parsed record, for dataset-specific fields (`group`, `domain`, ...). */
  raw: Record<string, unknown>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text to classify: `text` if present, else `Subject/From` headers and `body` of an e-mail. */
export function recordText(record: Record<string, unknown>): string | undefined {
  if (typeof record.text === 'string') return record.text;
  const headers = isObject(record.headers) ? record.headers : {};
  const parts: string[] = [];
  if (typeof headers.subject === 'string') parts.push(`Subject: ${headers.subject}`);
  if (typeof headers.from === 'string') parts.push(`From: ${headers.from}`);
  if (typeof record.body === 'string') parts.push(record.body);
  return parts.length > 0 ? parts.join('\n') : undefined;
}

/** Parse JSON Lines text into labelled records; `source` names the file in error messages. */
export function parseLabelledJsonl(content: string, source = 'input'): LabelledRecord[] {
  const records: LabelledRecord[] = [];
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]?.trim();
    if (!line) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (cause) {
      throw new ValidationError('DATASET_LINE_INVALID', `${source} line ${i + 1} is not valid JSON`, { cause });
    }
    if (!isObject(parsed) || typeof parsed.label !== 'string') {
      throw new ValidationError('DATASET_LINE_INVALID', `${source} line ${i + 1} has no string "label"`);
    }
    const text = recordText(parsed);
    if (text === undefined) {
      throw new ValidationError('DATASET_LINE_INVALID', `${source} line ${i + 1} has no "text" (nor headers/body)`);
    }
    const record: LabelledRecord = {
      id: typeof parsed.id === 'string' ? parsed.id : `${source}:${i + 1}`,
      text,
      label: parsed.label,
      raw: parsed,
    };
    if (typeof parsed.in_scope === 'boolean') record.inScope = parsed.in_scope;
    records.push(record);
  }
  return records;
}

/** Read a labelled `.jsonl` file. */
export function readLabelledJsonl(path: string): LabelledRecord[] {
  return parseLabelledJsonl(readFileSync(path, 'utf8'), path);
}
