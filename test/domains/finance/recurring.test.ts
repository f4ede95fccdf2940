/** Recurring invoices: one invoice per period, whatever the checks, crashes and outages; governance decides sending. */
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OpsLoop } from '../../../src/app.ts';
import { createLogger } from '../../../src/core/logger.ts';
import { RecurringInvoices, type TemplateView } from '../../../src/domains/finance/index.ts';
import { duePeriods, firstPeriod, isPeriodOf, localDate, nextPeriod, type Schedule } from '../../../src/domains/finance/recurring/index.ts';
import { createHttpApp } from '../../../src/server/index.ts';
import { openTestApp, userWithToken, type TestApp } from '../../helpers/app.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../helpers/dialects.ts';
import { runOpsLoop } from '../../helpers/process.ts';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp.ts';

describe('recurring schedules (pure)', () => {
  const periods = (schedule: Schedule, start: string, count: number): string[] => {
    const list = [firstPeriod(schedule, start)];
    while (list.length < count) list.push(nextPeriod(schedule, list[list.length - 1] as string));
    return list;
  };

  test('day 31 is the last day of shorter months, and comes back to 31 after them', () => {
    assert.deepEqual(periods({ kind: 'monthly', day: 31 }, '2026-01-01', 5), ['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31']);
    assert.deepEqual(periods({ kind: 'monthly', day: 30 }, '2028-02-01', 2), ['2028-02-29', '2028-03-30']);
  });

  test('a start after this month\'s day begins next month; December rolls into January', () => {
    assert.deepEqual(periods({ kind: 'monthly', day: 1 }, '2026-11-22', 3), ['2026-12-01', '2027-01-01', '2027-02-01']);
    assert.deepEqual(periods({ kind: 'monthly', day: 22 }, '2026-11-22', 1), ['2026-11-22']);
  });

  test('every n weeks counts from the start date', () => {
    assert.deepEqual(periods({ kind: 'weekly', everyWeeks: 2 }, '2026-12-21', 3), ['2026-12-21', '2027-01-04', '2027-01-18']);
    assert.equal(isPeriodOf({ kind: 'weekly', everyWeeks: 2 }, '2026-12-21', '2027-01-04'), true);
    assert.equal(isPeriodOf({ kind: 'weekly', everyWeeks: 2 }, '2026-12-21', '2026-12-28'), false);
  });

  test('yearly on 29 February is the 28th in other years', () => {
    assert.deepEqual(periods({ kind: 'yearly', date: '02-29' }, '2027-01-01', 3), ['2027-02-28', '2028-02-29', '2029-02-28']);
    assert.deepEqual(periods({ kind: 'yearly', date: '03-15' }, '2026-03-16', 2), ['2027-03-15', '2028-03-15']);
  });

  test('due periods stop at today and at the end date', () => {
    const monthly: Schedule = { kind: 'monthly', day: 10 };
    assert.deepEqual(duePeriods(monthly, '2026-01-10', '2026-03-09', null), { due: ['2026-01-10', '2026-02-10'], next: '2026-03-10' });
    assert.deepEqual(duePeriods(monthly, '2026-01-10', '2026-12-31', '2026-02-15'), { due: ['2026-01-10', '2026-02-10'], next: null });
  });

  test('today is the business\'s date, not UTC\'s', () => {
    const lateEvening = Date.parse('2026-01-31T23:30:00Z');
    assert.equal(localDate(lateEvening, 'UTC'), '2026-01-31');
    assert.equal(localDate(lateEvening, 'Europe/Berlin'), '2026-02-01');
    assert.equal(localDate(lateEvening, 'America/New_York'), '2026-01-31');
  });
});

