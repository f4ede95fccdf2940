/**
 * Workflow definitions in the database: one version per distinct content (by hash); a run is
 * pinned to the version it started with. Versions never change once written, so they are cached.
 */
import { Cron } from 'croner';
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import { parseJsonColumn } from '../../core/json.ts';
import type { Database } from '../../data/database.ts';
import { definitionHash } from '../definition/parse.ts';
import type { WorkflowDefinition } from '../definition/schema.ts';
import type { Queryable } from './runs.ts';
import type { EngineHooks } from '../hooks.ts';

export interface WorkflowSummary {
  id: string;
  name: string;
  description: string | null;
  currentVersion: number;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface SaveResult {
  workflowId: string;
  version: number;
  /** false when this exact content was already stored */
  created: boolean;
}

/** Next fire time strictly after `after`, or null when the expression never fires again. */
export function nextCronFire(cron: string, timezone: string, after: number): number | null {
  const next = new Cron(cron, { timezone, paused: true }).nextRun(new Date(after));
  return next === null ? null : next.getTime();
}

/**
 * How long a looked-up workflow summary or webhook route is reused before asking the database
 * again. A change made in this process is seen at once; one made by another process within this.
 */
const lookupTtlMs = 1000;

interface Cached<T> {
  value: T;
  at: number;
}

export class WorkflowStore {
  readonly #database: Database;
  readonly #versions = new Map<string, WorkflowDefinition>();
  readonly #summaries = new Map<string, Cached<WorkflowSummary>>();
  readonly #webhooks = new Map<string, Cached<{ workflowId: string; config: Record<string, unknown> } | null>>();

  readonly #hooks: EngineHooks;

  constructor(database: Database, hooks: EngineHooks = {}) {
    this.#database = database;
    this.#hooks = hooks;
  }

  #fresh<T>(cache: Map<string, Cached<T>>, key: string): Cached<T> | undefined {
    const hit = cache.get(key);
    return hit !== undefined && performance.now() - hit.at < lookupTtlMs ? hit : undefined;
  }

