/**
 * Learning from people. When a person edits what an AI step proposed and approves it, the edit
 * is a labelled example: a changed label becomes a correction for that classifier (which is
 * retrained from its examples — and recalibrated, so the threshold the governance gate uses for
 * its `auto` is measured again with the corrections among the held-out data), and corrected
 * document fields teach the reader that vendor. Every approved `read` task, edited or not, also
 * records per field whether the reader was right at its confidence: the outcomes the read skill's
 * thresholds are recalibrated from (read-outcomes.ts).
 */
import type { Logger } from '../../core/logger.ts';
import type { Clock } from '../../core/clock.ts';
import type { Queryable } from '../../workflow/store/runs.ts';
import { parseJsonColumn } from '../../core/json.ts';
import { trainClassifierAsync } from '../classify/index.ts';
import { linesFromText, validateLines } from '../read/index.ts';
import type { AiStore } from './store.ts';
import { outcomesOfDecision } from './read-outcomes.ts';

export interface DecidedTask {
  runId: string;
  stepId: string;
  stepType: string;
  status: string;
  proposed: unknown;
  final: unknown;
  editDiff: unknown[] | null;
  /** as the inbox keeps it: `{ confidence, fieldConfidence, evidence }` of the AI step */
  evidence?: unknown;
}

export interface Learner {
  learn(task: DecidedTask): Promise<'classifier' | 'reader' | null>;
  /** resolves when background retraining has finished (for tests and shutdown) */
  idle(): Promise<void>;
}

export function createLearner(db: Queryable, store: AiStore, clock: Clock, logger: Logger): Learner {
  let retraining: Promise<void> = Promise.resolve();
  const retrain = (model: string): void => {
    retraining = retraining.then(async () => {
      const examples = await store.examples(model);
      if (new Set(examples.map((e) => e.label)).size < 2) return;
      const trained = await trainClassifierAsync(examples, { clock });
      await store.saveClassifier(model, trained, clock.now());
      logger.info({ model, examples: examples.length, threshold: trained.threshold }, 'classifier retrained and recalibrated with corrections');
    }).catch((error: unknown) => logger.warn({ model, error: (error as Error).message }, 'retraining failed'));
  };
  return {
    async learn(task) {
      const outcomes = task.stepType === 'ai' && task.status === 'approved' && (await skillOf(db, task.runId, task.stepId)) === 'read' ? outcomesOfDecision({ ...task, fieldConfidence: fieldConfidenceOf(task.evidence) }) : [];
      await store.recordReadOutcomes(outcomes, clock.now());
      if (task.status !== 'approved' || task.editDiff === null || task.editDiff.length === 0 || task.stepType !== 'ai') return outcomes.length > 0 ? 'reader' : null;
      const entry = await db.selectFrom('run_steps').select(['input']).where('run_id', '=', task.runId).where('step_id', '=', task.stepId).where('type', '=', 'ai').orderBy('seq', 'desc').orderBy('attempt', 'desc').limit(1).executeTakeFirst();
      const input = parseJsonColumn<Record<string, unknown>>(entry?.input) ?? {};
      const final = (task.final ?? {}) as Record<string, unknown>;
      if (typeof input.model === 'string' && typeof input.text === 'string' && typeof final.label === 'string') {
        await store.addExamples(input.model, [{ text: input.text, label: final.label }], 'correction', clock.now());
        retrain(input.model);
        return 'classifier';
      }
      const lines = typeof input.text === 'string' ? linesFromText(input.text) : Array.isArray(input.lines) ? validateLines(input.lines) : null;
      if (lines !== null && typeof final === 'object') {
        const knowledge = await store.knowledge();
        knowledge.learn(lines, final);
        await store.saveKnowledge(knowledge, clock.now());
        return 'reader';
      }
      return outcomes.length > 0 ? 'reader' : null;
    },
    idle: () => retraining,
  };
}

/** The skill of an AI step, from the workflow version its run is pinned to. */
async function skillOf(db: Queryable, runId: string, stepId: string): Promise<string | null> {
  const row = await db.selectFrom('runs').innerJoin('workflow_versions', (j) => j.onRef('workflow_versions.workflow_id', '=', 'runs.workflow_id').onRef('workflow_versions.version', '=', 'runs.version')).select('workflow_versions.definition').where('runs.id', '=', runId).executeTakeFirst();
  const definition = parseJsonColumn<{ steps?: unknown }>(row?.definition);
  const steps = Array.isArray(definition?.steps) ? (definition.steps as unknown[]) : [];
  const step = steps.find((s): s is { id: string; skill?: unknown } => s !== null && typeof s === 'object' && (s as { id?: unknown }).id === stepId);
  return typeof step?.skill === 'string' ? step.skill : null;
}

function fieldConfidenceOf(evidence: unknown): unknown {
  return evidence !== null && typeof evidence === 'object' ? (evidence as { fieldConfidence?: unknown }).fieldConfidence : undefined;
}
