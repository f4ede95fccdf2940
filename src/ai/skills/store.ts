/**
 * The built-in AI's state, per business, in the database: trained classifier models, the
 * labelled examples they are trained from (imports and corrections from the inbox), the
 * reader's vendor knowledge, and the reader's outcomes (was each field right, at which
 * confidence) from which its thresholds are recalibrated. Loaded models are cached until the row
 * changes.
 */
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { Queryable } from '../../workflow/store/runs.ts';
import type { SkillCalibration } from '../../workflow/registry.ts';
import { ClassifierModel } from '../classify/index.ts';
import { VendorKnowledge } from '../read/index.ts';
import { appendOutcomes, parseStoredOutcomes, readOutcomeDefaults, recalibrateReader, type ReadOutcome } from './read-outcomes.ts';

export const knowledgeModelName = 'read:vendor-knowledge';
export const readOutcomesModelName = 'read:outcomes';

/** How often recording outcomes retries when another writer changed the row in between. */
const outcomeWriteAttempts = 8;

export class AiStore {
  readonly #db: Queryable;
  readonly #classifiers = new Map<string, { updatedAt: number; model: ClassifierModel }>();
  /** the reader's calibration for the stored outcomes (by the row's metadata, which changes at every write) */
  #readCalibration: { stamp: string | null; shipped: string; value: SkillCalibration } | null = null;

  constructor(db: Queryable) {
    this.#db = db;
  }