for (const dialect of testDialects()) {
  describe(`recurring invoices on ${dialect}`, () => {
    let t: TestApp;
    let smtp: SmtpSink;
    let recurring: RecurringInvoices;
    let http: ReturnType<typeof createHttpApp>;
    let admin: Record<string, string>;
    let viewer: Record<string, string>;

    before(async () => {
      smtp = await startSmtpSink();
      t = await openTestApp(dialect, { config: { smtpUrl: smtp.url, businessName: 'Northwind Design' } });
      recurring = new RecurringInvoices({ engine: t.app.engine, governance: t.app.governance, timezone: 'UTC' });
      http = createHttpApp(t.app);
      admin = { ...(await userWithToken(t.app, 'admin@example.com', 'admin')).headers, 'content-type': 'application/json' };
      viewer = (await userWithToken(t.app, 'viewer@example.com', 'viewer')).headers;
      await t.app.governance.addUser({ email: 'owner@example.com', role: 'owner' });
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });
    // Each test's templates are paused after it, so later tests' clock jumps do not bill them for years.
    const created: string[] = [];
    afterEach(async () => {
      for (const id of created.splice(0)) if ((await recurring.get(id)).template.status === 'active') await recurring.pause(id, 'test');
    });

    /** What the worker does on a pass: the periodic check, then the runs it queued, then the outbox. */
    const pass = async (): Promise<void> => {
      await recurring.check();
      await t.app.worker.drain();
    };
    const at = (date: string): void => t.clock.set(`${date}T09:00:00Z`);
    const add = async (body: Record<string, unknown>): Promise<TemplateView> => {
      const response = await http.request('/api/recurring', { method: 'POST', headers: admin, body: JSON.stringify({ currency: 'USD', lines: [{ description: 'Retainer', unitPrice: '500' }], ...body }) });
      const json = (await response.json()) as { template: TemplateView; error?: unknown };
      assert.equal(response.status, 201, JSON.stringify(json));
      created.push(json.template.id);
      return json.template;
    };
    const invoicesOf = (client: string) =>
      t.app.database.db
        .selectFrom('documents')
        .innerJoin('counterparties', 'counterparties.id', 'documents.counterparty_id')
        .select(['documents.number', 'documents.issue_date', 'documents.due_date', 'documents.status', 'documents.total_minor'])
        .where('counterparties.name', '=', client)
        .orderBy('documents.issue_date')
        .execute();
    const mailsFor = (to: string) => smtp.messages.filter((m) => m.to !== undefined && JSON.stringify(m.to).includes(to));
    const waitForMail = async (to: string, count: number): Promise<void> => {
      const deadline = Date.now() + 10_000;
      while (mailsFor(to).length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    };

    test('three months make exactly three invoices, dated on the day, due after the terms', async () => {
      at('2026-01-05');
      const template = await add({ client: 'Monthly Co', schedule: { kind: 'monthly', day: 10 }, paymentTermsDays: 14 });
      assert.equal(template.nextPeriod, '2026-01-10');
      assert.equal(template.total, '500.00');
      for (const day of ['2026-01-09', '2026-01-10', '2026-01-11', '2026-02-10', '2026-03-09', '2026-03-10', '2026-03-31']) {
        at(day);
        await pass();
      }
      const invoices = await invoicesOf('Monthly Co');
      assert.deepEqual(
        invoices.map((i) => [i.issue_date, i.due_date, Number(i.total_minor)]),
        [
          ['2026-01-10', '2026-01-24', 50000],
          ['2026-02-10', '2026-02-24', 50000],
          ['2026-03-10', '2026-03-24', 50000],
        ],
      );
      assert.equal(new Set(invoices.map((i) => i.number)).size, 3);

      const shown = await http.request(`/api/recurring/${template.id}`, { headers: viewer });
      const body = (await shown.json()) as { template: TemplateView; periods: { period: string; invoice: { number: string } | null }[] };
      assert.equal(body.template.nextPeriod, '2026-04-10');
      assert.deepEqual(
        body.periods.map((p) => [p.period, p.invoice?.number]),
        invoices.map((i) => [i.issue_date, i.number]).reverse(),
      );
    });

    test('the worker\'s periodic pass starts the due periods by itself', async () => {
      at('2026-09-01');
      await add({ client: 'Worker Pass Ltd', schedule: { kind: 'monthly', day: 1 } });
      // The first pass queues the period's run, the second works it.
      await t.app.worker.drain();
      await t.app.worker.drain();
      assert.deepEqual((await invoicesOf('Worker Pass Ltd')).map((i) => i.issue_date), ['2026-09-01']);
    });

    test('checking twice, concurrently, or again after a crash never makes a second invoice for a period', async () => {
      at('2026-04-01');
      const template = await add({ client: 'Once Only Ltd', schedule: { kind: 'monthly', day: 1 } });
      const started = (await Promise.all([recurring.check(), recurring.check(), recurring.check()])).flat().filter((s) => s.template === template.id);
      assert.equal(started.filter((s) => s.created).length, 1, 'one run for the period');
      await t.app.worker.drain();
      assert.equal((await recurring.check()).filter((s) => s.template === template.id).length, 0, 'a second check has nothing to start');

      // A crash after the run started but before the template moved on: the next check starts the same period again.
      await t.app.database.db.updateTable('recurring_templates').set({ next_date: '2026-04-01' }).where('id', '=', template.id).execute();
      const again = (await recurring.check()).filter((s) => s.template === template.id);
      assert.deepEqual(again.map((s) => [s.period, s.created]), [['2026-04-01', false]], 'the engine returns the run it already has');
      await t.app.worker.drain();

      // Even a second run for the period, however started, cannot add an invoice.
      const rogue = await t.app.engine.startRun('recurring-invoice', { template: template.id, period: '2026-04-01' }, { idempotencyKey: 'by-hand' });
      const run = await t.app.engine.getRun(rogue.runId);
      assert.equal(run.status, 'exception');
      assert.equal((run.error as { code: string }).code, 'RECURRING_PERIOD_INVOICED');
      assert.match((run.error as { message: string }).message, /already has its invoice, INV-2026-\d{4}/);
      const notAPeriod = await t.app.engine.startRun('recurring-invoice', { template: template.id, period: '2026-04-02' });
      assert.equal(((await t.app.engine.getRun(notAPeriod.runId)).error as { code: string }).code, 'RECURRING_PERIOD_INVALID');
      assert.equal((await invoicesOf('Once Only Ltd')).length, 1);
    });

    test('after an outage every missed period gets its one invoice, dated on its own day', async () => {
      at('2026-04-01');
      await add({ client: 'Outage Inc', schedule: { kind: 'monthly', day: 15 } });
      at('2026-08-02');
      await pass();
      await pass();
      assert.deepEqual((await invoicesOf('Outage Inc')).map((i) => i.issue_date), ['2026-04-15', '2026-05-15', '2026-06-15', '2026-07-15']);
    });

    test('two processes checking at the same moment start each period once', { skip: dialect !== 'postgres' && 'one process per SQLite database' }, async () => {
      at('2026-04-01');
      const template = await add({ client: 'Two Workers GmbH', schedule: { kind: 'weekly', everyWeeks: 1 }, startDate: '2026-03-04' });
      const other = await OpsLoop.open({ env: {}, config: { ...t.db.config, workerId: 'second-worker', logLevel: 'silent' }, clock: t.clock, logger: createLogger('silent') });
      try {
        const second = new RecurringInvoices({ engine: other.engine, governance: other.governance, timezone: 'UTC' });
        const results = (await Promise.all([recurring.check(), second.check(), recurring.check(), second.check()])).flat().filter((s) => s.template === template.id);
        assert.deepEqual([...new Set(results.filter((s) => s.created).map((s) => s.period))].sort(), ['2026-03-04', '2026-03-11', '2026-03-18', '2026-03-25', '2026-04-01']);
        assert.equal(results.filter((s) => s.created).length, 5, 'no period was started twice');
        await Promise.all([t.app.worker.drain(), other.worker.drain()]);
      } finally {
        await other.close();
      }
      assert.equal((await invoicesOf('Two Workers GmbH')).length, 5);
    });

    test('day 31 bills on the last day of February and April', async () => {
      at('2026-01-05');
      await add({ client: 'Month End Ltd', schedule: { kind: 'monthly', day: 31 } });
      at('2026-05-01');
      await pass();
      assert.deepEqual((await invoicesOf('Month End Ltd')).map((i) => i.issue_date), ['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']);
    });

    test('every 2 weeks from the start date', async () => {
      at('2026-01-05');
      await add({ client: 'Fortnightly Ltd', schedule: { kind: 'weekly', everyWeeks: 2 } });
      for (const day of ['2026-01-10', '2026-01-19', '2026-02-20']) {
        at(day);
        await pass();
      }
      assert.deepEqual((await invoicesOf('Fortnightly Ltd')).map((i) => i.issue_date), ['2026-01-05', '2026-01-19', '2026-02-02', '2026-02-16']);
    });

    test('yearly until the end date, then the template has ended', async () => {
      at('2026-01-05');
      const template = await add({ client: 'Annual Plc', schedule: { kind: 'yearly', date: '03-15' }, endDate: '2028-12-31' });
      for (const day of ['2026-03-15', '2027-03-14', '2027-03-15', '2029-06-01']) {
        at(day);
        await pass();
      }
      assert.deepEqual((await invoicesOf('Annual Plc')).map((i) => i.issue_date), ['2026-03-15', '2027-03-15', '2028-03-15']);
      const { template: ended } = await recurring.get(template.id);
      assert.equal(ended.status, 'ended');
      assert.equal(ended.nextPeriod, null);
      assert.equal((await http.request(`/api/recurring/${template.id}/resume`, { method: 'POST', headers: admin })).status, 409);
    });

    test('a paused template makes nothing; resuming skips the periods of the pause', async () => {
      at('2026-01-05');
      const template = await add({ client: 'Paused Co', schedule: { kind: 'monthly', day: 1 } });
      const paused = await http.request(`/api/recurring/${template.id}/pause`, { method: 'POST', headers: admin });
      assert.equal(((await paused.json()) as { template: TemplateView }).template.status, 'paused');
      assert.equal((await http.request(`/api/recurring/${template.id}/pause`, { method: 'POST', headers: viewer })).status, 403);
      at('2026-03-05');
      await pass();
      assert.equal((await invoicesOf('Paused Co')).length, 0);
      const resumed = await http.request(`/api/recurring/${template.id}/resume`, { method: 'POST', headers: admin });
      assert.equal(((await resumed.json()) as { template: TemplateView }).template.nextPeriod, '2026-04-01');
      await pass();
      assert.equal((await invoicesOf('Paused Co')).length, 0);
      at('2026-04-01');
      await pass();
      assert.deepEqual((await invoicesOf('Paused Co')).map((i) => i.issue_date), ['2026-04-01']);
      const listed = await http.request('/api/recurring?status=active', { headers: viewer });
      assert.ok(((await listed.json()) as { templates: TemplateView[] }).templates.some((l) => l.id === template.id));
    });

    test('bad input is refused with the field named, and nothing is stored', async () => {
      const before = (await recurring.list()).length;
      const post = async (body: Record<string, unknown>) => {
        const response = await http.request('/api/recurring', { method: 'POST', headers: admin, body: JSON.stringify({ client: 'Bad Input Ltd', currency: 'USD', lines: [{ description: 'Retainer', unitPrice: '500' }], schedule: { kind: 'monthly', day: 1 }, ...body }) });
        return { status: response.status, error: ((await response.json()) as { error: { code: string; message: string; details?: { path?: string } } }).error };
      };
      const currency = await post({ currency: 'XYZ' });
      assert.equal(currency.status, 400);
      assert.equal(currency.error.code, 'RECURRING_INVALID');
      assert.equal(currency.error.message, 'Recurring invoice currency: "XYZ" is not an ISO 4217 currency code (such as USD, EUR, GBP)');
      const day = await post({ schedule: { kind: 'monthly', day: 0 } });
      assert.equal(day.error.details?.path, 'schedule.day');
      assert.match(day.error.message, /schedule\.day: must be a day of the month from 1 to 31/);
      const end = await post({ startDate: '2026-06-01', endDate: '2026-05-31' });
      assert.equal(end.error.details?.path, 'endDate');
      assert.match(end.error.message, /endDate: 2026-05-31 is before the start date 2026-06-01/);
      const cents = await post({ currency: 'JPY', lines: [{ description: 'Retainer', unitPrice: '500.50' }] });
      assert.match(cents.error.message, /lines\[0\]\.unitPrice: 500\.50 has more decimal places than JPY allows \(0\)/);
      assert.match((await post({ schedule: { kind: 'yearly', date: '02-30' } })).error.message, /schedule\.date: must be a day of the year written MM-DD/);
      assert.match((await post({ schedule: { kind: 'daily' } })).error.message, /schedule\.kind: must be \{ kind: "monthly", day \}/);
      assert.match((await post({ lines: [] })).error.message, /lines: needs at least one line/);
      assert.match((await post({ startDate: '2020-01-01' })).error.message, /startDate: 2020-01-01 is more than a year before today/);
      assert.match((await post({ email: 'not-an-email' })).error.message, /email: must be an email address/);
      const forbidden = await http.request('/api/recurring', { method: 'POST', headers: { ...viewer, 'content-type': 'application/json' }, body: '{}' });
      assert.equal(forbidden.status, 403);
      assert.equal((await recurring.list()).length, before, 'nothing was stored');
      assert.equal((await invoicesOf('Bad Input Ltd')).length, 0);
      assert.equal((await http.request('/api/recurring/nope', { headers: viewer })).status, 404);
    });

    test('the first invoice waits in the inbox, later ones go out on their own; a stricter policy holds each one', async () => {
      at('2026-05-01');
      const template = await add({ client: 'Governed Ltd', schedule: { kind: 'monthly', day: 2 }, email: 'ap@governed.example' });
      at('2026-05-02');
      await pass();
      const [first] = await invoicesOf('Governed Ltd');
      assert.ok(first);
      assert.equal(first.status, 'draft');
      const taskOf = async (period: number) => {
        const runId = (await recurring.get(template.id)).periods[period]?.runId;
        return (await t.app.governance.listApprovals()).find((a) => a.runId === runId);
      };
      const task = await taskOf(0);
      assert.ok(task, 'the first invoice waits for a person');
      assert.equal((task.proposed as { number: string }).number, first.number);
      assert.match(JSON.stringify(task.reasons), /the first invoice of this recurring invoice/);
      assert.equal(mailsFor('ap@governed.example').length, 0);

      await t.app.governance.decide(task.id, await t.app.governance.findUser('owner@example.com'), { decision: 'approve' });
      await t.app.worker.drain();
      await waitForMail('ap@governed.example', 1);
      assert.deepEqual(mailsFor('ap@governed.example').map((m) => m.subject), [`Invoice ${first.number} from Northwind Design`]);

      at('2026-06-02');
      await pass();
      await waitForMail('ap@governed.example', 2);
      const second = (await invoicesOf('Governed Ltd'))[1];
      assert.equal(second?.status, 'sent', 'the second invoice went out without a person');
      assert.equal(mailsFor('ap@governed.example')[1]?.subject, `Invoice ${second?.number ?? ''} from Northwind Design`);
      assert.match(mailsFor('ap@governed.example')[1]?.text ?? '', /500\.00 USD, due 2026-06-16/);

      await t.app.governance.savePolicy({ id: 'recurring-invoices', rules: [{ id: 'always', type: 'rule', when: 'true', message: 'every recurring invoice is checked', tier: 'review' }] });
      at('2026-07-02');
      await pass();
      const third = (await invoicesOf('Governed Ltd'))[2];
      assert.equal(third?.status, 'draft');
      assert.equal(((await taskOf(0))?.proposed as { number: string } | undefined)?.number, third?.number, 'the third waits in the inbox');
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(mailsFor('ap@governed.example').length, 2);
      assert.equal((await recurring.get(template.id)).periods.length, 3);
    });

    test('without an email the invoice is left as a draft for a person to send', async () => {
      await t.app.governance.savePolicy({ id: 'recurring-invoices', rules: [{ id: 'large', type: 'threshold', value: 'number(output.total)', over: 100000, tier: 'review' }] });
      at('2026-05-01');
      await add({ client: 'No Email Ltd', schedule: { kind: 'monthly', day: 3 } });
      at('2026-05-03');
      await pass();
      const [invoice] = await invoicesOf('No Email Ltd');
      assert.equal(invoice?.status, 'draft');
      const runs = await t.app.engine.listRuns({ workflowId: 'recurring-invoice', status: 'completed' });
      assert.ok(runs.some((r) => JSON.stringify(r.output).includes(invoice?.number ?? '?')));
    });
  });

}

// The command is a thin layer over the service tested above on every database: one database is enough here.
for (const dialect of testDialects().slice(0, 1)) {
  describe(`opsloop recurring on ${dialect}`, () => {
    let db: TestDatabase;
    const opsloop = (...args: string[]) => runOpsLoop(args, db.env);
    before(async () => {
      db = await createTestDatabase(dialect);
    });
    after(async () => db.cleanup());

    test('add and list from the command line; bad options name the option', async () => {
      const added = await opsloop('recurring', 'add', '--client', 'Acme Ltd', '--amount', '500', '--currency', 'USD', '--description', 'Retainer', '--monthly', '1', '--start', '2030-01-01', '--email', 'ap@acme.example');
      assert.equal(added.code, 0, added.stderr);
      assert.match(added.stdout, /Added recurring invoice \S+ {2}active {2}Acme Ltd {2}500\.00 USD {2}"Retainer" {2}monthly on day 1 {2}next invoice 2030-01-01 {2}to ap@acme\.example/);
      const list = await opsloop('recurring', 'list', '--json');
      const [template] = JSON.parse(list.stdout) as TemplateView[];
      assert.equal(template?.client.name, 'Acme Ltd');
      assert.deepEqual(template?.schedule, { kind: 'monthly', day: 1 });

      const day = await opsloop('recurring', 'add', '--client', 'Acme Ltd', '--amount', '500', '--description', 'Retainer', '--monthly', '0');
      assert.equal(day.code, 2);
      assert.match(day.stderr, /error CLI_OPTION_INVALID: --monthly must be a day of the month from 1 to 31/);
    });
  });
}
