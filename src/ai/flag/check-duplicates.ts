/**
 * DUPLICATE: the same document recorded (or about to be paid or sent) twice. Rules, strongest first:
 *
 * - the same file (fileHash), whatever the document says: critical;
 * - the same counterparty, number and amount: critical;
 * - the same counterparty and amount with a similar description (Jaccard ≥ 0.6 on content words)
 *   within `duplicateWindowDays` of each other: warning, scored by similarity and closeness;
 * - the same counterparty and number but another amount (a correction, or a tampered copy): warning.
 *
 * Documents are compared only with the same direction and kind family, so a quote and the invoice
 * that follows it, or a bill and its receipt, are not duplicates. A recurring charge (two or more
 * earlier same-amount, similar documents) narrows the window to half its usual interval, so a
 * monthly retainer is not a duplicate of last month's.
 */
import { descriptionSimilarity } from './normalize.ts';
import { describeRef, refEvidence, sameCounterparty } from './context.ts';
import type { FlagContext } from './context.ts';
import { beforeActing, kindNoun, money, roundScore } from './format.ts';
import type { ParsedDocument } from './input.ts';
import type { Anomaly } from './types.ts';

export const SIMILAR_DESCRIPTION = 0.6;

interface Finding {
  readonly match: ParsedDocument;
  readonly alsoMatching: readonly ParsedDocument[];
  readonly matchedOn: readonly string[];
  readonly severity: 'warning' | 'critical';
  readonly score: number;
  readonly message: string;
  readonly extra: Record<string, unknown>;
}

export function checkDuplicates(context: FlagContext): Anomaly | null {
  const { doc } = context;
  const comparable = context.others.filter(
    (entry) => entry.direction === doc.direction && entry.family === doc.family && sameCounterparty(doc, entry),
  );
  const findings = [fileFinding(context), ...numberFindings(doc, comparable), similarFinding(context, comparable)].filter(
    (finding): finding is Finding => finding !== null,
  );
  // Highest score wins; the order above breaks ties, so the explanation is the strongest one.
  const best = findings.reduce<Finding | null>((top, finding) => (top === null || finding.score > top.score ? finding : top), null);
  if (best === null) return null;
  return {
    code: 'DUPLICATE',
    severity: best.severity,
    message: best.message,
    evidence: {
      matchedOn: best.matchedOn,
      duplicateId: best.match.id,
      historyIndex: best.match.historyIndex,
      duplicateNumber: best.match.source.number ?? null,
      duplicateIssueDate: best.match.source.issueDate ?? null,
      duplicateTotal: best.match.source.total,
      total: doc.source.total,
      currency: doc.currency,
      ...best.extra,
      alsoMatching: best.alsoMatching.map(refEvidence),
    },
    score: roundScore(best.score),
  };
}

function fileFinding({ doc, others }: FlagContext): Finding | null {
  if (doc.fileHash === null) return null;
  const [match, ...rest] = others.filter((entry) => entry.fileHash === doc.fileHash);
  if (match === undefined) return null;
  const advice =
    doc.direction === 'incoming' ? 'Do not pay it twice: discard this copy if it is the same bill.' : 'Do not record it twice.';
  return {
    match,
    alsoMatching: rest,
    matchedOn: ['fileHash'],
    severity: 'critical',
    score: 0.99,
    message:
      `This file is identical to ${kindNoun(match)} ${describeRef(match)} ${match.direction === 'incoming' ? 'from' : 'to'} ` +
      `${match.source.counterparty.name} ` +
      `(${money(match.totalMinor, match.currency)}, dated ${match.source.issueDate ?? 'without a date'}), which is already recorded. ${advice}`,
    extra: {},
  };
}

