/**
 * Recurring invoices as a service: templates (create, list, show, pause, resume) and the periodic
 * check the worker runs.
 *
 * Exactly one invoice per period, in three layers:
 * 1. Each due period starts ONE run of `recurring-invoice` with the idempotency key
 *    `recurring:<template>:<period>`; the engine returns the existing run for a key it has seen
 *    (a unique index on the runs table), so checking twice, from two processes at once, or again
 *    after a crash before `next_date` moved on, starts nothing new.
 * 2. `next_date` moves on by compare-and-set (only from the period just started), so two checks
 *    never skip or repeat a period between them.
 * 3. The invoice is written with a (template, period) row in one transaction (actions.ts): even a
 *    second run for the same period, however started, cannot commit a second invoice.
 *
 * Periods missed while OpsLoop was down are each started when it is back: an invoice is owed
 * per period, dated the period's date. Periods that passed while a template was paused are not.
 */
import { messageOf, NotFoundError, ValidationError } from '../../../core/errors.ts';
import type { Governance } from '../../../governance/index.ts';
import type { Engine } from '../../../workflow/index.ts';
import { duePeriods, localDate } from './schedule.ts';
import { createTemplate, getTemplate, listPeriods, listTemplates, recurringWorkflowId, setTemplateStatus, templateSchedule, type PeriodView, type TemplateView } from './templates.ts';
import { recurringPolicy, recurringPolicyId, recurringWorkflow } from './workflow.ts';

export interface RecurringDeps {
  engine: Engine;
  governance: Pick<Governance, 'listPolicies' | 'savePolicy'>;
  /** the business's IANA time zone (OPSLOOP_TIMEZONE): which day it is */
  timezone: string;
}

export interface StartedPeriod {
  template: string;
  period: string;
  runId: string;
  /** false when the period's run already existed (a repeated or concurrent check) */
  created: boolean;
}

/** At most this many periods of one template are started per check (a long outage catches up over several). */
const maxPeriodsPerCheck = 100;

export class RecurringInvoices {
  readonly #d: RecurringDeps;
  #shipped = false;

  constructor(deps: RecurringDeps) {
    this.#d = deps;
  }

  /** Today in the business's time zone, by the engine's clock. */
  today(): string {
    try {
      return localDate(this.#d.engine.clock.now(), this.#d.timezone);
    } catch (error) {
      throw new ValidationError('CONFIG_INVALID', `Configuration timezone (OPSLOOP_TIMEZONE) "${this.#d.timezone}" is not an IANA time zone such as "Europe/Berlin"`, { cause: error, details: { path: 'timezone', env: 'OPSLOOP_TIMEZONE' } });
    }
  }

  /** The worker's periodic hook: {@link check}, with a failure logged rather than stopping the worker's pass. */
  readonly periodic = async (): Promise<void> => {
    try {
      await this.check();
    } catch (error) {
      this.#d.engine.logger.warn({ error: messageOf(error) }, 'recurring invoices: the periodic check failed');
    }
  };

  get #db() {
    return this.#d.engine.database.db;
  }

  async create(raw: unknown, actor: string): Promise<TemplateView> {
    const { engine } = this.#d;
    return engine.committer.unit((tx) => createTemplate(tx, engine.database.dialect, raw, { actor, today: this.today(), now: engine.clock.now() }));
  }

  list(filter: { status?: string } = {}): Promise<TemplateView[]> {
    return listTemplates(this.#db, filter);
  }

  async get(id: string): Promise<{ template: TemplateView; periods: PeriodView[] }> {
    const template = await getTemplate(this.#db, id);
    return { template, periods: await listPeriods(this.#db, id) };
  }

  pause(id: string, actor: string): Promise<TemplateView> {
    return this.#setStatus(id, 'paused', actor);
  }

  resume(id: string, actor: string): Promise<TemplateView> {
    return this.#setStatus(id, 'active', actor);
  }

  #setStatus(id: string, to: 'active' | 'paused', actor: string): Promise<TemplateView> {
    const { engine } = this.#d;
    return engine.committer.unit((tx) => setTemplateStatus(tx, engine.database.dialect, id, to, { actor, today: this.today(), now: engine.clock.now() }));
  }

  /**
   * Starts a run for every period whose date has come (queued for the worker). Safe to call at
   * any time, repeatedly and concurrently: see the header for why no period is started twice.
   */
  async check(): Promise<StartedPeriod[]> {
    const { engine } = this.#d;
    const today = this.today();
    const due = await this.#db
      .selectFrom('recurring_templates')
      .select(['id', 'schedule', 'end_date', 'next_date'])
      .where('status', '=', 'active')
      .where('next_date', '<=', today)
      .orderBy('next_date')
      .execute();
    const started: StartedPeriod[] = [];
    // The shipped workflow and policy arrive with the first due period, not in every database.
    if (due.length > 0) await this.ensureShipped();
    for (const template of due) {
      const plan = duePeriods(templateSchedule(template), template.next_date, today, template.end_date, maxPeriodsPerCheck);
      // Each period, then the template moved on past it; past the end date, it moves to "ended".
      const steps: { period: string | null; next: string | null }[] = plan.due.map((period, i) => ({ period, next: plan.due[i + 1] ?? plan.next }));
      if (steps.length === 0) steps.push({ period: null, next: plan.next });
      let from = template.next_date ?? '';
      for (const step of steps) {
        if (step.period !== null) {
          const run = await engine.startRun(
            recurringWorkflowId,
            { template: template.id, period: step.period },
            { idempotencyKey: `recurring:${template.id}:${step.period}`, execute: false, trigger: { type: 'recurring', template: template.id, period: step.period } },
          );
          started.push({ template: template.id, period: step.period, runId: run.runId, created: run.created });
        }
        const moved = await engine.committer.unit((tx) =>
          tx
            .updateTable('recurring_templates')
            .set({ next_date: step.next, status: step.next === null ? 'ended' : 'active', updated_at: engine.clock.now() })
            .where('id', '=', template.id)
            .where('next_date', '=', from)
            .where('status', '=', 'active')
            .executeTakeFirst(),
        );
        // Another check moved it on (or the template was paused): that check goes on from here.
        if (Number(moved.numUpdatedRows) === 0) break;
        from = step.next ?? '';
      }
    }
    return started;
  }

  /** Saves the shipped workflow and policy when they are missing; never overwrites the business's versions. */
  async ensureShipped(): Promise<void> {
    if (this.#shipped) return;
    const { engine, governance } = this.#d;
    const policies = await governance.listPolicies();
    if (!policies.some((p) => p.id === recurringPolicyId)) await governance.savePolicy(recurringPolicy, 'system');
    try {
      await engine.workflows.get(recurringWorkflowId);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      try {
        await engine.addWorkflow(recurringWorkflow);
      } catch (saveError) {
        // Another process saved it at the same moment: theirs is the same content.
        engine.workflows.invalidate();
        await engine.workflows.get(recurringWorkflowId).catch(() => {
          throw saveError;
        });
      }
    }
    this.#shipped = true;
  }
}