  async saveClassifier(name: string, model: ClassifierModel, now: number): Promise<void> {
    const data = JSON.stringify(model.toJSON());
    const metadata = JSON.stringify({ labels: model.labels, examples: model.metadata.exampleCount, trainedAt: model.metadata.trainedAt, threshold: model.threshold });
    await this.#db
      .insertInto('ai_models')
      .values({ name, kind: 'classifier', data, metadata, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('name').doUpdateSet({ data, metadata, updated_at: now }))
      .execute();
    this.#classifiers.delete(name);
  }

  async classifier(name: string): Promise<ClassifierModel> {
    const head = await this.#db.selectFrom('ai_models').select(['updated_at', 'kind']).where('name', '=', name).executeTakeFirst();
    if (head === undefined || head.kind !== 'classifier') {
      throw new NotFoundError('AI_MODEL_NOT_FOUND', `There is no classifier "${name}": train one with \`opsloop classify train --model ${name} --data <examples.jsonl>\``);
    }
    const cached = this.#classifiers.get(name);
    if (cached !== undefined && cached.updatedAt === head.updated_at) return cached.model;
    const row = await this.#db.selectFrom('ai_models').select('data').where('name', '=', name).executeTakeFirstOrThrow();
    const model = ClassifierModel.fromJSON(row.data);
    this.#classifiers.set(name, { updatedAt: head.updated_at, model });
    return model;
  }

  async addExamples(model: string, examples: { text: string; label: string }[], source: 'import' | 'correction', now: number): Promise<void> {
    for (const e of examples) {
      await this.#db.insertInto('ai_examples').values({ id: newId(), model, text: e.text, label: e.label, source, created_at: now }).execute();
    }
  }

  /** Replaces the imported examples of a model (corrections stay). */
  async replaceImported(model: string, examples: { text: string; label: string }[], now: number): Promise<void> {
    await this.#db.deleteFrom('ai_examples').where('model', '=', model).where('source', '=', 'import').execute();
    for (let i = 0; i < examples.length; i += 500) {
      await this.#db
        .insertInto('ai_examples')
        .values(examples.slice(i, i + 500).map((e) => ({ id: newId(), model, text: e.text, label: e.label, source: 'import', created_at: now })))
        .execute();
    }
  }

  async examples(model: string): Promise<{ text: string; label: string; source: string }[]> {
    return this.#db.selectFrom('ai_examples').select(['text', 'label', 'source']).where('model', '=', model).orderBy('created_at').execute();
  }

  async knowledge(): Promise<VendorKnowledge> {
    const row = await this.#db.selectFrom('ai_models').select('data').where('name', '=', knowledgeModelName).executeTakeFirst();
    return row === undefined ? new VendorKnowledge() : VendorKnowledge.fromJSON(JSON.parse(row.data) as unknown);
  }

  async saveKnowledge(knowledge: VendorKnowledge, now: number): Promise<void> {
    const data = JSON.stringify(knowledge.toJSON());
    await this.#db
      .insertInto('ai_models')
      .values({ name: knowledgeModelName, kind: 'read-knowledge', data, metadata: JSON.stringify({ vendors: knowledge.size }), created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('name').doUpdateSet({ data, updated_at: now }))
      .execute();
  }

  /** The reader's recorded outcomes, oldest first per field. */
  async readOutcomes(): Promise<ReadOutcome[]> {
    const row = await this.#db.selectFrom('ai_models').select('data').where('name', '=', readOutcomesModelName).executeTakeFirst();
    return row === undefined ? [] : parseStoredOutcomes(parseOrNull(row.data));
  }

  /**
   * Adds a decision's outcomes, keeping the latest `keepPerField` per field. One row holds them all,
   * so a decision is recorded whole; a write only lands if nobody wrote since it was read (the
   * metadata's version), else it reads again.
   */
  async recordReadOutcomes(outcomes: readonly ReadOutcome[], now: number, keepPerField: number = readOutcomeDefaults.keepPerField): Promise<void> {
    if (outcomes.length === 0) return;
    for (let attempt = 0; attempt < outcomeWriteAttempts; attempt++) {
      const row = await this.#db.selectFrom('ai_models').select(['data', 'metadata']).where('name', '=', readOutcomesModelName).executeTakeFirst();
      const stored = appendOutcomes(row === undefined ? [] : parseStoredOutcomes(parseOrNull(row.data)), outcomes, keepPerField);
      const version = (row === undefined ? 0 : versionOf(row.metadata)) + 1;
      const data = JSON.stringify(stored);
      const metadata = JSON.stringify({ version, outcomes: Object.fromEntries(Object.entries(stored).map(([field, list]) => [field, list.length])) });
      if (row === undefined) {
        const inserted = await this.#db
          .insertInto('ai_models')
          .values({ name: readOutcomesModelName, kind: 'read-outcomes', data, metadata, created_at: now, updated_at: now })
          .onConflict((oc) => oc.column('name').doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return;
        continue;
      }
      let update = this.#db.updateTable('ai_models').set({ data, metadata, updated_at: now }).where('name', '=', readOutcomesModelName);
      update = row.metadata === null ? update.where('metadata', 'is', null) : update.where('metadata', '=', row.metadata);
      const updated = await update.executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 1) return;
    }
    throw new ConflictError('READ_OUTCOMES_BUSY', `The reader's outcomes changed ${outcomeWriteAttempts} times while this decision was being recorded; its outcomes were not kept`);
  }

  /**
   * The read skill's calibration for this business: `shipped` recalibrated with the recorded
   * outcomes (see read-outcomes.ts). Recomputed only when the outcomes change; otherwise one small
   * lookup per call.
   */
  async readerCalibration(shipped: SkillCalibration): Promise<SkillCalibration> {
    const head = await this.#db.selectFrom('ai_models').select('metadata').where('name', '=', readOutcomesModelName).executeTakeFirst();
    const stamp = head === undefined ? null : (head.metadata ?? '');
    const shippedKey = JSON.stringify(shipped);
    const cached = this.#readCalibration;
    if (cached !== null && cached.stamp === stamp && cached.shipped === shippedKey) return cached.value;
    const value = stamp === null ? shipped : recalibrateReader(shipped, await this.readOutcomes());
    this.#readCalibration = { stamp, shipped: shippedKey, value };
    return value;
  }
}

function parseOrNull(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function versionOf(metadata: string | null): number {
  const parsed = metadata === null ? null : parseOrNull(metadata);
  const version = parsed !== null && typeof parsed === 'object' ? (parsed as { version?: unknown }).version : undefined;
  return typeof version === 'number' && Number.isSafeInteger(version) ? version : 0;
}