function numberFindings(doc: ParsedDocument, comparable: readonly ParsedDocument[]): (Finding | null)[] {
  if (doc.number === null) return [];
  const sameNumber = comparable.filter((entry) => entry.number === doc.number);
  const sameAmount = sameNumber.filter((entry) => entry.currency === doc.currency && entry.totalMinor === doc.totalMinor);
  const otherAmount = sameNumber.filter((entry) => !sameAmount.includes(entry));
  const who =
    doc.direction === 'incoming'
      ? `${doc.source.counterparty.name}'s ${kindNoun(doc)} no. ${doc.source.number ?? ''}`
      : `${capitalize(kindNoun(doc))} no. ${doc.source.number ?? ''} to ${doc.source.counterparty.name}`;
  const [exact, ...exactRest] = sameAmount;
  const [changed, ...changedRest] = otherAmount;
  return [
    exact === undefined
      ? null
      : {
          match: exact,
          alsoMatching: exactRest,
          matchedOn: ['counterparty', 'number', 'amount'],
          severity: 'critical',
          score: 0.95,
          message:
            `${who} for ${money(doc.totalMinor, doc.currency)} is already recorded (dated ${exact.source.issueDate ?? 'without a date'}). ` +
            (doc.direction === 'incoming'
              ? 'Paying this one would pay it twice; hold it unless the vendor confirms it is a new bill.'
              : 'Sending it again would bill the client twice.'),
          extra: {},
        },
    changed === undefined
      ? null
      : {
          match: changed,
          alsoMatching: changedRest,
          matchedOn: ['counterparty', 'number'],
          severity: 'warning',
          score: 0.6,
          message:
            `${who} is already recorded for ${money(changed.totalMinor, changed.currency)}; this one says ` +
            `${money(doc.totalMinor, doc.currency)}. Check whether it replaces the earlier one ${beforeActing(doc)}.`,
          extra: {},
        },
  ];
}

function similarFinding({ doc, options }: FlagContext, comparable: readonly ParsedDocument[]): Finding | null {
  const day = doc.issueDay ?? options.today;
  if (day === null) return null;
  const series = comparable.filter(
    (entry) =>
      entry.currency === doc.currency &&
      entry.totalMinor === doc.totalMinor &&
      entry.issueDay !== null &&
      descriptionSimilarity(doc.words, entry.words) >= SIMILAR_DESCRIPTION,
  );
  const window = Math.min(options.duplicateWindowDays, recurringHalfInterval(series));
  const scored = series
    .map((entry) => {
      const days = Math.abs((entry.issueDay ?? day) - day);
      const similarity = descriptionSimilarity(doc.words, entry.words);
      const closeness = window === 0 ? 1 : 1 - days / window;
      return { entry, days, similarity, score: 0.5 + 0.2 * similarity + 0.2 * closeness };
    })
    .filter((candidate) => candidate.days <= window)
    .sort((a, b) => b.score - a.score || (a.entry.historyIndex ?? 0) - (b.entry.historyIndex ?? 0));
  const [best, ...rest] = scored;
  if (best === undefined) return null;
  const { entry, days, similarity } = best;
  const described = entry.source.description ?? entry.source.lines?.map((line) => line.description).join('; ') ?? '';
  const when = days === 0 ? 'the same day' : `${days} day${days === 1 ? '' : 's'} apart`;
  const party = doc.role === 'client' ? 'client' : 'vendor';
  return {
    match: entry,
    alsoMatching: rest.map((candidate) => candidate.entry),
    matchedOn: ['counterparty', 'amount', 'description'],
    severity: 'warning',
    score: best.score,
    message:
      `${capitalize(kindNoun(entry))} ${describeRef(entry)} ` +
      `(${money(entry.totalMinor, entry.currency)}${described === '' ? '' : `, "${described}"`}, dated ${entry.source.issueDate ?? ''}) ` +
      `looks like this one: same ${party}, same amount, ${Math.round(similarity * 100)}% similar description, ${when}. ` +
      (doc.direction === 'incoming'
        ? 'Check that the same bill is not being paid twice.'
        : 'Check that the same work is not being billed twice.'),
    extra: { similarity: Math.round(similarity * 100) / 100, daysApart: days, windowDays: window },
  };
}

/** Half the median interval of a recurring series (≥ 2 dated documents), else no limit. */
function recurringHalfInterval(series: readonly ParsedDocument[]): number {
  const days = series.map((entry) => entry.issueDay ?? 0).sort((a, b) => a - b);
  const gaps = days.slice(1).map((value, index) => value - (days[index] ?? value));
  if (gaps.length === 0) return Number.POSITIVE_INFINITY;
  gaps.sort((a, b) => a - b);
  const middle = gaps.length >> 1;
  const median = gaps.length % 2 === 1 ? (gaps[middle] ?? 0) : ((gaps[middle - 1] ?? 0) + (gaps[middle] ?? 0)) / 2;
  return median === 0 ? Number.POSITIVE_INFINITY : Math.floor(median / 2);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
