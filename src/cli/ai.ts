/** `opsloop` commands of the built-in AI: train and use classifiers, read documents, evaluate. */
import type { Command } from 'commander';
import type { OpsLoop } from '../app.ts';
import { readTextFile } from './io.ts';
import { ValidationError } from '../core/errors.ts';
import { toReadOutput } from '../ai/index.ts';
import { evaluateClassifier, trainClassifier, trainClassifierAsync } from '../ai/classify/index.ts';
import { createDocumentLoader, readablePart } from '../ai/documents/index.ts';
import { parseLabelledJsonl } from '../ai/eval/jsonl.ts';
import { evaluateReader, extractFields, loadDefaultModel, loadSroieJsonl, sroieToLabelled, trainReader, type ReadResult } from '../ai/read/index.ts';
import { coverageAtPrecision } from '../ai/eval/metrics.ts';

type WithApp = <T>(work: (app: OpsLoop) => Promise<T>) => Promise<T>;
type Print = (value: unknown) => void;


function labelled(file: string): { text: string; label: string; inScope?: boolean }[] {
  return parseLabelledJsonl(readTextFile(file), file).map((r) => ({ text: r.text, label: r.label, ...(r.inScope === undefined ? {} : { inScope: r.inScope }) }));
}

/** Read: micro F1 over fields, per-field P/R/F1, and the share of fields it could fill alone at 99% precision. */
function evaluateRead(dataFile: string, trainFile: string | undefined): Record<string, unknown> {
  const dev = loadSroieJsonl(dataFile);
  const model = trainFile === undefined ? loadDefaultModel() : trainReader(sroieToLabelled(loadSroieJsonl(trainFile)));
  const results: ReadResult[] = [];
  const evaluation = evaluateReader((lines) => {
    const result = extractFields(lines, { model });
    results.push(result);
    return result;
  }, dev);
  const wrong = new Set(evaluation.errors.map((e) => `${e.id}|${e.key}`));
  const confidences: number[] = [];
  const correct: boolean[] = [];
  dev.forEach((example, i) => {
    const result = results[i];
    if (result === undefined) return;
    for (const [key, field] of [['company', result.fields.vendor], ['date', result.fields.issueDate], ['address', result.fields.address], ['total', result.fields.total]] as const) {
      if (field.value === null || field.value === '') continue;
      confidences.push(field.confidence);
      correct.push(!wrong.has(`${example.id}|${key}`));
    }
  });
  return { skill: 'read', n: evaluation.n, f1: evaluation.f1, precision: evaluation.precision, recall: evaluation.recall, fields: evaluation.fields, coverageAt99: coverageAtPrecision(confidences, correct, 0.99), highConfidence: evaluation.highConfidence };
}

export function addAiCommands(program: Command, withApp: WithApp, print: Print): void {
  const classify = program.command('classify').description("Text classifiers trained on this business's own examples");
  classify
    .command('train')
    .description('Train (or retrain) a classifier from labelled JSON lines ({"text": …, "label": …})')
    .requiredOption('-m, --model <name>', 'the name workflows use (skill input "model")')
    .requiredOption('-d, --data <jsonl>', 'labelled examples')
    .action(async (o: { model: string; data: string }) => {
      const examples = labelled(o.data);
      await withApp(async (app) => {
        const corrections = (await app.ai.store.examples(o.model)).filter((e) => e.source === 'correction');
        const model = await trainClassifierAsync([...examples, ...corrections], { clock: { now: () => app.engine.clock.now() } });
        await app.ai.store.replaceImported(o.model, examples, app.engine.clock.now());
        await app.ai.store.saveClassifier(o.model, model, app.engine.clock.now());
        print(`Classifier ${o.model}: ${model.labels.length} labels from ${model.metadata.exampleCount} examples (${corrections.length} corrections); acts alone above confidence ${model.threshold.toFixed(3)}.`);
      });
    });
  classify
    .command('predict <text...>')
    .description('Label a text with a trained classifier')
    .requiredOption('-m, --model <name>', 'classifier name')
    .option('--json', 'print JSON')
    .action(async (words: string[], o: { model: string; json?: boolean }) => {
      await withApp(async (app) => {
        const model = await app.ai.store.classifier(o.model);
        const prediction = model.predict(words.join(' '));
        if (o.json === true) return print(prediction);
        print(`${prediction.abstained ? 'not sure — a person should look' : prediction.label}  (confidence ${prediction.confidence.toFixed(3)}; best guess ${prediction.label})`);
      });
    });

  program
    .command('read <file>')
    .description('Read an invoice, receipt or order (PDF, image, .eml or text) into fields')
    .option('--json', 'print JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      await withApp(async (app) => {
        const loader = createDocumentLoader();
        try {
          const document = await loader.loadFile(file);
          // An email is read from the one part that holds the bill (an attachment, or its text).
          const readable = readablePart(document);
          const result = extractFields(readable.lines, { knowledge: await app.ai.store.knowledge() });
          const read = toReadOutput(result, readable.part);
          if (o.json === true) return print({ source: document.source, kind: document.kind, ...(readable.part === undefined ? {} : { readFrom: readable.part }), fields: result.fields, lineItems: result.lineItems, confidence: read.confidence });
          print(
            Object.entries(result.fields)
              .map(([name, f]) => `${name.padEnd(15)} ${f.value === null ? '—' : f.value}${f.value === null ? '' : `   (${f.confidence.toFixed(2)})`}`)
              .join('\n'),
          );
        } finally {
          await loader.close();
        }
      });
    });

  program
    .command('eval <skill>')
    .description('Measure a skill on labelled data (read: SROIE-format JSON lines; classify: {"text","label"} JSON lines)')
    .requiredOption('-d, --data <jsonl>', 'the evaluation examples')
    .option('-t, --train <jsonl>', 'train on these first (classify: required)')
    .option('--json', 'print JSON')
    .action((skill: string, o: { data: string; train?: string; json?: boolean }) => {
      let result: Record<string, unknown>;
      if (skill === 'read') result = evaluateRead(o.data, o.train);
      else if (skill === 'classify') {
        if (o.train === undefined) throw new ValidationError('CLI_OPTION_INVALID', 'eval classify needs --train <jsonl> to train on');
        const model = trainClassifier(labelled(o.train));
        const evaluation = evaluateClassifier(model, labelled(o.data));
        result = { skill: 'classify', ...evaluation };
      } else throw new ValidationError('CLI_OPTION_INVALID', `No evaluation for skill "${skill}": use read or classify`);
      print(o.json === true ? JSON.stringify(result) : JSON.stringify(result, null, 2));
      return Promise.resolve();
    });
}

