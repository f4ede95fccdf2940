/**
 * Worker-thread entry for `trainClassifierAsync`: receives the shared {@link FitContext} once,
 * then runs fit jobs and posts their results (buffers transferred, not copied).
 */
import { parentPort } from 'node:worker_threads';
import { runFitJob } from './plan.ts';
import type { FitContext, FitJob } from './plan.ts';

export type WorkerRequest = { kind: 'context'; context: FitContext } | { kind: 'job'; id: number; job: FitJob };

let context: FitContext | undefined;

parentPort?.on('message', (message: WorkerRequest) => {
  if (message.kind === 'context') {
    context = message.context;
    return;
  }
  if (context === undefined) throw new Error('fit worker: job before context');
  const result = runFitJob(context, message.job);
  parentPort?.postMessage({ id: message.id, result }, [
    result.keys.buffer,
    result.idf.buffer,
    result.weights.buffer,
    result.bias.buffer,
    result.heldOutLogits.buffer,
  ] as ArrayBuffer[]);
});
