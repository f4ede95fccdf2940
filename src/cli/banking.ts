/** `opsloop bank import|reconcile|transactions|match`: bank statements and reconciliation. */
import path from 'node:path';
import type { Command } from 'commander';
import type { OpsLoop } from '../app.ts';
import { ValidationError } from '../core/errors.ts';
import { importStatement, listTransactions, matchManually, reconcile, statementFormats, type CsvMapping, type ReconcileResult } from '../domains/finance/index.ts';
import { readTextFile } from './io.ts';

type WithApp = <T>(work: (app: OpsLoop) => Promise<T>) => Promise<T>;
type Print = (value: unknown) => void;

const columnKeys = ['date', 'amount', 'debit', 'credit', 'description', 'reference', 'counterparty', 'id', 'currency'] as const;

/** "date=Date,amount=Amount,description=Text" → a mapping; unknown keys are refused by name. */
export function parseMapOption(value: string): CsvMapping {
  const mapping: Record<string, string> = {};
  for (const pair of value.split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    const key = eq === -1 ? pair.trim() : pair.slice(0, eq).trim();
    const column = eq === -1 ? '' : pair.slice(eq + 1).trim();
    if (!(columnKeys as readonly string[]).includes(key)) throw new ValidationError('CLI_OPTION_INVALID', `--map: "${key}" is not a field; use ${columnKeys.join(', ')} (e.g. --map date=Date,amount=Amount)`);
    if (column === '') throw new ValidationError('CLI_OPTION_INVALID', `--map: ${key} needs a column name (${key}=<column>)`);
    mapping[key] = column;
  }
  return mapping as CsvMapping;
}

