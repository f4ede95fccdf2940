/**
 * Playbooks shipped with OpsLoop: workflow definitions (and the policies they name) loaded on
 * first start. A playbook already present is left alone — the owner may have edited it — so
 * installing is safe on every start and from several processes (the engine de-duplicates
 * identical definitions).
 */
import fs from 'node:fs';
import { NotFoundError } from '../../../core/errors.ts';
import type { Engine } from '../../../workflow/index.ts';
import { parsePolicy, type Governance } from '../../../governance/index.ts';
import { parseDefinitionText } from '../../../workflow/definition/index.ts';

const here = new URL('./', import.meta.url);

export const playbooks = [{ workflow: 'invoice-to-cash.yaml', policy: 'invoice-to-cash.policy.yaml' }] as const;

export function playbookSource(file: string): string {
  return fs.readFileSync(new URL(file, here), 'utf8');
}

/** "Send by email": added the first time it is needed (see {@link installSendDocument}). */
export const sendDocumentWorkflow = 'send-document';

/**
 * Adds the send-document playbook unless a workflow with its id exists (the owner's version is
 * kept). Cheap to call before every use: the lookup is the engine's cached one.
 */
export async function installSendDocument(engine: Engine): Promise<void> {
  try {
    await engine.workflows.current(sendDocumentWorkflow);
    return;
  } catch (error) {
    if (!(error instanceof NotFoundError && error.code === 'WORKFLOW_NOT_FOUND')) throw error;
  }
  await engine.addWorkflow(playbookSource('send-document.yaml'));
}

/** Adds each shipped playbook (and its policy) that is not there yet; returns the ids added. */
export async function installPlaybooks(engine: Engine, governance: Governance): Promise<string[]> {
  const present = new Set((await engine.workflows.list()).map((w) => w.id));
  const policies = new Set((await governance.listPolicies()).map((p) => p.id));
  const added: string[] = [];
  for (const book of playbooks) {
    const policy = parsePolicy(playbookSource(book.policy));
    if (!policies.has(policy.id)) await governance.savePolicy(policy, 'system:playbooks');
    const workflow = parseDefinitionText(playbookSource(book.workflow));
    if (present.has(workflow.id)) continue;
    await engine.addWorkflow(workflow);
    added.push(workflow.id);
  }
  return added;
}
