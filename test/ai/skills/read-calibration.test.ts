/**
 * READ's per-field thresholds recalibrated from the business's own inbox decisions: a read step
 * run again and again through the engine, the gate and the inbox.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { User } from '../../../src/governance/index.ts';
import { readerCalibration } from '../../../src/ai/skills/calibration.ts';
import { AiStore, readOutcomesModelName } from '../../../src/ai/skills/store.ts';
import { loadDefaultModel } from '../../../src/ai/read/index.ts';
import { openTestApp, type TestApp } from '../../helpers/app.ts';
import { testDialects } from '../../helpers/dialects.ts';
import { shopReceipt } from '../read/fixtures.ts';

interface Calibration {
  threshold: number;
  precision?: number;
  fields?: Record<string, number>;
  source: string;
}

const shipped = readerCalibration(loadDefaultModel());

/** A receipt of the same shop; `i` varies the total, date and number (and so the reader's confidences). */
function receipt(i: number): unknown[] {
  const total = `${10 + i}.${String((i * 7) % 100).padStart(2, '0')}`;
  return shopReceipt({ vendor: 'KEDAI RUNCIT MAJU JAYA SDN BHD', date: `${String(1 + (i % 28)).padStart(2, '0')}/03/2018`, items: [['SUGAR 1KG', '2.90'], ['RICE 5KG', total]], total, cash: '50.00', change: '1.00', number: `CS000${1000 + i}` });
}