export function addBankingCommands(program: Command, withApp: WithApp, print: Print): void {
  const bank = program.command('bank').description('Bank statements: import them, match money received to open invoices');

  bank
    .command('import <file>')
    .description('Import a statement (CSV, OFX or CAMT.053); lines imported before are not stored again')
    .option('-f, --format <format>', `${statementFormats.join(', ')} (default: from the file's extension and content)`)
    .option('-a, --account <id>', "the account (e.g. its IBAN); needed when the file names none, as CSV files don't")
    .option('-c, --currency <code>', 'CSV: the currency of the amounts (unless a currency column is mapped)')
    .option('-m, --map <fields>', 'CSV: columns by header name, e.g. date=Date,amount=Amount,description=Text,reference=Ref,counterparty=Name (or debit=…,credit=…, id=…)')
    .option('--date-format <format>', 'CSV: how dates are written, e.g. DD/MM/YYYY (default YYYY-MM-DD)')
    .option('--decimal <mark>', 'CSV: the decimal mark, "." or "," (default: read from each number)')
    .option('--delimiter <char>', 'CSV: the column separator (default: guessed)')
    .option('--json', 'print JSON')
    .action(async (file: string, o: { format?: string; account?: string; currency?: string; map?: string; dateFormat?: string; decimal?: string; delimiter?: string; json?: boolean }) => {
      const content = readTextFile(file);
      if (o.decimal !== undefined && o.decimal !== '.' && o.decimal !== ',') throw new ValidationError('CLI_OPTION_INVALID', '--decimal must be "." or ","');
      const mapping: CsvMapping = {
        ...(o.map === undefined ? {} : parseMapOption(o.map)),
        ...(o.dateFormat === undefined ? {} : { dateFormat: o.dateFormat }),
        ...(o.decimal === undefined ? {} : { decimal: o.decimal as '.' | ',' }),
        ...(o.delimiter === undefined ? {} : { delimiter: o.delimiter === '\\t' || o.delimiter === 'tab' ? '\t' : o.delimiter }),
      };
      await withApp(async (app) => {
        const result = await importStatement(
          app.engine,
          {
            content,
            fileName: path.basename(file),
            mapping,
            ...(o.format === undefined ? {} : { format: o.format }),
            ...(o.account === undefined ? {} : { account: o.account }),
            ...(o.currency === undefined ? {} : { currency: o.currency }),
          },
          { actor: 'cli' },
        );
        if (o.json === true) return print(result);
        print(
          `Imported ${path.basename(file)} (${result.format}) for account ${result.accounts.join(', ')}: ${result.transactions} transaction(s), ${result.new} new, ${result.existing} already imported` +
            `${result.skipped > 0 ? `, ${result.skipped} pending left out` : ''}${result.firstDate === null ? '' : ` (${result.firstDate} to ${result.lastDate ?? result.firstDate})`}.`,
        );
      });
    });

  bank
    .command('reconcile')
    .description('Match unmatched money received to open invoices: apply confident matches, send the rest to the inbox')
    .option('-t, --threshold <confidence>', 'apply matches with at least this confidence (0..1) this time; default: Settings → Bank reconciliation, else OPSLOOP_RECONCILE_THRESHOLD (0.9)')
    .option('--json', 'print JSON')
    .action(async (o: { threshold?: string; json?: boolean }) => {
      const threshold = o.threshold === undefined ? undefined : Number(o.threshold);
      if (o.threshold !== undefined && (o.threshold.trim() === '' || !Number.isFinite(threshold) || (threshold ?? 0) < 0 || (threshold ?? 0) > 1)) {
        throw new ValidationError('CLI_OPTION_INVALID', `--threshold must be a number from 0 to 1 (got "${o.threshold}")`);
      }
      await withApp(async (app) => {
        const result = await reconcile(app.engine, { ...(threshold === undefined ? {} : { threshold }), environmentThreshold: app.config.reconcileThreshold, actor: 'cli' });
        print(o.json === true ? result : formatReconcile(result));
      });
    });

  bank
    .command('transactions')
    .description('List bank transactions, newest first')
    .option('-s, --status <status>', 'unmatched, matched or all', 'all')
    .option('-a, --account <id>', 'only this account')
    .option('-n, --limit <n>', 'how many', '100')
    .option('--json', 'print JSON')
    .action(async (o: { status: string; account?: string; limit: string; json?: boolean }) => {
      if (!['unmatched', 'matched', 'all'].includes(o.status)) throw new ValidationError('CLI_OPTION_INVALID', `--status must be unmatched, matched or all (got "${o.status}")`);
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new ValidationError('CLI_OPTION_INVALID', `--limit must be a positive whole number (got "${o.limit}")`);
      await withApp(async (app) => {
        const list = await listTransactions(app.database.db, { status: o.status as 'unmatched' | 'matched' | 'all', limit, ...(o.account === undefined ? {} : { account: o.account }) });
        if (o.json === true) return print(list);
        if (list.length === 0) return print('No bank transactions: import a statement with `opsloop bank import <file>`.');
        print(
          list
            .map((t) => {
              const to = t.matches.length > 0 ? `  → ${t.matches.map((m) => `${m.invoice} ${m.amount}`).join(', ')}` : t.review === null ? '' : '  (in the inbox)';
              return `${t.id}  ${t.date}  ${t.amount.padStart(12)} ${t.currency}  ${t.status.padEnd(9)}  ${t.counterparty ?? '-'}  ${t.reference ?? t.description ?? ''}${to}`;
            })
            .join('\n'),
        );
      });
    });

  bank
    .command('match <transaction> <allocations...>')
    .description('Match a transaction by hand: opsloop bank match <transaction-id> INV-2026-0001=250.00 INV-2026-0002=100.00')
    .option('--json', 'print JSON')
    .action(async (transaction: string, pairs: string[], o: { json?: boolean }) => {
      const allocations = pairs.map((pair) => {
        const eq = pair.lastIndexOf('=');
        if (eq <= 0 || eq === pair.length - 1) throw new ValidationError('CLI_OPTION_INVALID', `"${pair}" is not <invoice>=<amount>, e.g. INV-2026-0001=250.00`);
        return { invoice: pair.slice(0, eq), amount: pair.slice(eq + 1) };
      });
      await withApp(async (app) => {
        const match = await matchManually(app.engine, transaction, allocations, { actor: 'cli' });
        print(o.json === true ? match : `Matched ${match.date} ${match.amount} ${match.currency}: ${match.allocations.map((a) => `${a.invoice} ${a.amount} (${a.status.replace('_', ' ')})`).join(', ')}.`);
      });
    });
}

function formatReconcile(result: ReconcileResult): string {
  const from = { request: 'given with --threshold', settings: 'set in Settings', environment: 'from OPSLOOP_RECONCILE_THRESHOLD' }[result.thresholdSource];
  const lines: string[] = [`Threshold ${result.threshold} (${from}): matches at least this sure are applied without asking.`];
  if (result.applied.length > 0) {
    lines.push(`Applied ${result.applied.length} match(es) (confidence ≥ ${result.threshold}):`);
    for (const a of result.applied) lines.push(`  ${a.date}  ${a.amount} ${a.currency}  → ${a.allocations.map((x) => `${x.invoice} ${x.amount} (${x.status.replace('_', ' ')})`).join(', ')}  confidence ${(a.confidence ?? 0).toFixed(2)}`);
  }
  if (result.proposed.length > 0) {
    lines.push(`In the inbox for a person: ${result.proposed.length} proposal(s):`);
    for (const p of result.proposed) {
      lines.push(`  ${p.transaction.date}  ${p.transaction.amount} ${p.transaction.currency}  ${p.transaction.counterparty ?? '-'}  → ${p.allocations.map((x) => `${x.invoice} ${x.amount}`).join(', ')}  confidence ${p.confidence.toFixed(2)}${p.taskId === null ? '' : `  task ${p.taskId}`}${p.created ? '' : ' (already open)'}`);
      for (const reason of p.reasons) lines.push(`      - ${reason}`);
    }
  }
  lines.push(`${result.unmatched} incoming transaction(s) without a match.`);
  return lines.join('\n');
}
