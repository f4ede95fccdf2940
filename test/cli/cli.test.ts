/** The `opsloop` command as a person uses it: real processes, a real data folder. */
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/dialects.ts';
import { repoRoot, runOpsLoop, spawnOpsLoop } from '../helpers/process.ts';

const example = path.join(repoRoot, 'examples/order-check.yaml');

for (const dialect of testDialects()) {
  describe(`opsloop CLI on ${dialect}`, () => {
    let db: TestDatabase;
    const opsloop = (...args: string[]) => runOpsLoop(args, db.env);
    before(async () => {
      db = await createTestDatabase(dialect);
    });
    after(async () => db.cleanup());

    test('migrate, add a workflow, run it, list and show runs', async () => {
      assert.match((await opsloop('migrate')).stdout, /Database is up to date/);
      assert.match((await opsloop('workflows', 'add', example)).stdout, /Workflow order-check saved as version 1/);
      assert.match((await opsloop('workflows', 'add', example)).stdout, /unchanged \(version 1\)/);
      const run = await opsloop('run', 'order-check', '--input', '{"customer":"Acme","amount":900}');
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /Status\s+completed/);
      assert.match(run.stdout, /validate\s+action\s+completed/);
      assert.match(run.stdout, /"total":1080/);
      const runId = /Run\s+(\S+)/.exec(run.stdout)?.[1] ?? '';
      const list = await opsloop('runs', '--status', 'completed');
      assert.match(list.stdout, new RegExp(runId));
      const show = await opsloop('runs', 'show', runId, '--json');
      assert.equal(JSON.parse(show.stdout).steps.length, 4);
    });

    test('a failing run shows the exception and exits non-zero', async () => {
      const run = await opsloop('run', 'order-check', '--input', '{"customer":"Acme"}');
      assert.equal(run.code, 1);
      assert.match(run.stdout, /Status\s+exception/);
      assert.match(run.stdout, /Field "amount" is required/);
      assert.match((await opsloop('exceptions')).stdout, /VALIDATION_FAILED/);
    });

    test('bad input gets a clear message and an exit code, nothing is written', async () => {
      const missing = await opsloop('workflows', 'add', '/nonexistent/flow.yaml');
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /error CLI_FILE_UNREADABLE: Cannot read \/nonexistent\/flow.yaml/);
      const bad = path.join(db.config.dataDir, 'bad.yaml');
      fs.writeFileSync(bad, 'id: bad\nsteps:\n  - id: a\n    type: action\n    action: nope\n');
      const invalid = await opsloop('workflows', 'add', bad);
      assert.equal(invalid.code, 2);
      assert.match(invalid.stderr, /error WORKFLOW_INVALID: .*steps\[0\]\.action: unknown action "nope"/);
      const json = await opsloop('run', 'order-check', '--input', '{oops');
      assert.equal(json.code, 2);
      assert.match(json.stderr, /--input is not valid JSON/);
      const unknown = await opsloop('run', 'ghost');
      assert.equal(unknown.code, 4);
      assert.match(unknown.stderr, /WORKFLOW_NOT_FOUND/);
      assert.doesNotMatch((await opsloop('workflows', 'list')).stdout, /bad/);
    });

    test('people: add users and tokens, decide approvals, verify and export the audit trail', { timeout: 90_000 }, async () => {
      assert.match((await opsloop('user', 'add', 'boss@example.com', '--role', 'owner')).stdout, /User boss@example.com added as owner/);
      const bad = await opsloop('user', 'add', 'x@example.com', '--role', 'emperor');
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /USER_INVALID/);
      const token = await opsloop('token', 'create', 'boss@example.com');
      assert.match(token.stdout.trim(), /^olp_[A-Za-z0-9_-]{40,}$/);
      const flow = path.join(db.config.dataDir, 'ask.yaml');
      fs.writeFileSync(flow, 'id: ask\nsteps:\n  - id: ok\n    type: approval\n    title: Please check\n  - id: done\n    type: end\n    output: approved\n');
      await opsloop('workflows', 'add', flow);
      const run = await opsloop('run', 'ask');
      assert.match(run.stdout, /Status\s+waiting/);
      const list = await opsloop('approvals', '--json');
      const [task] = JSON.parse(list.stdout) as { id: string; runId: string }[];
      assert.ok(task);
      const nobody = await opsloop('approve', task.id);
      assert.equal(nobody.code, 2, nobody.stderr);
      assert.match(nobody.stderr, /--as <email>/);
      assert.match((await opsloop('approve', task.id, '--as', 'boss@example.com')).stdout, /Approved/);
      const shown = JSON.parse((await opsloop('runs', 'show', task.runId, '--json')).stdout) as { status: string; output: unknown };
      assert.deepEqual([shown.status, shown.output], ['completed', 'approved']);
      assert.match((await opsloop('audit', 'verify')).stdout, /Audit trail intact: \d+ entries/);
      const csv = await opsloop('audit', 'export', '--format', 'csv');
      assert.match(csv.stdout, /approval.decided/);
    });

    test('serve creates and migrates the database on first start and answers on its port', { timeout: 60_000 }, async () => {
      const fresh = await createTestDatabase(dialect);
      const server = spawnOpsLoop(['serve', '--port', '0'], fresh.env);
      try {
        await server.ready(/serving on http:\/\/\S+/);
        const url = /serving on (http:\/\/\S+)/.exec(server.output())?.[1] ?? '';
        const health = await fetch(`${url}/healthz`);
        assert.equal(health.status, 200);
        assert.equal(((await health.json()) as { database: string }).database, dialect);
        if (dialect === 'sqlite') assert.ok(fs.existsSync(path.join(fresh.config.dataDir, 'opsloop.db')));
      } finally {
        await server.kill('SIGTERM');
        await fresh.cleanup();
      }
    });
  });
}