for (const dialect of testDialects()) {
  describe(`READ thresholds from the business's decisions on ${dialect}`, () => {
    let t: TestApp;
    let boss: User;
    /** per field, the confidences of the values people approved unchanged */
    const approved = new Map<string, number[]>();

    before(async () => {
      t = await openTestApp(dialect);
      await t.app.governance.addUser({ email: 'boss@example.com', role: 'owner' });
      boss = await t.app.governance.findUser('boss@example.com');
      // The same skill in two workflows: one may act alone, one always asks a person.
      await t.app.engine.addWorkflow({ id: 'receipts', steps: [{ id: 'read', type: 'ai', skill: 'read', input: { lines: '{{ input.lines }}' }, tier: 'auto' }] });
      await t.app.engine.addWorkflow({ id: 'receipts-checked', steps: [{ id: 'read', type: 'ai', skill: 'read', input: { lines: '{{ input.lines }}' }, tier: 'review' }] });
    });
    after(async () => t.close());

    /** Runs a receipt; returns the run's status, its open task (if any) and the calibration the gate was given. */
    async function read(workflow: string, i: number) {
      const { runId } = await t.app.engine.startRun(workflow, { lines: receipt(i) });
      const run = await t.app.engine.getRun(runId, { steps: true });
      const task = (await t.app.governance.listApprovals({ status: 'open' })).find((a) => a.runId === runId);
      const audited = await t.app.database.db.selectFrom('audit_log').select('data').where('run_id', '=', runId).where('action', '=', 'step.proposed').executeTakeFirst();
      const calibration = (JSON.parse(audited?.data ?? 'null') as { calibration: Calibration } | null)?.calibration;
      assert.ok(calibration, 'the read step reported a calibration');
      const gate = JSON.stringify((run.steps?.[0]?.meta as { gate?: unknown } | undefined)?.gate ?? null);
      return { run, task, calibration, gate };
    }

    async function approveUnchanged(i: number): Promise<void> {
      const { task } = await read('receipts', i);
      assert.ok(task, `receipt ${i} went to a person`);
      for (const [field, confidence] of Object.entries((task.evidence as { fieldConfidence: Record<string, number> }).fieldConfidence)) {
        approved.set(field, [...(approved.get(field) ?? []), confidence]);
      }
      await t.app.governance.decide(task.id, boss, { decision: 'approve' });
    }

    test('on a fresh install the shipped SROIE thresholds decide: the vendor (threshold 1) sends every receipt to a person', async () => {
      const { run, calibration, gate } = await read('receipts', 0);
      assert.equal(run.status, 'waiting');
      assert.deepEqual(calibration, shipped);
      assert.match(gate, /vendor [\d.]+ below the calibrated 1\.0+ for 99% precision/);
      const task = (await t.app.governance.listApprovals({ status: 'open' })).find((a) => a.runId === run.id);
      assert.ok(task);
      await t.app.governance.decide(task.id, boss, { decision: 'reject', reason: 'not ours' });
      assert.deepEqual(await t.app.ai.store.readOutcomes(), [], 'a rejection says nothing about single fields');
    });

    test('99 approvals are too few: the shipped thresholds stay', async () => {
      for (let i = 1; i <= 99; i++) await approveUnchanged(i);
      const { task, calibration } = await read('receipts', 100);
      assert.ok(task, 'still a person');
      assert.deepEqual(calibration, shipped);
      assert.equal((await t.app.ai.store.readOutcomes()).filter((o) => o.field === 'vendor').length, 99);
      for (const [field, confidence] of Object.entries((task.evidence as { fieldConfidence: Record<string, number> }).fieldConfidence)) {
        approved.set(field, [...(approved.get(field) ?? []), confidence]);
      }
      await t.app.governance.decide(task.id, boss, { decision: 'approve' });
    });

    test('after 100 approvals unchanged each field’s threshold falls to the evidence, the source names the decisions, and a receipt passes the gate alone', async () => {
      const { run, task, calibration } = await read('receipts', 5);
      const lowest = Object.fromEntries([...approved].map(([field, confidences]) => [field, Math.min(...confidences)]));
      assert.ok((lowest.vendor ?? 1) < 1);
      assert.deepEqual(calibration.fields, { ...shipped.fields, ...lowest });
      assert.equal(calibration.threshold, shipped.threshold);
      assert.match(calibration.source, new RegExp(`business decisions in the inbox: .*vendor ${lowest.vendor} \\(100 decisions, 0 edited\\)`));
      assert.match(calibration.source, /other fields: SROIE/);
      assert.equal(task, undefined, 'no person was asked');
      assert.equal(run.status, 'completed');
      assert.equal((run.output as Record<string, unknown>).vendor, 'KEDAI RUNCIT MAJU JAYA SDN BHD');
    });

    test('edited totals at high confidence: one in 101 is within 1 %, a second raises the threshold and the receipt goes to a person again', async () => {
      const editTotal = async (i: number): Promise<number> => {
        const { task } = await read('receipts-checked', i);
        assert.ok(task);
        const proposed = task.proposed as Record<string, unknown>;
        await t.app.governance.decide(task.id, boss, { decision: 'approve', data: { ...proposed, total: '99.99' } });
        return (task.evidence as { fieldConfidence: Record<string, number> }).fieldConfidence.total ?? 0;
      };
      const before = (await read('receipts', 5)).calibration.fields?.total ?? 1;
      const firstWrong = await editTotal(1);
      assert.ok(firstWrong >= before, 'the wrong total was above the threshold');
      const afterOne = await read('receipts', 5);
      assert.equal(afterOne.calibration.fields?.total, before);
      assert.equal(afterOne.run.status, 'completed', 'one wrong total in 101 keeps 99 % precision');
      await editTotal(2);
      const afterTwo = await read('receipts', 5);
      assert.equal(afterTwo.calibration.fields?.total, 1, 'shipped 0.979 was also above those wrong totals: not safe for this business');
      assert.match(afterTwo.calibration.source, /raised to 1 by business decisions .*total \(102 decisions, 2 edited\)/);
      assert.equal(afterTwo.run.status, 'waiting');
      assert.match(afterTwo.gate, /total [\d.]+ below the calibrated 1\.0+ for 99% precision/);
      assert.doesNotMatch(afterTwo.gate, /vendor [\d.]+ below/, 'the other fields still pass on the business evidence');
    });

    test('bad data is ignored: outcomes for unknown fields or with non-numeric confidences, and a stored row that is not JSON', async () => {
      const { task } = await read('receipts-checked', 3);
      assert.ok(task);
      const decided = await t.app.governance.decide(task.id, boss, { decision: 'approve' });
      const count = async (field: string) => (await t.app.ai.store.readOutcomes()).filter((o) => o.field === field).length;
      const vendorBefore = await count('vendor');
      const totalBefore = await count('total');
      // The same decision seen with a damaged evidence: only the valid field is recorded.
      await t.app.ai.learner.learn({ ...decided, evidence: { fieldConfidence: { vendor: 0.97, total: 'high', bogus: 0.9, address: null } } });
      assert.equal(await count('vendor'), vendorBefore + 1);
      assert.equal(await count('total'), totalBefore);
      assert.equal(await count('bogus'), 0);
      const now = t.clock.now();
      await t.app.database.db.updateTable('ai_models').set({ data: JSON.stringify({ bogus: [[0.1, 1]], total: [['x', 1], [null, 0], [2, 1]] }), metadata: 'damaged', updated_at: now }).where('name', '=', readOutcomesModelName).execute();
      const damaged = await read('receipts', 5);
      assert.deepEqual(damaged.calibration, shipped, 'nothing valid left: the shipped thresholds');
      await t.app.database.db.updateTable('ai_models').set({ data: 'not json', metadata: 'damaged again' }).where('name', '=', readOutcomesModelName).execute();
      assert.deepEqual((await read('receipts', 5)).calibration, shipped);
      // Recording goes on from a clean slate.
      const next = await read('receipts-checked', 4);
      assert.ok(next.task);
      await t.app.governance.decide(next.task.id, boss, { decision: 'approve' });
      assert.equal(await count('vendor'), 1);
    });

    test('decisions recorded at the same time by two processes are all kept', async () => {
      const stores = [new AiStore(t.app.database.db), new AiStore(t.app.database.db)];
      const before = (await t.app.ai.store.readOutcomes()).filter((o) => o.field === 'tax').length;
      await Promise.all(Array.from({ length: 5 }, (_, i) => (stores[i % 2] as AiStore).recordReadOutcomes([{ field: 'tax', confidence: 0.5 + i / 10, right: true }], t.clock.now())));
      const tax = (await t.app.ai.store.readOutcomes()).filter((o) => o.field === 'tax');
      assert.equal(tax.length, before + 5);
      assert.deepEqual(tax.slice(-5).map((o) => o.confidence).sort(), [0.5, 0.6, 0.7, 0.8, 0.9]);
    });
  });
}
