/**
 * The composition root. `OpsLoop.open()` builds one application object — configuration, the
 * database (migrated), the registry of actions and skills, the engine and its worker — and
 * `close()` releases all of it. No process-global singletons: tests open several side by side.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMailer, mailSettings, registerBuiltinActions, type MailConfigSource } from './actions/index.ts';
import { loadConfig, type Config, type ConfigInput } from './core/config.ts';
import type { Clock } from './core/clock.ts';
import { ValidationError } from './core/errors.ts';
import { createLogger, type Logger } from './core/logger.ts';
import { connectDatabase, type Database } from './data/database.ts';
import { Engine, Registry, Worker, type Gate } from './workflow/index.ts';
import { Governance } from './governance/index.ts';
import { AiStore, createLearner, registerBuiltinSkills, type BuiltinSkills, type Learner } from './ai/index.ts';
import { aiEnvironment, aiSettings } from './ai/providers/index.ts';
import { systemClock } from './core/clock.ts';
import { businessProfiles, registerBanking, registerFinance, RecurringInvoices } from './domains/finance/index.ts';
import { installPlaybooks } from './domains/finance/playbooks/index.ts';
import { isEmptyBusiness, seedDemo } from './domains/finance/demo.ts';

/** A plugin module exports `register(registry, context)` to add actions, skills and effects. */
export interface PluginModule {
  register(registry: Registry, context: { config: Config; logger: Logger }): void | Promise<void>;
}

export interface OpenOptions {
  /** explicit settings; they win over the environment */
  config?: ConfigInput;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  logger?: Logger;
  gate?: Gate;
  /** extra registrations, e.g. from tests */
  register?: (registry: Registry) => void;
  poolSize?: number;
}

export class OpsLoop {
  readonly config: Config;
  readonly database: Database;
  readonly registry: Registry;
  readonly engine: Engine;
  readonly worker: Worker;
  readonly governance: Governance;
  readonly ai: BuiltinSkills & { learner: Learner };
  readonly logger: Logger;
  #closed = false;

  private constructor(config: Config, database: Database, registry: Registry, engine: Engine, governance: Governance, ai: BuiltinSkills & { learner: Learner }, logger: Logger) {
    this.config = config;
    this.database = database;
    this.registry = registry;
    this.engine = engine;
    this.governance = governance;
    this.ai = ai;
    this.worker = new Worker(engine);
    this.worker.addPeriodic(() => governance.periodic());
    this.worker.addPeriodic(new RecurringInvoices({ engine, governance, timezone: config.timezone }).periodic);
    this.logger = logger;
  }

  static async open(options: OpenOptions = {}): Promise<OpsLoop> {
    const config = loadConfig(options.config ?? {}, options.env ?? process.env);
    const logger = options.logger ?? createLogger(config.logLevel);
    const registry = new Registry();
    // Every email effect sends with the mail settings in force (Settings over SMTP_URL), kept in the database opened below.
    let mail: MailConfigSource | null = null;
    const mailer = createMailer({ current: () => (mail === null ? Promise.reject(new Error('the database is not open yet')) : mail.current()) });
    registerBuiltinActions(registry, mailer);
    options.register?.(registry);
    for (const plugin of config.plugins) await loadPlugin(plugin, registry, config, logger);
    const database = await connectDatabase(config, options.poolSize === undefined ? {} : { poolSize: options.poolSize });
    const clock = options.clock ?? systemClock;
    const mailSource = mailSettings(database, config);
    mail = mailSource;
    // Skills ask for the provider at each call: Settings → AI provider over OPENAI_* (a bad variable still fails the start).
    const ai = registerBuiltinSkills(registry, new AiStore(database.db), aiSettings(database, aiEnvironment(options.env ?? process.env)));
    const governance = new Governance({ database, clock, logger, mailEnabled: (db) => mailSource.enabled(db), timezone: config.timezone, digestHour: config.digestHour });
    // Finance actions announce status changes with the engine's hooks (governance's), so a run an event starts is audited.
    registerFinance(registry, database, { business: businessProfiles(database, config), mailer, reminders: { cadence: config.reminderCadence, hour: config.reminderHour, timezone: config.timezone }, hooks: governance.hooks });
    const engine = new Engine({ database, registry, logger, settings: config, gate: options.gate ?? governance.gate, hooks: governance.hooks, clock });
    governance.attach(engine);
    registerBanking(registry, engine);
    const learner = createLearner(database.db, ai.store, clock, logger);
    governance.onDecided(async (task) => {
      await learner.learn(task);
    });
    return new OpsLoop(config, database, registry, engine, governance, { ...ai, learner }, logger);
  }

  /**
   * First-start work for a serving process: loads the shipped playbooks that are not there yet
   * and, into an empty database with OPSLOOP_DEMO on, seeds the demo business.
   */
  async prepare(options: { demo?: boolean } = {}): Promise<{ playbooks: string[]; demo: boolean }> {
    const fresh = await isEmptyBusiness(this.engine);
    const playbooks = await installPlaybooks(this.engine, this.governance);
    const demo = (options.demo ?? this.config.demo === 'true') && fresh;
    if (demo) {
      await seedDemo(this.engine);
      this.logger.info('seeded the demo business (OPSLOOP_DEMO=false to start empty)');
    }
    return { playbooks, demo };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.worker.stop();
    await this.engine.committer.drain();
    await this.ai.learner.idle();
    await this.ai.close();
    await this.database.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

async function loadPlugin(specifier: string, registry: Registry, config: Config, logger: Logger): Promise<void> {
  const url = specifier.startsWith('.') || path.isAbsolute(specifier) ? pathToFileURL(path.resolve(specifier)).href : specifier;
  let mod: Partial<PluginModule>;
  try {
    mod = (await import(url)) as Partial<PluginModule>;
  } catch (error) {
    throw new ValidationError('PLUGIN_LOAD_FAILED', `Plugin "${specifier}" (OPSLOOP_PLUGINS) could not be loaded: ${(error as Error).message}`, { cause: error });
  }
  if (typeof mod.register !== 'function') {
    throw new ValidationError('PLUGIN_INVALID', `Plugin "${specifier}" (OPSLOOP_PLUGINS) does not export a register(registry) function`);
  }
  await mod.register(registry, { config, logger });
}
