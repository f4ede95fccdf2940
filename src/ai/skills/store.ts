/**
 * The built-in AI's state, per business, in the database: trained classifier models, the
 * labelled examples they are trained from (imports and corrections from the inbox), and the
 * reader's vendor knowledge. Loaded models are cached until the row changes.
 */
import { NotFoundError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { Queryable } from '../../workflow/store/runs.ts';
import { ClassifierModel } from '../classify/index.ts';
import { VendorKnowledge } from '../read/index.ts';

export const knowledgeModelName = 'read:vendor-knowledge';

export class AiStore {
  readonly #db: Queryable;
  readonly #classifiers = new Map<string, { updatedAt: number; model: ClassifierModel }>();

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
}
