/**
 * Rebuilds the built-in model `default-model.json`: rankers and lexicons trained on SROIE
 * train ∪ dev. The rankers learn how far to trust vendor knowledge, but the model ships without
 * SROIE's vendors: a fresh install remembers none; each business's corrections build its own
 * `VendorKnowledge`. Its calibration (per-field thresholds for 99 % precision) is measured the
 * same way, on held-out folds of train ∪ dev read without vendor knowledge.
 *
 * Run: `node src/ai/read/build-default-model.ts [datasetDir]` (default ../shared/datasets/sroie beside the repository, or $OPSLOOP_DATASETS/sroie).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSroieJsonl, sroieToLabelled } from './eval.ts';
import { calibrateReader } from './calibrate.ts';
import { trainReader } from './train.ts';

const dir = process.argv[2] ?? join(process.env.OPSLOOP_DATASETS ?? join(import.meta.dirname, '../../../../shared/datasets'), 'sroie');
const examples = sroieToLabelled([...loadSroieJsonl(join(dir, 'train.jsonl')), ...loadSroieJsonl(join(dir, 'dev.jsonl'))]);
const model = trainReader(examples, { includeKnowledge: false });
model.calibration = calibrateReader(examples, { includeKnowledge: false, source: 'SROIE train+dev without vendor knowledge' });
const path = new URL('./default-model.json', import.meta.url);
writeFileSync(path, JSON.stringify(model));
console.log(JSON.stringify({ written: path.pathname, examples: examples.length, bytes: JSON.stringify(model).length, calibration: model.calibration }));
