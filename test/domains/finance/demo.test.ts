/** First start: the shipped playbook is loaded and an empty business gets the demo, once. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { reconcile } from '../../../src/domains/finance/banking/index.ts';
import { listDocuments } from '../../../src/domains/finance/index.ts';
import { openTestApp, type TestApp } from '../../helpers/app.ts';
import { testDialects } from '../../helpers/dialects.ts';

for (const dialect of testDialects()) {
  describe(`first start on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await openTestApp(dialect);
    });
    after(async () => t.close());

    test('a new data folder gets the playbook and a demo business with work to do', async () => {
      const first = await t.app.prepare({ demo: true });
      assert.deepEqual(first, { playbooks: ['invoice-to-cash'], demo: true });
      const docs = await listDocuments(t.app.database.db);
      const byStatus = (s: string) => docs.filter((d) => d.status === s).length;
      assert.equal(docs.length, 7);
      assert.equal(byStatus('paid'), 3, 'paid invoices');
      assert.equal(byStatus('overdue'), 1, 'one overdue invoice');
      assert.equal(byStatus('sent'), 3, 'open invoices and a quote');
      assert.ok(docs.some((d) => d.kind === 'quote'));
      const workflows = (await t.app.engine.workflows.list()).map((w) => w.id);
      assert.ok(workflows.includes('invoice-to-cash'));

      // The statement's Acme payment matches its open invoice exactly; Jones Plumbing paid part.
      const result = await reconcile(t.app.engine, { actor: 'test' });
      const applied = result.applied.flatMap((a) => a.allocations.map((x) => x.invoice));
      const proposed = result.proposed.flatMap((p) => p.allocations.map((x) => x.invoice));
      const acme = docs.find((d) => d.client.name === 'Acme Ltd' && d.status === 'sent');
      assert.ok(acme);
      assert.ok(applied.includes(acme.number), `Acme's payment applied: ${JSON.stringify(result)}`);
      const jones = docs.find((d) => d.client.name === 'Jones Plumbing');
      assert.ok(jones);
      assert.ok([...applied, ...proposed].includes(jones.number), "Jones Plumbing's part payment is matched or proposed");
    });

    test('a second start seeds nothing and keeps the playbook as the owner left it', async () => {
      await t.app.engine.addWorkflow({ id: 'invoice-to-cash', name: 'Edited by the owner', steps: [{ id: 'only', type: 'end' }] });
      const again = await t.app.prepare({ demo: true });
      assert.deepEqual(again, { playbooks: [], demo: false });
      assert.equal((await listDocuments(t.app.database.db)).length, 7);
      assert.equal((await t.app.engine.workflows.current('invoice-to-cash')).summary.name, 'Edited by the owner');
    });
  });
}
