/**
 * The `opsloop` command: a thin layer over the same application object the server uses.
 * Errors print their code and message and exit with the code mapped in core/errors.ts.
 */
import fs from 'node:fs';
import { Command, Option } from 'commander';
import { OpsLoop } from '../app.ts';
import { exitCodeFor, OpsLoopError, ValidationError, messageOf } from '../core/errors.ts';
import { listen } from '../server/index.ts';
import { formatRunList, formatRunTimeline } from './format.ts';
import { addGovernanceCommands } from './governance.ts';
import { addAiCommands } from './ai.ts';
import { addFinanceCommands } from './finance.ts';
import { addRecurringCommands } from './recurring.ts';
import { addBankingCommands } from './banking.ts';

function parseJsonOption(value: string | undefined, name: string): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch (error) {
    throw new ValidationError('CLI_JSON_INVALID', `${name} is not valid JSON: ${(error as Error).message}`);
  }
}

function print(value: unknown): void {
  process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);
}

async function withApp<T>(work: (app: OpsLoop) => Promise<T>): Promise<T> {
  const app = await OpsLoop.open({ config: process.env.LOG_LEVEL === undefined ? { logLevel: 'warn' } : {} });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

function onSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (): void => {
    if (stopping) process.exit(130);
    stopping = true;
    void stop().then(() => process.exit(0));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

export function buildCli(): Command {
  const program = new Command('opsloop')
    .description('OpsLoop: durable workflows with AI steps, approvals and an audit trail, for small businesses.')
    .showHelpAfterError();

  program
    .command('serve')
    .description('Serve the web app, the API and webhooks, and work on runs (creates and migrates the database on first start)')
    .option('-p, --port <port>', 'port (PORT)')
    .option('--host <host>', 'interface (HOST)')
    .option('--no-worker', 'only serve; leave queued runs to `opsloop worker` processes')
    .action(async (options: { port?: string; host?: string; worker: boolean }) => {
      const app = await OpsLoop.open({ config: { ...(options.port === undefined ? {} : { port: Number(options.port) }), ...(options.host === undefined ? {} : { host: options.host }) } });
      const prepared = await app.prepare();
      if (options.worker) await app.worker.start();
      const server = await listen(app);
      app.logger.info({ url: server.url, database: app.database.dialect }, 'OpsLoop is serving');
      print(`OpsLoop is serving on ${server.url} (database: ${app.database.dialect})`);
      if (prepared.demo) print('A demo business was created so you can look around (start with OPSLOOP_DEMO=false for an empty one).');
      if (!(await app.governance.hasUsers())) print(`Open ${server.url} to create the owner account, or run: opsloop user add <email> --role owner`);
      onSignals(async () => {
        await server.close();
        await app.close();
      });
    });

  program
    .command('worker')
    .description('Work on queued runs, timers, schedules and the outbox (PostgreSQL: run as many as you like)')
    .action(async () => {
      const app = await OpsLoop.open();
      await app.prepare({ demo: false });
      await app.worker.start();
      print(`OpsLoop worker ${app.config.workerId} started (database: ${app.database.dialect})`);
      onSignals(() => app.close());
    });

  program
    .command('migrate')
    .description('Create or upgrade the database schema')
    .action(async () => {
      await withApp(async (app) => print(`Database is up to date (${app.database.dialect}).`));
    });

  const workflows = program.command('workflows').description('Workflow definitions');
  workflows
    .command('add <file>')
    .description('Add a workflow from a YAML or JSON file (a changed file becomes a new version)')
    .action(async (file: string) => {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (error) {
        throw new ValidationError('CLI_FILE_UNREADABLE', `Cannot read ${file}: ${messageOf(error)}`);
      }
      await withApp(async (app) => {
        const saved = await app.engine.addWorkflow(text);
        print(saved.created ? `Workflow ${saved.workflowId} saved as version ${saved.version}.` : `Workflow ${saved.workflowId} is unchanged (version ${saved.version}).`);
      });
    });
  workflows
    .command('list')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await withApp(async (app) => {
        const list = await app.engine.workflows.list();
        if (options.json === true) return print(list);
        print(list.length === 0 ? 'No workflows yet: add one with `opsloop workflows add <file>`.' : list.map((w) => `${w.id}  v${w.currentVersion}  ${w.name}`).join('\n'));
      });
    });

  program
    .command('run <workflow>')
    .description('Start a run and advance it here until it ends or waits')
    .option('-i, --input <json>', 'run input as a JSON object', '{}')
    .option('--idempotency-key <key>', 'a second run with the same key returns the first')
    .option('--queue', 'only queue the run for a worker')
    .option('--json', 'print JSON')
    .action(async (workflow: string, options: { input: string; idempotencyKey?: string; queue?: boolean; json?: boolean }) => {
      const input = parseJsonOption(options.input, '--input');
      await withApp(async (app) => {
        const started = await app.engine.startRun(workflow, input, {
          trigger: { type: 'cli' },
          ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: `cli:${options.idempotencyKey}` }),
          execute: options.queue !== true,
        });
        await app.worker.drain(1);
        const view = await app.engine.getRun(started.runId, { steps: true });
        print(options.json === true ? view : formatRunTimeline(view));
        if (view.status === 'exception') process.exitCode = 1;
      });
    });

  const runs = program
    .command('runs')
    .description('List runs, newest first')
    .addOption(new Option('-s, --status <status>', 'only runs in this state').choices(['queued', 'running', 'waiting', 'completed', 'exception', 'cancelled']))
    .option('-w, --workflow <id>', 'only runs of this workflow')
    .option('-n, --limit <n>', 'how many', '50')
    .option('--json', 'print JSON')
    .action(async (options: { status?: string; workflow?: string; limit: string; json?: boolean }) => {
      await withApp(async (app) => {
        const list = await app.engine.listRuns({ limit: Number(options.limit), ...(options.status === undefined ? {} : { status: options.status }), ...(options.workflow === undefined ? {} : { workflowId: options.workflow }) });
        print(options.json === true ? list : formatRunList(list));
      });
    });
  runs
    .command('show <runId>')
    .description("A run's timeline: every step with status, attempt, timings, actor and output")
    .option('--json', 'print JSON')
    .action(async (runId: string, options: { json?: boolean }) => {
      await withApp(async (app) => {
        const view = await app.engine.getRun(runId, { steps: true });
        const json = options.json === true || (runs.opts() as { json?: boolean }).json === true;
        print(json ? view : formatRunTimeline(view));
      });
    });

  program
    .command('signal <runId> <name>')
    .description('Send a signal to a run (e.g. name "approval" with payload {"decision":"approve"})')
    .option('-p, --payload <json>', 'signal payload as JSON', 'null')
    .action(async (runId: string, name: string, options: { payload: string }) => {
      const payload = parseJsonOption(options.payload, '--payload');
      await withApp(async (app) => {
        const result = await app.engine.signal(runId, name, payload);
        await app.worker.drain(1);
        print(result.woken ? `Signal "${name}" delivered; run ${runId} woke up.` : `Signal "${name}" stored; run ${runId} takes it when it waits for it.`);
      });
    });

  program
    .command('emit <event>')
    .description('Emit a domain event (wakes runs waiting for it, starts runs it triggers)')
    .option('-k, --key <key>', 'correlation key')
    .option('-p, --payload <json>', 'event payload as JSON', 'null')
    .action(async (event: string, options: { key?: string; payload: string }) => {
      const payload = parseJsonOption(options.payload, '--payload');
      await withApp(async (app) => {
        const result = await app.engine.emit(event, options.key ?? null, payload, 'cli');
        print(`Event ${event} #${result.eventId}: woke ${result.woken.length} run(s), started ${result.started.length}.`);
      });
    });

  for (const [name, description] of [
    ['retry', 'Try the failed step of a run in exception again'],
    ['skip', 'Skip the failed step of a run in exception and go on'],
    ['cancel', 'Cancel a run that has not ended'],
  ] as const) {
    program
      .command(`${name} <runId>`)
      .description(description)
      .action(async (runId: string) => {
        await withApp(async (app) => {
          const view = name === 'retry' ? await app.engine.retry(runId, 'cli') : name === 'skip' ? await app.engine.skip(runId, null, 'cli') : await app.engine.cancel(runId, 'cancelled from the command line', 'cli');
          print(`Run ${runId} is now ${view.status}.`);
        });
      });
  }

  program
    .command('exceptions')
    .description('Runs and deliveries that stopped and need a person')
    .option('--all', 'include resolved ones')
    .option('--json', 'print JSON')
    .action(async (options: { all?: boolean; json?: boolean }) => {
      await withApp(async (app) => {
        const list = await app.engine.listExceptions(options.all === true ? 'all' : 'open');
        if (options.json === true) return print(list);
        print(list.length === 0 ? 'No open exceptions.' : list.map((e) => `${String(e.createdAt)}  ${String(e.code)}  run ${String(e.runId)}  ${String(e.message)}`).join('\n'));
      });
    });

  addGovernanceCommands(program, withApp, print);
  addAiCommands(program, withApp, print);
  addFinanceCommands(program, withApp, print);
  addRecurringCommands(program, withApp, print);
  addBankingCommands(program, withApp, print);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (error) {
    const code = error instanceof OpsLoopError ? error.code : 'INTERNAL';
    process.stderr.write(`error ${code}: ${messageOf(error)}\n`);
    process.exitCode = exitCodeFor(error);
  }
}

await main();