  #remember<T>(cache: Map<string, Cached<T>>, key: string, value: T): T {
    if (cache.size > 1000) cache.clear();
    cache.set(key, { value, at: performance.now() });
    return value;
  }

  /** Forgets cached lookups (after a change in this process). */
  invalidate(): void {
    this.#summaries.clear();
    this.#webhooks.clear();
  }

  /** Stores a validated definition; makes it the current version. Same content, same version. */
  async save(definition: WorkflowDefinition, now: number): Promise<SaveResult> {
    const hash = definitionHash(definition);
    this.invalidate();
    const saved = await this.#database.db.transaction().execute(async (tx) => {
      for (const trigger of definition.triggers) {
        if (trigger.type !== 'webhook') continue;
        const taken = await tx
          .selectFrom('triggers')
          .select('workflow_id')
          .where('type', '=', 'webhook')
          .where('match', '=', trigger.key)
          .where('workflow_id', '<>', definition.id)
          .executeTakeFirst();
        if (taken !== undefined) {
          throw new ConflictError('WEBHOOK_KEY_TAKEN', `Webhook key "${trigger.key}" is already used by workflow "${taken.workflow_id}"`, {
            details: { key: trigger.key, workflowId: taken.workflow_id },
          });
        }
      }
      const existing = await tx.selectFrom('workflows').selectAll().where('id', '=', definition.id).executeTakeFirst();
      const sameContent = await tx
        .selectFrom('workflow_versions')
        .select('version')
        .where('workflow_id', '=', definition.id)
        .where('hash', '=', hash)
        .executeTakeFirst();
      let version: number;
      let created = false;
      if (sameContent !== undefined) {
        version = sameContent.version;
      } else {
        const last = await tx
          .selectFrom('workflow_versions')
          .select(({ fn }) => fn.max('version').as('v'))
          .where('workflow_id', '=', definition.id)
          .executeTakeFirst();
        version = Number(last?.v ?? 0) + 1;
        created = true;
      }
      const name = definition.name ?? definition.id;
      if (existing === undefined) {
        await tx
          .insertInto('workflows')
          .values({ id: definition.id, name, description: definition.description ?? null, current_version: version, enabled: 1, created_at: now, updated_at: now })
          .execute();
      } else if (existing.current_version !== version || created) {
        await tx
          .updateTable('workflows')
          .set({ name, description: definition.description ?? null, current_version: version, updated_at: now })
          .where('id', '=', definition.id)
          .execute();
      }
      if (created) {
        await tx
          .insertInto('workflow_versions')
          .values({ workflow_id: definition.id, version, hash, definition: JSON.stringify(definition), created_at: now })
          .execute();
      }
      if (created || existing?.current_version !== version) {
        await this.#syncTriggers(tx, definition, now);
        await this.#hooks.workflowSaved?.(tx, { workflowId: definition.id, version, created, now });
      }
      return { workflowId: definition.id, version, created };
    });
    this.invalidate();
    await this.#database.sync();
    return saved;
  }

  async #syncTriggers(tx: Queryable, definition: WorkflowDefinition, now: number): Promise<void> {
    const previous = await tx.selectFrom('schedules').selectAll().where('workflow_id', '=', definition.id).execute();
    await tx.deleteFrom('triggers').where('workflow_id', '=', definition.id).execute();
    await tx.deleteFrom('schedules').where('workflow_id', '=', definition.id).execute();
    for (const [idx, trigger] of definition.triggers.entries()) {
      const match =
        trigger.type === 'webhook' ? trigger.key : trigger.type === 'event' ? trigger.event : trigger.type === 'schedule' ? trigger.cron : 'manual';
      await tx.insertInto('triggers').values({ workflow_id: definition.id, idx, type: trigger.type, match, config: JSON.stringify(trigger) }).execute();
      if (trigger.type === 'schedule') {
        const kept = previous.find((p) => p.cron === trigger.cron && p.timezone === trigger.timezone);
        const next = kept?.next_fire_at ?? nextCronFire(trigger.cron, trigger.timezone, now);
        if (next === null) continue;
        await tx
          .insertInto('schedules')
          .values({ workflow_id: definition.id, idx, cron: trigger.cron, timezone: trigger.timezone, missed: trigger.missed, next_fire_at: next, last_fired_at: kept?.last_fired_at ?? null })
          .execute();
      }
    }
  }

  /** A stored version's definition (cached: versions never change). */
  async version(workflowId: string, version: number): Promise<WorkflowDefinition> {
    const cacheKey = `${workflowId}@${version}`;
    const cached = this.#versions.get(cacheKey);
    if (cached !== undefined) return cached;
    const row = await this.#database.db
      .selectFrom('workflow_versions')
      .select('definition')
      .where('workflow_id', '=', workflowId)
      .where('version', '=', version)
      .executeTakeFirst();
    if (row === undefined) throw new NotFoundError('WORKFLOW_VERSION_NOT_FOUND', `Workflow "${workflowId}" has no version ${version}`);
    const definition = parseJsonColumn<WorkflowDefinition>(row.definition);
    if (definition === null) throw new NotFoundError('WORKFLOW_VERSION_NOT_FOUND', `Workflow "${workflowId}" version ${version} is empty`);
    this.#versions.set(cacheKey, definition);
    return definition;
  }

  async get(workflowId: string): Promise<WorkflowSummary> {
    const cached = this.#fresh(this.#summaries, workflowId);
    if (cached !== undefined) return cached.value;
    const row = await this.#database.db.selectFrom('workflows').selectAll().where('id', '=', workflowId).executeTakeFirst();
    if (row === undefined) throw new NotFoundError('WORKFLOW_NOT_FOUND', `There is no workflow "${workflowId}" (see \`opsloop workflows list\`)`, { details: { workflowId } });
    return this.#remember(this.#summaries, workflowId, toSummary(row));
  }

  async current(workflowId: string): Promise<{ summary: WorkflowSummary; definition: WorkflowDefinition }> {
    const summary = await this.get(workflowId);
    return { summary, definition: await this.version(workflowId, summary.currentVersion) };
  }

  async list(): Promise<WorkflowSummary[]> {
    const rows = await this.#database.db.selectFrom('workflows').selectAll().orderBy('id').execute();
    return rows.map(toSummary);
  }

  async versions(workflowId: string): Promise<{ version: number; hash: string; createdAt: number }[]> {
    const rows = await this.#database.db
      .selectFrom('workflow_versions')
      .select(['version', 'hash', 'created_at'])
      .where('workflow_id', '=', workflowId)
      .orderBy('version')
      .execute();
    return rows.map((r) => ({ version: r.version, hash: r.hash, createdAt: r.created_at }));
  }

  /** The workflow and trigger behind POST /hooks/<key>. */
  async findWebhook(key: string): Promise<{ workflowId: string; config: Record<string, unknown> } | null> {
    const cached = this.#fresh(this.#webhooks, key);
    if (cached !== undefined) return cached.value;
    const row = await this.#database.db
      .selectFrom('triggers')
      .innerJoin('workflows', 'workflows.id', 'triggers.workflow_id')
      .select(['triggers.workflow_id', 'triggers.config'])
      .where('triggers.type', '=', 'webhook')
      .where('triggers.match', '=', key)
      .where('workflows.enabled', '=', 1)
      .executeTakeFirst();
    if (row === undefined) return this.#remember(this.#webhooks, key, null);
    return this.#remember(this.#webhooks, key, { workflowId: row.workflow_id, config: parseJsonColumn<Record<string, unknown>>(row.config) ?? {} });
  }
}

function toSummary(row: { id: string; name: string; description: string | null; current_version: number; enabled: number; created_at: number; updated_at: number }): WorkflowSummary {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    currentVersion: row.current_version,
    enabled: row.enabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
