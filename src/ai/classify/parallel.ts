/**
 * `trainClassifierAsync`: the same training as `trainClassifier` (identical model for the same
 * data and options) with the fit jobs run in worker threads, so the calling thread's event loop
 * stays free and several cores are used.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { WorkerRequest } from './fit-worker.ts';
import type { ClassifierModel } from './model.ts';
import { assembleModel, fitJobs, planTraining } from './plan.ts';
import type { FitJob, FitResult } from './plan.ts';
import type { TrainClassifierOptions, TrainingExample } from './types.ts';

export interface AsyncTrainingOptions extends TrainClassifierOptions {
  /** Worker threads to use. Default: the number of CPUs, at most 4. */
  workers?: number;
}

/**
 * Train in worker threads. Term extraction and calibration run in the calling thread; the
 * fits (one per calibration fold plus the final model) run in parallel.
 *
 * @example
 * const model = await trainClassifierAsync(examples, { workers: 2 });
 */
export async function trainClassifierAsync(
  examples: readonly TrainingExample[],
  options: AsyncTrainingOptions = {},
): Promise<ClassifierModel> {
  const { workers: requested, ...trainOptions } = options;
  const plan = planTraining(examples, trainOptions);
  const jobs = fitJobs(plan);
  const count = Math.max(1, Math.min(requested ?? Math.min(4, availableParallelism()), jobs.length));
  const pool = Array.from({ length: count }, () => new Worker(new URL('./fit-worker.ts', import.meta.url)));
  try {
    const results = new Array<FitResult>(jobs.length);
    let next = 0;
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const dispatch = (): void => {
              if (next >= jobs.length) {
                resolve();
                return;
              }
              const id = next++;
              worker.postMessage({ kind: 'job', id, job: jobs[id] as FitJob } satisfies WorkerRequest);
            };
            worker.on('message', (message: { id: number; result: FitResult }) => {
              results[message.id] = message.result;
              dispatch();
            });
            worker.once('error', reject);
            // After this worker's promise settled (terminate() in `finally`), rejecting is a no-op.
            worker.once('exit', (code) => reject(new Error(`classifier training worker exited early (code ${code})`)));
            worker.postMessage({ kind: 'context', context: plan.context } satisfies WorkerRequest);
            dispatch();
          }),
      ),
    );
    return assembleModel(plan, jobs, results);
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
}
