/**
 * What every check sees: the parsed document, the history split the ways the checks need it, and
 * the resolved options. Built once per call.
 */
import type { ParsedDocument, ResolvedOptions } from './input.ts';

export interface FlagContext {
  readonly doc: ParsedDocument;
  readonly options: ResolvedOptions;
  /** The history without the document itself (same id). */
  readonly others: readonly ParsedDocument[];
  /** `others` not dated after the document: what was known when it arrived. */
  readonly prior: readonly ParsedDocument[];
  /** `prior` with the same counterparty. */
  readonly counterpartyPrior: readonly ParsedDocument[];
}

export function buildContext(doc: ParsedDocument, history: readonly ParsedDocument[], options: ResolvedOptions): FlagContext {
  const others = history.filter((entry) => doc.id === null || entry.id !== doc.id);
  const prior = others.filter((entry) => doc.issueDay === null || entry.issueDay === null || entry.issueDay <= doc.issueDay);
  return { doc, options, others, prior, counterpartyPrior: prior.filter((entry) => sameCounterparty(doc, entry)) };
}

/**
 * Two documents are with the same counterparty when their tax ids are equal; when either has no
 * tax id, when their normalised names are equal ("Acme Ltd." = "ACME LIMITED").
 */
export function sameCounterparty(left: ParsedDocument, right: ParsedDocument): boolean {
  if (left.taxId !== null && right.taxId !== null) return left.taxId === right.taxId;
  return left.name === right.name;
}

/** How a history document is named after its kind: "invoice no. INV-5", "bill with id b-7", "bill at history[3]". */
export function describeRef(entry: ParsedDocument): string {
  if (entry.source.number) return `no. ${entry.source.number}`;
  if (entry.id !== null) return `with id ${entry.id}`;
  return `at history[${entry.historyIndex ?? 0}]`;
}

/** The evidence that identifies a history document. */
export function refEvidence(entry: ParsedDocument): { id: string | null; historyIndex: number | null } {
  return { id: entry.id, historyIndex: entry.historyIndex };
}
