/**
 * Recurring invoice templates in the database: created (validated, audited), listed, shown with
 * the periods they generated, paused and resumed. Which periods are due is in service.ts.
 */
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../../../core/errors.ts';
import { newId } from '../../../core/ids.ts';
import { parseJsonColumn } from '../../../core/json.ts';
import type { Dialect } from '../../../data/dialect.ts';
import type { RecurringTemplatesTable } from '../../../data/tables/recurring.ts';
import { computeTotals, currencyDigits, formatMinor, isCurrency, parseDecimal, parseDecimalToMinor, rescaleExact } from '../../../ai/draft/money/index.ts';
import { appendAudit } from '../../../governance/index.ts';
import type { Queryable } from '../../../workflow/store/runs.ts';
import { findOrCreateClient } from '../documents.ts';
import { addDays, describeSchedule, firstPeriod, isCalendarDate, isMonthDay, nextPeriod, type Schedule } from './schedule.ts';

/** The workflow that creates and sends one period's invoice. */
export const recurringWorkflowId = 'recurring-invoice';

const DECIMAL = /^\d+(\.\d+)?$/;
/** How far back a start date may be: the periods since then are all invoiced on the first check. */
const maxBackdateDays = 366;
const date = z.string().refine(isCalendarDate, 'must be a calendar date written YYYY-MM-DD');

const lineSchema = z
  .object({
    description: z.string().trim().min(1, 'must say what is billed').max(500),
    quantity: z.string().regex(DECIMAL, 'must be a positive decimal such as "1" or "2.5"').default('1'),
    unitPrice: z.string().regex(DECIMAL, 'must be a positive decimal amount such as "500.00"'),
    taxRate: z
      .string()
      .regex(DECIMAL, 'must be a percentage such as "20"')
      .refine((rate) => Number(rate) <= 100, 'must be a percentage from 0 to 100')
      .nullish(),
  })
  .strict();

const scheduleSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('monthly'), day: z.number().int('must be a whole day of the month').min(1, 'must be a day of the month from 1 to 31').max(31, 'must be a day of the month from 1 to 31 (31: the last day of every month)') }).strict(),
    z.object({ kind: z.literal('weekly'), everyWeeks: z.number().int('must be a whole number of weeks').min(1, 'must be from 1 to 52 weeks').max(52, 'must be from 1 to 52 weeks') }).strict(),
    z.object({ kind: z.literal('yearly'), date: z.string().refine(isMonthDay, 'must be a day of the year written MM-DD such as 03-15') }).strict(),
  ],
  { error: 'must be { kind: "monthly", day } or { kind: "weekly", everyWeeks } or { kind: "yearly", date: "MM-DD" }' },
);

/** What a template is made of (API body, CLI options). */
export const templateInput = z
  .object({
    client: z.string().trim().min(1, 'must name the client').max(200),
    currency: z.string().trim().min(1, 'must be a currency code such as USD').transform((code) => code.toUpperCase()),
    lines: z.array(lineSchema, { error: 'must be a list of lines' }).min(1, 'needs at least one line').max(100, 'at most 100 lines'),
    paymentTermsDays: z.number().int('must be a whole number of days').min(0, 'must be from 0 to 365 days').max(365, 'must be from 0 to 365 days').default(14),
    email: z.email('must be an email address').optional(),
    schedule: scheduleSchema,
    startDate: date.optional(),
    endDate: date.optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (!isCurrency(input.currency)) {
      ctx.addIssue({ code: 'custom', path: ['currency'], message: `"${input.currency}" is not an ISO 4217 currency code (such as USD, EUR, GBP)` });
      return;
    }
    const digits = currencyDigits(input.currency);
    input.lines.forEach((line, index) => {
      if (DECIMAL.test(line.unitPrice) && rescaleExact(parseDecimal(line.unitPrice), digits) === null) {
        ctx.addIssue({ code: 'custom', path: ['lines', index, 'unitPrice'], message: `${line.unitPrice} has more decimal places than ${input.currency} allows (${digits})` });
      }
    });
    if (input.startDate !== undefined && input.endDate !== undefined && input.endDate < input.startDate) {
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: `${input.endDate} is before the start date ${input.startDate}` });
    }
  });
export type TemplateInput = z.input<typeof templateInput>;

export interface TemplateLine {
  description: string;
  quantity: string;
  unitPrice: string;
  taxRate: string | null;
}

export interface TemplateView {
  id: string;
  client: { id: string; name: string };
  currency: string;
  lines: (TemplateLine & { amount: string })[];
  total: string;
  paymentTermsDays: number;
  email: string | null;
  schedule: Schedule;
  /** the schedule in words: "monthly on day 1" */
  every: string;
  startDate: string;
  endDate: string | null;
  /** the next period to be invoiced; null once ended */
  nextPeriod: string | null;
  status: 'active' | 'paused' | 'ended';
  createdAt: string;
}

