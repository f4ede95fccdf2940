/** `opsloop doc`: one sentence to a draft document; `opsloop docs` lists documents. */
import type { Command } from 'commander';
import type { OpsLoop } from '../app.ts';
import { ValidationError } from '../core/errors.ts';
import fs from 'node:fs';
import { businessProfiles, createDraftFromSentence, listDocuments, renderPdf } from '../domains/finance/index.ts';

type WithApp = <T>(work: (app: OpsLoop) => Promise<T>) => Promise<T>;
type Print = (value: unknown) => void;

export function addFinanceCommands(program: Command, withApp: WithApp, print: Print): void {
  program
    .command('doc <sentence...>')
    .description('Turn one sentence into a draft document, e.g. "Invoice Acme Ltd $2,500 for website development due in 14 days"; `doc pdf <number>` writes its PDF')
    .option('--dry-run', 'only show what would be created')
    .option('-o, --output <file>', 'with `doc pdf`: where to write the PDF (default <number>.pdf)')
    .option('--json', 'print the draft as JSON')
    .option('--today <date>', 'the date relative terms count from (YYYY-MM-DD)')
    .action(async (words: string[], o: { dryRun?: boolean; json?: boolean; today?: string; output?: string }) => {
      if (words[0] === 'pdf' && words.length === 2) {
        const number = words[1] as string;
        await withApp(async (app) => {
          const { document, pdf } = await renderPdf(app.database.db, number, await businessProfiles(app.database, app.config).current());
          const file = o.output ?? `${document.number}.pdf`;
          fs.writeFileSync(file, pdf);
          print(`Wrote ${file} (${pdf.length} bytes).`);
        });
        return;
      }
      if (o.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(o.today)) throw new ValidationError('CLI_OPTION_INVALID', '--today must be a date written YYYY-MM-DD');
      await withApp(async (app) => {
        const { draft, document } = await createDraftFromSentence(
          { committer: app.engine.committer, dialect: app.database.dialect, now: () => app.engine.clock.now() },
          words.join(' '),
          { ...(o.today === undefined ? {} : { today: o.today }), dryRun: o.dryRun === true, actor: 'cli' },
        );
        if (o.json === true) return print(JSON.stringify(draft));
        const lines = draft.lines.map((l, i) => `  ${i + 1}. ${l.description}  ${l.quantity} × ${l.unitPrice}${l.taxRate === null ? '' : ` + ${l.taxRate}%`}`);
        print(
          [
            `${document === null ? 'Would create' : 'Created'} ${draft.kind.replace('_', ' ')}${document === null ? '' : ` ${document.number}`} for ${draft.client.name} (draft)`,
            ...lines,
            `  total ${draft.total} ${draft.currency}${draft.dueDate === null ? '' : `, due ${draft.dueDate}`}${draft.validUntil === null ? '' : `, valid until ${draft.validUntil}`}`,
            ...Object.entries(draft.confidence)
              .filter(([, c]) => c < 0.7)
              .map(([field, c]) => `  check: ${field} (confidence ${c.toFixed(2)})`),
          ].join('\n'),
        );
      });
    });

  program
    .command('docs')
    .description('List documents, newest first')
    .option('-s, --status <status>', 'only this status')
    .option('--json', 'print JSON')
    .action(async (o: { status?: string; json?: boolean }) => {
      await withApp(async (app) => {
        const list = await listDocuments(app.database.db, o.status === undefined ? {} : { status: o.status });
        if (o.json === true) return print(list);
        print(list.length === 0 ? 'No documents yet: try `opsloop doc "Invoice Acme Ltd $500 for design"`.' : list.map((d) => `${d.number}  ${d.status}  ${d.client.name}  ${d.total} ${d.currency}`).join('\n'));
      });
    });
}
