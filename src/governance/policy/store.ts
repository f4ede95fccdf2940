/** Policies in the database: a version per distinct content, the current one used by the gate. */
import YAML from 'yaml';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import { canonicalJson, parseJsonColumn, sha256Hex } from '../../core/json.ts';
import type { Queryable } from '../../workflow/store/runs.ts';
import { policySchema, type PolicyDefinition } from './schema.ts';

export function parsePolicy(source: string | unknown): PolicyDefinition {
  let raw: unknown = source;
  if (typeof source === 'string') {
    try {
      raw = YAML.parse(source);
    } catch (error) {
      throw new ValidationError('POLICY_SYNTAX', `Policy is not valid YAML or JSON: ${(error as Error).message}`, { cause: error });
    }
  }
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = (issue?.path ?? []).map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(root)';
    throw new ValidationError('POLICY_INVALID', `Policy is invalid at ${path}: ${issue?.message ?? 'invalid'}`, { details: { path } });
  }
  const ids = new Set<string>();
  parsed.data.rules.forEach((rule, i) => {
    if (ids.has(rule.id)) throw new ValidationError('POLICY_INVALID', `Policy is invalid at rules[${i}].id: rule id "${rule.id}" is used twice`, { details: { path: `rules[${i}].id` } });
    ids.add(rule.id);
  });
  return parsed.data;
}

export interface SavedPolicy {
  policyId: string;
  version: number;
  created: boolean;
  previousVersion: number | null;
}

export async function savePolicy(tx: Queryable, definition: PolicyDefinition, now: number): Promise<SavedPolicy> {
  const hash = sha256Hex(canonicalJson(definition));
  const existing = await tx.selectFrom('policies').selectAll().where('id', '=', definition.id).executeTakeFirst();
  const same = await tx.selectFrom('policy_versions').select('version').where('policy_id', '=', definition.id).where('hash', '=', hash).executeTakeFirst();
  let version = same?.version;
  let created = false;
  if (version === undefined) {
    const last = await tx.selectFrom('policy_versions').select(({ fn }) => fn.max('version').as('v')).where('policy_id', '=', definition.id).executeTakeFirst();
    version = Number(last?.v ?? 0) + 1;
    created = true;
  }
  if (existing === undefined) {
    await tx.insertInto('policies').values({ id: definition.id, name: definition.name ?? definition.id, current_version: version, created_at: now, updated_at: now }).execute();
  } else {
    await tx.updateTable('policies').set({ name: definition.name ?? definition.id, current_version: version, updated_at: now }).where('id', '=', definition.id).execute();
  }
  if (created) {
    await tx.insertInto('policy_versions').values({ policy_id: definition.id, version, hash, definition: JSON.stringify(definition), created_at: now }).execute();
  }
  return { policyId: definition.id, version, created, previousVersion: existing?.current_version ?? null };
}

export async function currentPolicy(db: Queryable, policyId: string): Promise<{ version: number; definition: PolicyDefinition }> {
  const row = await db
    .selectFrom('policies')
    .innerJoin('policy_versions', (j) => j.onRef('policy_versions.policy_id', '=', 'policies.id').onRef('policy_versions.version', '=', 'policies.current_version'))
    .select(['policy_versions.version', 'policy_versions.definition'])
    .where('policies.id', '=', policyId)
    .executeTakeFirst();
  if (row === undefined) throw new NotFoundError('POLICY_NOT_FOUND', `There is no policy "${policyId}" (add it with POST /api/policies or \`opsloop policies add\`)`);
  const definition = parseJsonColumn<PolicyDefinition>(row.definition);
  if (definition === null) throw new NotFoundError('POLICY_NOT_FOUND', `Policy "${policyId}" is empty`);
  return { version: row.version, definition };
}

export async function listPolicies(db: Queryable): Promise<{ id: string; name: string; version: number; definition: PolicyDefinition }[]> {
  const rows = await db
    .selectFrom('policies')
    .innerJoin('policy_versions', (j) => j.onRef('policy_versions.policy_id', '=', 'policies.id').onRef('policy_versions.version', '=', 'policies.current_version'))
    .select(['policies.id', 'policies.name', 'policy_versions.version', 'policy_versions.definition'])
    .orderBy('policies.id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, version: r.version, definition: parseJsonColumn<PolicyDefinition>(r.definition) as PolicyDefinition }));
}