export interface PeriodView {
  period: string;
  runId: string | null;
  runStatus: string | null;
  /** the period's invoice; null while its run has not created it yet */
  invoice: { id: string; number: string; status: string; issueDate: string; dueDate: string | null; total: string } | null;
}

function invalid(path: string, message: string): ValidationError {
  return new ValidationError('RECURRING_INVALID', `Recurring invoice ${path}: ${message}`, { details: { path } });
}

/** Validates a template; the error names the field ("Recurring invoice schedule.day: must be …"). */
export function parseTemplateInput(raw: unknown): z.output<typeof templateInput> {
  const parsed = templateInput.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = (issue?.path ?? []).map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(body)';
  throw invalid(path, issue?.message ?? 'is not valid');
}

/** The lines with their amounts and the total, by the same money code as every document. */
function priced(lines: TemplateLine[], currency: string): { lines: TemplateView['lines']; total: string } {
  const totals = computeTotals(lines.map((l) => ({ quantity: l.quantity, unitPriceMinor: parseDecimalToMinor(l.unitPrice, currency), taxRate: l.taxRate })));
  return {
    lines: lines.map((l, i) => ({ ...l, unitPrice: formatMinor(parseDecimalToMinor(l.unitPrice, currency), currency), amount: formatMinor(totals.lines[i]?.netMinor ?? 0n, currency) })),
    total: formatMinor(totals.totalMinor, currency),
  };
}

export function templateSchedule(row: Pick<RecurringTemplatesTable, 'schedule'>): Schedule {
  return parseJsonColumn<Schedule>(row.schedule) as Schedule;
}

export function templateLines(row: Pick<RecurringTemplatesTable, 'lines'>): TemplateLine[] {
  return parseJsonColumn<TemplateLine[]>(row.lines) ?? [];
}

function toView(row: RecurringTemplatesTable & { client_name: string }): TemplateView {
  const schedule = templateSchedule(row);
  const { lines, total } = priced(templateLines(row), row.currency);
  return {
    id: row.id,
    client: { id: row.counterparty_id, name: row.client_name },
    currency: row.currency,
    lines,
    total,
    paymentTermsDays: row.payment_terms_days,
    email: row.email,
    schedule,
    every: describeSchedule(schedule),
    startDate: row.start_date,
    endDate: row.end_date,
    nextPeriod: row.next_date,
    status: row.status as TemplateView['status'],
    createdAt: new Date(row.created_at).toISOString(),
  };
}

function selectTemplates(db: Queryable) {
  return db.selectFrom('recurring_templates').innerJoin('counterparties', 'counterparties.id', 'recurring_templates.counterparty_id').selectAll('recurring_templates').select('counterparties.name as client_name');
}

/**
 * Stores a template (its client is found or created). `today` is the business's date: the
 * default start, and the earliest the first period can be unless a start date is given.
 */
export async function createTemplate(tx: Queryable, dialect: Dialect, raw: unknown, options: { actor: string; today: string; now: number }): Promise<TemplateView> {
  const input = parseTemplateInput(raw);
  const start = input.startDate ?? options.today;
  const end = input.endDate ?? null;
  const schedule: Schedule = input.schedule;
  // A start far back would bill every period since at once (a mistyped year could send dozens of invoices).
  if (start < addDays(options.today, -maxBackdateDays)) throw invalid('startDate', `${start} is more than a year before today (${options.today}); every period since then would be invoiced at once`);
  const first = firstPeriod(schedule, start);
  if (end !== null && end < start) throw invalid('endDate', `${end} is before the start date ${start}`);
  if (end !== null && first > end) throw invalid('endDate', `${end} is before the first invoice date ${first}: no invoice would ever be made`);
  const client = await findOrCreateClient(tx, input.client, options.now);
  const lines: TemplateLine[] = input.lines.map((l) => ({ description: l.description, quantity: l.quantity, unitPrice: l.unitPrice, taxRate: l.taxRate ?? null }));
  const id = newId();
  await tx
    .insertInto('recurring_templates')
    .values({
      id,
      counterparty_id: client.id,
      currency: input.currency,
      lines: JSON.stringify(lines),
      payment_terms_days: input.paymentTermsDays,
      email: input.email ?? null,
      schedule: JSON.stringify(schedule),
      start_date: start,
      end_date: end,
      next_date: first,
      status: 'active',
      created_by: options.actor,
      created_at: options.now,
      updated_at: options.now,
    })
    .execute();
  const view = await getTemplate(tx, id);
  const entries = [{ actor: options.actor, action: 'record.created', subjectType: 'recurring_template', subjectId: id, data: { after: view } as Record<string, unknown> }];
  if (client.created) entries.unshift({ actor: options.actor, action: 'record.created', subjectType: 'client', subjectId: client.id, data: { after: { name: client.name } } });
  await appendAudit(tx, dialect, entries, options.now);
  return view;
}

