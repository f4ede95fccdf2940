/** The finance domain's operations, for the CLI, the API and workflow actions. */
import type { Dialect } from '../../data/dialect.ts';
import { parseDocumentSentence, type DraftDocument } from '../../ai/draft/index.ts';
import type { Committer } from '../../workflow/committer.ts';
import { changeStatus as changeStatusIn, createDraftDocument, getDocument, listDocuments, type DocumentView } from './documents.ts';
import { defaultPatterns } from './numbering.ts';
import type { DocumentStatus } from './status.ts';

export { getDocument, listDocuments, type DocumentView };

export interface FinanceDeps {
  committer: Committer;
  dialect: Dialect;
  now: () => number;
}

/**
 * One sentence to a draft document. The parser (the DRAFT skill's built-in) reads it; with
 * `dryRun` nothing is stored. A sentence that cannot be read throws a ValidationError that says
 * what is missing, and nothing is created.
 */
export async function createDraftFromSentence(
  deps: FinanceDeps,
  sentence: string,
  options: { today?: string; dryRun?: boolean; actor?: string; defaultCurrency?: string } = {},
): Promise<{ draft: DraftDocument; document: DocumentView | null }> {
  const today = options.today ?? new Date(deps.now()).toISOString().slice(0, 10);
  const draft = parseDocumentSentence(sentence, { today, ...(options.defaultCurrency === undefined ? {} : { defaultCurrency: options.defaultCurrency }) });
  if (options.dryRun === true) return { draft, document: null };
  const document = await deps.committer.unit((tx) =>
    createDraftDocument(tx, draft, { dialect: deps.dialect, pattern: defaultPatterns[draft.kind], actor: options.actor ?? 'system', source: `sentence:${sentence}`, now: deps.now() }),
  );
  return { draft, document };
}

export function changeStatus(deps: FinanceDeps, idOrNumber: string, to: DocumentStatus, actor: string): Promise<DocumentView> {
  return deps.committer.unit((tx) => changeStatusIn(tx, deps.dialect, idOrNumber, to, actor, deps.now()));
}
