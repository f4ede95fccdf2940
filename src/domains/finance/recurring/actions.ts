/**
 * `finance.recurring.create`: the invoice for one period of a template, in the step's transaction.
 * The row (template, period) is written in the same transaction as the document; its primary key
 * means a second invoice for a period can never commit, whichever run or replay tries.
 */
import { z } from 'zod';
import { NonRetriableError } from '../../../core/errors.ts';
import type { Database } from '../../../data/database.ts';
import type { DraftDocument } from '../../../ai/draft/index.ts';
import { computeTotals, formatMinor, parseDecimalToMinor } from '../../../ai/draft/money/index.ts';
import type { Registry } from '../../../workflow/registry.ts';
import { createDraftDocument, getDocument, type DocumentView } from '../documents.ts';
import { defaultPatterns } from '../numbering.ts';
import { addDays, isPeriodOf } from './schedule.ts';
import { templateLines, templateSchedule } from './templates.ts';

const createInput = z.object({ template: z.string().min(1), period: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD') }).strict();

export type RecurringInvoice = DocumentView & { email: string | null; recurring: { template: string; period: string } };

export function registerRecurring(registry: Registry, database: Database): void {
  registry.registerAction<z.infer<typeof createInput>, RecurringInvoice>({
    name: 'finance.recurring.create',
    description: "Creates the numbered draft invoice for one period of a recurring invoice (once per period).",
    input: createInput,
    run: async (input, ctx) => {
      const { tx } = ctx;
      const template = await tx
        .selectFrom('recurring_templates')
        .innerJoin('counterparties', 'counterparties.id', 'recurring_templates.counterparty_id')
        .selectAll('recurring_templates')
        .select('counterparties.name as client_name')
        .where('recurring_templates.id', '=', input.template)
        .executeTakeFirst();
      if (template === undefined) throw new NonRetriableError(`There is no recurring invoice ${input.template}`, { code: 'RECURRING_NOT_FOUND' });
      const recurring = { template: template.id, period: input.period };
      const done = await tx.selectFrom('recurring_periods').select(['document_id', 'run_id']).where('template_id', '=', template.id).where('period', '=', input.period).executeTakeFirst();
      if (done !== undefined) {
        const document = await getDocument(tx, done.document_id);
        if (done.run_id === ctx.runId) return { ...document, email: template.email, recurring };
        throw new NonRetriableError(`Period ${input.period} of recurring invoice ${template.id} already has its invoice, ${document.number}`, { code: 'RECURRING_PERIOD_INVOICED' });
      }
      if (!isPeriodOf(templateSchedule(template), template.start_date, input.period) || (template.end_date !== null && input.period > template.end_date)) {
        throw new NonRetriableError(`${input.period} is not a period of recurring invoice ${template.id}`, { code: 'RECURRING_PERIOD_INVALID' });
      }
      const lines = templateLines(template);
      const totals = computeTotals(lines.map((l) => ({ quantity: l.quantity, unitPriceMinor: parseDecimalToMinor(l.unitPrice, template.currency), taxRate: l.taxRate })));
      const money = (minor: bigint): string => formatMinor(minor, template.currency);
      const draft: DraftDocument = {
        kind: 'invoice',
        client: { name: template.client_name },
        currency: template.currency,
        lines: lines.map((l) => ({ description: l.description, quantity: l.quantity, unitPrice: money(parseDecimalToMinor(l.unitPrice, template.currency)), taxRate: l.taxRate })),
        subtotal: money(totals.subtotalMinor),
        taxTotal: money(totals.taxTotalMinor),
        total: money(totals.totalMinor),
        issueDate: input.period,
        dueDate: addDays(input.period, template.payment_terms_days),
        validUntil: null,
        reference: null,
        status: 'draft',
        confidence: { kind: 1, client: 1, currency: 1, lines: 1, description: 1, taxRate: 1, issueDate: 1, dueDate: 1, validUntil: 1, reference: 1 },
      };
      const document = await createDraftDocument(tx, draft, {
        dialect: database.dialect,
        pattern: defaultPatterns.invoice,
        actor: `run:${ctx.runId}`,
        source: `recurring:${template.id}:${input.period}`,
        now: ctx.now(),
      });
      await tx.insertInto('recurring_periods').values({ template_id: template.id, period: input.period, document_id: document.id, run_id: ctx.runId, created_at: ctx.now() }).execute();
      return { ...document, email: template.email, recurring };
    },
  });
}
