/** `opsloop recurring add|list|show|pause|resume`: recurring invoices. */
import type { Command } from 'commander';
import type { OpsLoop } from '../app.ts';
import { OpsLoopError, ValidationError } from '../core/errors.ts';
import { RecurringInvoices, type TemplateView } from '../domains/finance/index.ts';

type WithApp = <T>(work: (app: OpsLoop) => Promise<T>) => Promise<T>;
type Print = (value: unknown) => void;

interface AddOptions {
  client?: string;
  amount?: string;
  currency?: string;
  description?: string;
  tax?: string;
  terms?: string;
  monthly?: string;
  everyWeeks?: string;
  yearly?: string;
  email?: string;
  start?: string;
  end?: string;
  json?: boolean;
}

/** Which option a field of the template comes from, so errors name what the person typed. */
const optionOf: Record<string, string> = {
  client: '--client',
  currency: '--currency',
  'lines[0].description': '--description',
  'lines[0].unitPrice': '--amount',
  'lines[0].taxRate': '--tax',
  paymentTermsDays: '--terms',
  'schedule.day': '--monthly',
  'schedule.everyWeeks': '--every-weeks',
  'schedule.date': '--yearly',
  email: '--email',
  startDate: '--start',
  endDate: '--end',
};

function optionError(option: string, message: string): ValidationError {
  return new ValidationError('CLI_OPTION_INVALID', `${option} ${message}`, { details: { path: option } });
}

function wholeNumber(value: string, option: string, what: string): number {
  if (!/^\d+$/.test(value.trim())) throw optionError(option, `must be ${what}, not "${value}"`);
  return Number(value);
}

/** The template the options describe (checked in full by the domain). */
function templateFromOptions(o: AddOptions): Record<string, unknown> {
  for (const [value, option, what] of [
    [o.client, '--client', "the client's name"],
    [o.amount, '--amount', 'the amount of each invoice, such as 500 or 99.50'],
    [o.description, '--description', 'what each invoice is for, such as "Monthly retainer"'],
  ] as const) {
    if (value === undefined || value.trim() === '') throw optionError(option, `is required: ${what}`);
  }
  const schedules = [o.monthly, o.everyWeeks, o.yearly].filter((v) => v !== undefined);
  if (schedules.length !== 1) throw optionError('--monthly', 'or --every-weeks or --yearly: give exactly one, e.g. --monthly 1 (the 1st of each month)');
  const schedule =
    o.monthly !== undefined
      ? { kind: 'monthly', day: wholeNumber(o.monthly, '--monthly', 'a day of the month from 1 to 31') }
      : o.everyWeeks !== undefined
        ? { kind: 'weekly', everyWeeks: wholeNumber(o.everyWeeks, '--every-weeks', 'a number of weeks from 1 to 52') }
        : { kind: 'yearly', date: o.yearly };
  return {
    client: o.client,
    currency: o.currency ?? 'USD',
    lines: [{ description: o.description, quantity: '1', unitPrice: o.amount?.trim(), ...(o.tax === undefined ? {} : { taxRate: o.tax }) }],
    ...(o.terms === undefined ? {} : { paymentTermsDays: wholeNumber(o.terms, '--terms', 'a number of days') }),
    ...(o.email === undefined ? {} : { email: o.email }),
    schedule,
    ...(o.start === undefined ? {} : { startDate: o.start }),
    ...(o.end === undefined ? {} : { endDate: o.end }),
  };
}

function summary(t: TemplateView): string {
  const what = t.lines.map((l) => l.description).join(', ');
  const next = t.nextPeriod === null ? 'no more invoices' : `next invoice ${t.nextPeriod}`;
  return `${t.id}  ${t.status}  ${t.client.name}  ${t.total} ${t.currency}  "${what}"  ${t.every}${t.endDate === null ? '' : ` until ${t.endDate}`}  ${next}${t.email === null ? '  (no email: left as a draft)' : `  to ${t.email}`}`;
}

export function addRecurringCommands(program: Command, withApp: WithApp, print: Print): void {
  const service = (app: OpsLoop): RecurringInvoices => new RecurringInvoices({ engine: app.engine, governance: app.governance, timezone: app.config.timezone });
  const recurring = program.command('recurring').description('Recurring invoices: one invoice per period, made and sent on schedule by the worker');

  recurring
    .command('add')
    .description('Add a recurring invoice, e.g. --client "Acme Ltd" --amount 500 --currency USD --description "Retainer" --monthly 1')
    .option('--client <name>', "the client's name (created if new)")
    .option('--amount <amount>', 'the amount of each invoice, before tax')
    .option('--currency <code>', 'ISO 4217 currency code', 'USD')
    .option('--description <text>', 'what each invoice is for')
    .option('--tax <rate>', 'tax rate in percent, e.g. 20')
    .option('--terms <days>', 'payment terms: the due date is this many days after the invoice date (default 14)')
    .option('--monthly <day>', 'on this day of every month (31: the last day of shorter months)')
    .option('--every-weeks <n>', 'every n weeks from the start date')
    .option('--yearly <MM-DD>', 'once a year on this date, e.g. 03-15')
    .option('--email <address>', 'email each invoice here; without it each invoice stays a draft for you to send')
    .option('--start <YYYY-MM-DD>', 'the first day the schedule counts from (default today)')
    .option('--end <YYYY-MM-DD>', 'no invoices after this date')
    .option('--json', 'print JSON')
    .action(async (o: AddOptions) => {
      const input = templateFromOptions(o);
      await withApp(async (app) => {
        let template: TemplateView;
        try {
          template = await service(app).create(input, 'cli');
        } catch (error) {
          const path = error instanceof OpsLoopError ? error.details?.path : undefined;
          const option = typeof path === 'string' ? optionOf[path] : undefined;
          if (error instanceof ValidationError && option !== undefined) throw optionError(option, error.message.replace(/^Recurring invoice [^:]+: /, ''));
          throw error;
        }
        print(o.json === true ? template : `Added recurring invoice ${summary(template)}.`);
      });
    });

  recurring
    .command('list')
    .description('List recurring invoices, newest first')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      await withApp(async (app) => {
        const list = await service(app).list();
        if (o.json === true) return print(list);
        print(list.length === 0 ? 'No recurring invoices yet: add one with `opsloop recurring add --client "Acme Ltd" --amount 500 --description "Retainer" --monthly 1`.' : list.map(summary).join('\n'));
      });
    });

  recurring
    .command('show <id>')
    .description('A recurring invoice and the invoices made so far')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      await withApp(async (app) => {
        const { template, periods } = await service(app).get(id);
        if (o.json === true) return print({ template, periods });
        const rows = periods.map((p) => `  ${p.period}  ${p.invoice === null ? `(run ${p.runStatus ?? 'not started'})` : `${p.invoice.number}  ${p.invoice.status}  due ${p.invoice.dueDate ?? '-'}`}`);
        print([summary(template), ...(rows.length === 0 ? ['  no invoices yet'] : rows)].join('\n'));
      });
    });

  for (const [name, verb] of [['pause', 'Paused'], ['resume', 'Resumed']] as const) {
    recurring
      .command(`${name} <id>`)
      .description(name === 'pause' ? 'Stop making invoices until resumed' : 'Make invoices again from the next period on or after today (periods passed while paused are skipped)')
      .action(async (id: string) => {
        await withApp(async (app) => {
          const template = name === 'pause' ? await service(app).pause(id, 'cli') : await service(app).resume(id, 'cli');
          print(`${verb} recurring invoice ${summary(template)}.`);
        });
      });
  }
}
