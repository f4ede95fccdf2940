/**
 * Learning from people. When a person edits what an AI step proposed and approves it, the edit
 * is a labelled example: a changed label becomes a correction for that classifier (which is
 * retrained from its examples — and recalibrated, so the threshold the governance gate uses for
 * its `auto` is measured again with the corrections among the held-out data), and corrected
 * document fields teach the reader that vendor.
 */
import type { Logger } from '../../core/logger.ts';
import type { Clock } from '../../core/clock.ts';
import type { Queryable } from '../../workflow/store/runs.ts';
import { parseJsonColumn } from '../../core/json.ts';
import { trainClassifierAsync } from '../classify/index.ts';
import { linesFromText, validateLines } from '../read/index.ts';
import type { AiStore } from './store.ts';

export interface DecidedTask {
  runId: string;
  stepId: string;
  stepType: string;
  status: string;
  proposed: unknown;
  final: unknown;
  editDiff: unknown[] | null;
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
      if (task.status !== 'approved' || task.editDiff === null || task.editDiff.length === 0 || task.stepType !== 'ai') return null;
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
      return null;
    },
    idle: () => retraining,
  };
}
