/** Governance end to end, on every dialect, with simulated days and a real SMTP server. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { OpsLoop } from '../../src/app.ts';
import { createLogger } from '../../src/core/logger.ts';
import type { Registry } from '../../src/workflow/index.ts';
import { openTestApp, day, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, testDialects } from '../helpers/dialects.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';

const invoiceOutput = z.object({ client: z.string().min(1), total: z.number().nonnegative(), currency: z.string().length(3) }).strict();

function register(registry: Registry): void {
  registry.registerAction({
    name: 'test.propose-invoice',
    description: 'proposes an invoice',
    pure: true,
    output: invoiceOutput,
    run: (input: unknown) => invoiceOutput.parse(input),
  });
}

const policy = {
  id: 'invoices',
  rules: [
    { id: 'large', type: 'threshold', value: 'output.total', currency: 'output.currency', over: { USD: 1000 }, tier: 'review' },
    { id: 'new-client', type: 'first_time', namespace: 'client', key: 'output.client', tier: 'review' },
  ],
};

const workflow = (tier: 'auto' | 'review' = 'auto') => ({
  id: 'invoice-send',
  steps: [
    {
      id: 'draft',
      type: 'action',
      action: 'test.propose-invoice',
      input: { client: '{{ input.client }}', total: '{{ input.total }}', currency: 'USD' },
      proposing: true,
      tier,
      policies: ['invoices'],
      assignee: 'role:reviewer',
      escalate: { after: '2d', to: 'role:admin' },
    },
    { id: 'send', type: 'end', output: { client: '{{ steps.draft.client }}', sent: '{{ steps.draft.total }}' } },
  ],
});

for (const dialect of testDialects()) {
  describe(`governance on ${dialect}`, () => {
    let t: TestApp;
    let smtp: SmtpSink;
    const gov = () => t.app.governance;
    const engine = () => t.app.engine;
    const drain = () => t.app.worker.drain();
    const openTaskOf = async (runId: string) => {
      const task = (await gov().listApprovals()).find((a) => a.runId === runId);
      assert.ok(task, `run ${runId} has an open task`);
      return task;
    };

    before(async () => {
      smtp = await startSmtpSink();
      t = await openTestApp(dialect, { register, config: { smtpUrl: smtp.url, mailFrom: 'OpsLoop <ops@example.com>' } });
      await gov().addUser({ email: 'owner@example.com', role: 'owner' });
      await gov().addUser({ email: 'admin@example.com', role: 'admin' });
      await gov().addUser({ email: 'rita@example.com', role: 'reviewer', approvalLimit: 1000, approvalLimitCurrency: 'USD' });
      await gov().addUser({ email: 'vic@example.com', role: 'viewer' });
      await gov().savePolicy(policy);
      await engine().addWorkflow(workflow());
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });

    test('a proposal over the threshold waits, escalates after days, is approved with an edit, and the audit chain verifies', async () => {
      const { runId } = await engine().startRun('invoice-send', { client: 'Acme Ltd', total: 2500 });
      assert.equal((await engine().getRun(runId)).status, 'waiting');
      const task = await openTaskOf(runId);
      assert.equal(task.assignee, 'role:reviewer');
      assert.deepEqual((task.reasons as { message: string }[]).map((r) => r.message), ['amount 2500 USD is over 1000', 'first time for client "Acme Ltd"']);
      assert.deepEqual(task.proposed, { client: 'Acme Ltd', total: 2500, currency: 'USD' });

      const rita = await gov().findUser('rita@example.com');
      const vic = await gov().findUser('vic@example.com');
      const admin = await gov().findUser('admin@example.com');
      await assert.rejects(gov().decide(task.id, vic, { decision: 'approve' }), { code: 'FORBIDDEN_ROLE' });
      await assert.rejects(gov().decide(task.id, rita, { decision: 'approve' }), (e: Error & { code: string }) => e.code === 'APPROVAL_LIMIT_EXCEEDED' && /may approve up to 1000 USD; this is 2500 USD/.test(e.message));
      assert.equal((await openTaskOf(runId)).status, 'open', 'a refused decision changes nothing');

      await drain();
      await waitFor(() => smtp.messages.some((m) => m.subject?.startsWith('Waiting for you: draft')), 'assignment email');
      const assigned = smtp.messages.find((m) => m.subject?.startsWith('Waiting for you: draft'));
      assert.match(String(assigned?.to && 'text' in assigned.to ? assigned.to.text : ''), /rita@example.com/);

      t.clock.advance(3 * day);
      await drain();
      const escalated = await openTaskOf(runId);
      assert.equal(escalated.assignee, 'role:admin');
      assert.notEqual(escalated.escalatedAt, null);
      await assert.rejects(gov().decide(task.id, rita, { decision: 'reject', reason: 'no' }), { code: 'FORBIDDEN_ASSIGNEE' });
      await waitFor(() => smtp.messages.some((m) => m.subject?.startsWith('Escalated to you')), 'escalation email');

      await assert.rejects(gov().decide(task.id, admin, { decision: 'approve', data: { client: 'Acme Ltd', total: 'lots', currency: 'USD' } }), (e: Error & { code: string }) => e.code === 'APPROVAL_EDIT_INVALID' && /at total/.test(e.message));
      const decided = await gov().decide(task.id, admin, { decision: 'approve', data: { client: 'Acme Ltd', total: 2400, currency: 'USD' } });
      assert.deepEqual(decided.editDiff, [{ path: 'total', from: 2500, to: 2400 }]);
      await drain();
      const run = await engine().getRun(runId, { steps: true });
      assert.equal(run.status, 'completed');
      assert.deepEqual(run.output, { client: 'Acme Ltd', sent: 2400 });
      assert.equal(run.steps?.[0]?.actor, 'person:admin@example.com');

      const trail = await gov().searchAudit({ runId, limit: 100 });
      const actions = trail.map((e) => e.action).reverse();
      for (const expected of ['run.started', 'step.proposed', 'policy.verdict', 'approval.requested', 'approval.escalated', 'approval.decided']) assert.ok(actions.includes(expected), `audit has ${expected}: ${actions.join(', ')}`);
      const decidedEntry = trail.find((e) => e.action === 'approval.decided');
      assert.equal(decidedEntry?.actor, 'user:admin@example.com');
      assert.deepEqual((decidedEntry?.data as { diff: unknown }).diff, [{ path: 'total', from: 2500, to: 2400 }]);
      assert.equal((await gov().verifyAudit()).ok, true);
    });

    test('a client seen before goes out automatically; a new one waits', async () => {
      const known = await engine().startRun('invoice-send', { client: 'acme ltd', total: 300 });
      assert.equal((await engine().getRun(known.runId)).status, 'completed', 'Acme Ltd was approved before (case-insensitive)');
      const fresh = await engine().startRun('invoice-send', { client: 'Brand New Co', total: 300 });
      assert.equal((await engine().getRun(fresh.runId)).status, 'waiting');
      const task = await openTaskOf(fresh.runId);
      await gov().decide(task.id, await gov().findUser('rita@example.com'), { decision: 'reject', reason: 'not our client' });
      await drain();
      const run = await engine().getRun(fresh.runId);
      assert.equal(run.status, 'cancelled');
      const again = await engine().startRun('invoice-send', { client: 'Brand New Co', total: 300 });
      assert.equal((await engine().getRun(again.runId)).status, 'waiting', 'a rejected client is still new');
    });

    test('an approval nobody decides times out and the run takes its declared path', async () => {
      await engine().addWorkflow({
        id: 'sign-off',
        steps: [
          { id: 'ask', type: 'approval', title: 'Sign off the refund', amount: 'input.amount', currency: '"USD"', timeout: '5d', onTimeout: 'fallback' },
          { id: 'done', type: 'end', output: 'signed' },
          { id: 'fallback', type: 'end', output: 'timed out: refund held' },
        ],
      });
      const { runId } = await engine().startRun('sign-off', { amount: 40 });
      const task = await openTaskOf(runId);
      assert.equal(task.amount, 40);
      t.clock.advance(5 * day);
      await drain();
      assert.equal((await engine().getRun(runId)).output, 'timed out: refund held');
      const closed = (await gov().listApprovals({ status: 'all' })).find((a) => a.id === task.id);
      assert.equal(closed?.status, 'timed_out');
      await assert.rejects(gov().decide(task.id, await gov().findUser('admin@example.com'), { decision: 'approve' }), { code: 'APPROVAL_CLOSED' });
    });

    test('each person gets one digest a day of what waits for them', async () => {
      const digests = () => smtp.messages.filter((m) => /item\(s\) wait for you/.test(m.subject ?? ''));
      const before = digests().length;
      const now = new Date(t.clock.now());
      t.clock.set(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 8, 5));
      await drain();
      await waitFor(() => digests().length > before, 'a digest');
      const rita = digests().find((m) => /rita@example.com/.test(m.to && 'text' in m.to ? m.to.text : ''));
      assert.ok(rita, 'the reviewer got a digest');
      assert.match(rita.text ?? '', /draft \(invoice-send\)/);
      const count = digests().length;
      t.clock.advance(3_600_000);
      await drain();
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(digests().length, count, 'not twice the same day');
    });

    test('tampering with one audit row is found, and the row is named', async () => {
      const db = t.app.database.db;
      const victim = await db.selectFrom('audit_log').select(['seq']).where('action', '=', 'approval.decided').orderBy('seq').limit(1).executeTakeFirstOrThrow();
      const csv: string[] = [];
      for await (const chunk of gov().exportAudit('csv')) csv.push(chunk);
      assert.match(csv.join(''), /^seq,at,actor,action,subjectType,subjectId,runId,data,hash\n1,/);
      assert.ok(csv.join('').includes('approval.decided'));
      await db.updateTable('audit_log').set({ data: JSON.stringify({ decision: 'approve', diff: [] }) }).where('seq', '=', victim.seq).execute();
      const result = await gov().verifyAudit();
      assert.equal(result.ok, false);
      assert.equal(result.ok === false ? result.seq : -1, victim.seq);
      assert.match(result.ok === false ? result.reason : '', new RegExp(`entry ${victim.seq} \\(approval.decided`));
    });
  });
}

describe('graduation', () => {
  for (const dialect of testDialects().slice(0, 1)) {
    test(`after a streak of clean approvals a step is offered auto; a correction demotes it (${dialect})`, { timeout: 120_000 }, async () => {
      const smtp = await startSmtpSink();
      const t = await openTestApp(dialect, { register, config: { smtpUrl: smtp.url } });
      try {
        const gov = t.app.governance;
        const engine = t.app.engine;
        await gov.addUser({ email: 'owner@example.com', role: 'owner' });
        const owner = await gov.findUser('owner@example.com');
        await gov.savePolicy(policy);
        await engine.addWorkflow(workflow('review'));
        for (let i = 0; i < 20; i += 1) {
          const { runId } = await engine.startRun('invoice-send', { client: `Client ${i % 3}`, total: 100 + i });
          const task = (await gov.listApprovals()).find((a) => a.runId === runId);
          assert.ok(task);
          await gov.decide(task.id, owner, { decision: 'approve' });
        }
        await t.app.worker.drain();
        const [report] = (await gov.graduation()).filter((r) => r.stepId === 'draft');
        assert.equal(report?.approvedUnchanged, 20);
        assert.deepEqual(report?.suggestion && { from: report.suggestion.from, to: report.suggestion.to }, { from: 'review', to: 'auto' });
        const accepted = await gov.acceptPromotion('invoice-send', 'draft', owner);
        assert.deepEqual(accepted, { version: 2, tier: 'auto' });

        const auto = await engine.startRun('invoice-send', { client: 'Client 1', total: 200 });
        assert.equal((await engine.getRun(auto.runId)).status, 'completed', 'now it acts alone');
        const demoted = await gov.recordCorrection(auto.runId, 'draft', 'wrong amount: should have been 180', 'user:owner@example.com');
        assert.equal(demoted.demoted, true);
        const current = await engine.workflows.current('invoice-send');
        assert.equal(current.summary.currentVersion, 1, 'the same content as version 1 is version 1 again');
        assert.equal((current.definition.steps[0] as { tier?: string }).tier, 'review');
        const next = await engine.startRun('invoice-send', { client: 'Client 1', total: 200 });
        assert.equal((await engine.getRun(next.runId)).status, 'waiting', 'it asks a person again');
        await t.app.worker.drain();
        await waitFor(() => smtp.messages.some((m) => /back to review/.test(m.subject ?? '')), 'demotion email to the owner');
        const actions = (await gov.searchAudit({ limit: 1000 })).map((e) => e.action);
        assert.ok(actions.includes('graduation.accepted') && actions.includes('graduation.demoted') && actions.includes('step.corrected'));
        assert.equal((await gov.verifyAudit()).ok, true);
      } finally {
        await t.close();
        await smtp.close();
      }
    });
  }
});

describe('limits across processes', { skip: !testDialects().includes('postgres') && 'PostgreSQL is not configured for this run' }, () => {
  test('two OpsLoop instances on one PostgreSQL database never exceed a send limit together', { timeout: 120_000 }, async () => {
    const db = await createTestDatabase('postgres');
    const open = (id: string) => OpsLoop.open({ env: {}, register, config: { ...db.config, workerId: id }, logger: createLogger('silent') });
    const a = await open('a');
    const b = await open('b');
    try {
      await a.governance.savePolicy({ id: 'send-limit', rules: [{ id: 'daily', type: 'limit', counter: 'invoices', max: 25, period: 'day', tier: 'review' }] });
      await a.engine.addWorkflow({ id: 'limited', steps: [{ id: 'send', type: 'action', action: 'test.propose-invoice', input: { client: 'X', total: 1, currency: 'USD' }, proposing: true, policies: ['send-limit'] }] });
      const started = await Promise.all([
        ...Array.from({ length: 20 }, () => a.engine.startRun('limited', {})),
        ...Array.from({ length: 20 }, () => b.engine.startRun('limited', {})),
      ]);
      const statuses = await Promise.all(started.map(async (s) => (await a.engine.getRun(s.runId)).status));
      assert.equal(statuses.filter((s) => s === 'completed').length, 25, 'exactly the limit went out automatically');
      assert.equal(statuses.filter((s) => s === 'waiting').length, 15, 'the rest wait for a person');
      const verified = await a.governance.verifyAudit();
      assert.equal(verified.ok, true, 'both processes appended to one intact audit chain');
      assert.ok(verified.entries >= 40 * 3, `run started, proposal and verdict for every run (${verified.entries})`);
    } finally {
      await a.close();
      await b.close();
      await db.cleanup();
    }
  });
});

async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
