/** `opsloop` commands of the governance layer: users, tokens, approvals, audit, policies, graduation. */
import fs from 'node:fs';
import type { Command } from 'commander';
import type { OpsLoop } from '../app.ts';
import { parseJsonOption, readTextFile } from './io.ts';
import { ValidationError } from '../core/errors.ts';
import { roles, type User } from '../governance/index.ts';

type WithApp = <T>(work: (app: OpsLoop) => Promise<T>) => Promise<T>;
type Print = (value: unknown) => void;


async function actingUser(app: OpsLoop, as: string | undefined): Promise<User> {
  const email = as ?? process.env.OPSLOOP_USER;
  if (email === undefined || email === '') throw new ValidationError('CLI_USER_REQUIRED', 'Say who decides: --as <email> (or set OPSLOOP_USER)');
  return app.governance.findUser(email);
}


export function addGovernanceCommands(program: Command, withApp: WithApp, print: Print): void {
  const user = program.command('user').description('People who use OpsLoop');
  user
    .command('add <email>')
    .description('Add a user (roles: owner, admin, reviewer, viewer)')
    .requiredOption('-r, --role <role>', `one of ${roles.join(', ')}`)
    .option('-n, --name <name>', 'display name')
    .option('--password-stdin', 'read a password (for the web login) from standard input')
    .option('--approval-limit <amount>', 'the most this person may approve')
    .option('--currency <code>', 'currency of the approval limit', 'USD')
    .action(async (email: string, o: { role: string; name?: string; passwordStdin?: boolean; approvalLimit?: string; currency: string }) => {
      const password = o.passwordStdin === true ? fs.readFileSync(0, 'utf8').trim() : undefined;
      await withApp(async (app) => {
        const added = await app.governance.addUser({
          email,
          role: o.role as User['role'],
          ...(o.name === undefined ? {} : { name: o.name }),
          ...(password === undefined ? {} : { password }),
          ...(o.approvalLimit === undefined ? {} : { approvalLimit: Number(o.approvalLimit), approvalLimitCurrency: o.currency }),
        });
        print(`User ${added.email} added as ${added.role}.`);
      });
    });
  user.command('list').action(async () => {
    await withApp(async (app) => print((await app.governance.listUsers()).map((u) => `${u.email}  ${u.role}${u.approvalLimit === null ? '' : `  approves up to ${u.approvalLimit} ${u.approvalLimitCurrency ?? ''}`}`).join('\n') || 'No users yet.'));
  });

  program
    .command('token')
    .description('API tokens')
    .command('create <email>')
    .description('Create an API token for a user (shown once)')
    .option('-n, --name <name>', 'what the token is for', 'cli')
    .action(async (email: string, o: { name: string }) => {
      await withApp(async (app) => {
        const created = await app.governance.createToken(email, o.name);
        print(created.token);
      });
    });

  program
    .command('approvals')
    .description('What waits for a person, most urgent first')
    .option('--mine', 'only what the acting user (--as) may decide')
    .option('--as <email>', 'acting user (or OPSLOOP_USER)')
    .option('--all', 'include decided ones')
    .option('--json', 'print JSON')
    .action(async (o: { mine?: boolean; as?: string; all?: boolean; json?: boolean }) => {
      await withApp(async (app) => {
        const mine = o.mine === true ? await actingUser(app, o.as) : undefined;
        const list = await app.governance.listApprovals({ status: o.all === true ? 'all' : 'open', ...(mine === undefined ? {} : { mine }) });
        if (o.json === true) return print(list);
        print(
          list.length === 0
            ? 'Nothing waits for a person.'
            : list
                .map((t) => `${t.id}  ${t.status}  ${t.workflowId}/${t.stepId}  ${t.title}${t.assignee === null ? '' : `  → ${t.assignee}`}${t.dueAt === null ? '' : `  due ${t.dueAt}`}\n    why: ${((t.reasons as { message?: string }[] | null) ?? []).map((r) => r.message).join('; ')}`)
                .join('\n'),
        );
      });
    });

  program
    .command('approve <taskId>')
    .description('Approve a task, optionally with an edited output')
    .option('--edit <json>', 'the corrected output')
    .option('--as <email>', 'acting user (or OPSLOOP_USER)')
    .action(async (taskId: string, o: { edit?: string; as?: string }) => {
      const data = o.edit === undefined ? undefined : parseJsonOption(o.edit, '--edit');
      await withApp(async (app) => {
        const view = await app.governance.decide(taskId, await actingUser(app, o.as), { decision: 'approve', ...(data === undefined ? {} : { data }) });
        await app.worker.drain(1);
        print(`Approved ${taskId}${view.editDiff === null ? '' : ` with ${view.editDiff.length} change(s)`}; run ${view.runId} goes on.`);
      });
    });

  program
    .command('reject <taskId>')
    .description('Reject a task with a reason')
    .requiredOption('--reason <text>', 'why')
    .option('--as <email>', 'acting user (or OPSLOOP_USER)')
    .action(async (taskId: string, o: { reason: string; as?: string }) => {
      await withApp(async (app) => {
        const view = await app.governance.decide(taskId, await actingUser(app, o.as), { decision: 'reject', reason: o.reason });
        await app.worker.drain(1);
        print(`Rejected ${taskId}; run ${view.runId} takes its rejection path.`);
      });
    });

  program
    .command('correct <runId> <stepId>')
    .description('Mark an automatic result as wrong (a step in auto goes back to review)')
    .requiredOption('--reason <text>', 'what was wrong')
    .option('--as <email>', 'acting user (or OPSLOOP_USER)')
    .action(async (runId: string, stepId: string, o: { reason: string; as?: string }) => {
      await withApp(async (app) => {
        const by = await actingUser(app, o.as);
        const result = await app.governance.recordCorrection(runId, stepId, o.reason, `user:${by.email}`);
        print(result.demoted ? `Recorded. ${stepId} was in auto and now asks a person again (review).` : 'Recorded.');
      });
    });

  const audit = program.command('audit').description('The tamper-evident audit trail');
  audit
    .command('verify')
    .description('Check the hash chain; names the first entry that does not match')
    .action(async () => {
      await withApp(async (app) => {
        const result = await app.governance.verifyAudit();
        if (result.ok) print(`Audit trail intact: ${result.entries} entries, last hash ${result.lastHash.slice(0, 16)}…`);
        else {
          print(`Audit trail BROKEN at entry ${result.seq}: ${result.reason} (${result.entries} entries before it verify)`);
          process.exitCode = 1;
        }
      });
    });
  audit
    .command('export')
    .description('The whole trail for an accountant')
    .option('-f, --format <format>', 'csv or jsonl', 'csv')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .action(async (o: { format: string; output?: string }) => {
      if (o.format !== 'csv' && o.format !== 'jsonl') throw new ValidationError('CLI_OPTION_INVALID', '--format must be csv or jsonl');
      await withApp(async (app) => {
        const out = o.output === undefined ? process.stdout : fs.createWriteStream(o.output);
        for await (const chunk of app.governance.exportAudit(o.format as 'csv' | 'jsonl')) out.write(chunk);
        if (out !== process.stdout) await new Promise((resolve) => (out as fs.WriteStream).end(resolve));
      });
    });

  const policies = program.command('policies').description('Governance policies');
  policies
    .command('add <file>')
    .description('Add or update a policy from YAML or JSON (changed content is a new version)')
    .action(async (file: string) => {
      const text = readTextFile(file);
      await withApp(async (app) => {
        const saved = await app.governance.savePolicy(text);
        print(saved.created ? `Policy ${saved.policyId} saved as version ${saved.version}.` : `Policy ${saved.policyId} is unchanged (version ${saved.version}).`);
      });
    });
  policies.command('list').action(async () => {
    await withApp(async (app) => print((await app.governance.listPolicies()).map((p) => `${p.id}  v${p.version}  ${p.definition.rules.length} rule(s)`).join('\n') || 'No policies yet.'));
  });

  const graduation = program
    .command('graduation')
    .description('How each governed step has done, and suggested promotions')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      await withApp(async (app) => {
        const steps = await app.governance.graduation();
        if (o.json === true) return print(steps);
        print(
          steps.length === 0
            ? 'No governed steps yet.'
            : steps
                .map((s) => `${s.workflowId}/${s.stepId}  ${s.tier}  approved ${s.approvedUnchanged}, edited ${s.edited}, rejected ${s.rejected}, automatic ${s.automatic}, corrected ${s.corrected}${s.suggestion === null ? '' : `\n    suggest ${s.suggestion.from} → ${s.suggestion.to} (${s.suggestion.streak} clean in a row, edit rate ${(s.suggestion.editRate * 100).toFixed(0)}%)`}`)
                .join('\n'),
        );
      });
    });
  for (const verb of ['accept', 'decline'] as const) {
    graduation
      .command(`${verb} <workflow> <step>`)
      .option('--as <email>', 'acting user (or OPSLOOP_USER)')
      .action(async (workflow: string, step: string, o: { as?: string }) => {
        await withApp(async (app) => {
          const by = await actingUser(app, o.as);
          if (verb === 'accept') {
            const r = await app.governance.acceptPromotion(workflow, step, by);
            print(`${workflow}/${step} is now ${r.tier} (workflow version ${r.version}).`);
          } else {
            await app.governance.declinePromotion(workflow, step, by);
            print(`Declined; OpsLoop will suggest it again after another streak of clean approvals.`);
          }
        });
      });
  }
}