export async function getTemplate(db: Queryable, id: string): Promise<TemplateView> {
  const row = await selectTemplates(db).where('recurring_templates.id', '=', id).executeTakeFirst();
  if (row === undefined) throw new NotFoundError('RECURRING_NOT_FOUND', `There is no recurring invoice ${id} (see \`opsloop recurring list\`)`, { details: { id } });
  return toView(row);
}

export async function listTemplates(db: Queryable, filter: { status?: string } = {}): Promise<TemplateView[]> {
  let query = selectTemplates(db).orderBy('recurring_templates.created_at', 'desc').orderBy('recurring_templates.id', 'desc').limit(500);
  if (filter.status !== undefined) query = query.where('recurring_templates.status', '=', filter.status);
  return (await query.execute()).map(toView);
}

/** The periods started so far, newest first: each with its run and, once created, its invoice. */
export async function listPeriods(db: Queryable, templateId: string): Promise<PeriodView[]> {
  const prefix = `recurring:${templateId}:`;
  const runs = await db
    .selectFrom('runs')
    .select(['id', 'status', 'idempotency_key'])
    .where('workflow_id', '=', recurringWorkflowId)
    .where('idempotency_key', 'like', `${prefix}%`)
    .execute();
  const created = await db
    .selectFrom('recurring_periods')
    .innerJoin('documents', 'documents.id', 'recurring_periods.document_id')
    .select(['recurring_periods.period', 'recurring_periods.run_id', 'documents.id', 'documents.number', 'documents.status', 'documents.issue_date', 'documents.due_date', 'documents.total_minor', 'documents.currency'])
    .where('recurring_periods.template_id', '=', templateId)
    .execute();
  const byPeriod = new Map<string, PeriodView>();
  for (const run of runs) {
    const period = (run.idempotency_key ?? '').slice(prefix.length);
    byPeriod.set(period, { period, runId: run.id, runStatus: run.status, invoice: null });
  }
  for (const row of created) {
    const run = byPeriod.get(row.period);
    byPeriod.set(row.period, {
      period: row.period,
      runId: run?.runId ?? row.run_id,
      runStatus: run?.runStatus ?? null,
      invoice: { id: row.id, number: row.number, status: row.status, issueDate: row.issue_date, dueDate: row.due_date, total: formatMinor(row.total_minor, row.currency) },
    });
  }
  return [...byPeriod.values()].sort((a, b) => (a.period < b.period ? 1 : a.period > b.period ? -1 : 0));
}

/**
 * Pauses or resumes a template (audited). A paused template starts no period; on resuming, the
 * periods whose date passed during the pause are skipped (pausing means "do not bill for now"),
 * and the next one is the first on or after `today`.
 */
export async function setTemplateStatus(tx: Queryable, dialect: Dialect, id: string, to: 'active' | 'paused', options: { actor: string; today: string; now: number }): Promise<TemplateView> {
  const row = await tx.selectFrom('recurring_templates').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw new NotFoundError('RECURRING_NOT_FOUND', `There is no recurring invoice ${id} (see \`opsloop recurring list\`)`, { details: { id } });
  if (row.status === 'ended') throw new ConflictError('RECURRING_ENDED', `Recurring invoice ${id} has ended (its end date ${row.end_date ?? ''} has passed); create a new one to bill again`);
  if (row.status === to) return getTemplate(tx, id);
  let next = row.next_date;
  const skipped: string[] = [];
  if (to === 'active' && next !== null) {
    const schedule = templateSchedule(row);
    while (next !== null && next < options.today) {
      skipped.push(next);
      next = nextPeriod(schedule, next);
    }
    if (row.end_date !== null && next !== null && next > row.end_date) next = null;
  }
  const status = to === 'active' && next === null ? 'ended' : to;
  await tx.updateTable('recurring_templates').set({ status, next_date: next, updated_at: options.now }).where('id', '=', id).execute();
  await appendAudit(
    tx,
    dialect,
    [{ actor: options.actor, action: 'record.changed', subjectType: 'recurring_template', subjectId: id, data: { before: { status: row.status, nextPeriod: row.next_date }, after: { status, nextPeriod: next }, ...(skipped.length === 0 ? {} : { skippedPeriods: skipped }) } }],
    options.now,
  );
  return getTemplate(tx, id);
}
