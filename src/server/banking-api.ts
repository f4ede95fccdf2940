/** The banking API: statement import and reconciliation. */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { OpsLoop } from '../app.ts';
import { allocationsSchema, getTransaction, importStatement, listTransactions, matchManually, reconcile, StatementFormat } from '../domains/finance/index.ts';
import { userWith, type AppEnv } from './auth.ts';
import { readJson, validate } from './body.ts';
import { mountBankingSettings } from './banking-settings-api.ts';
import { route } from './openapi.ts';

const column = z.string().min(1).max(200);

export const mappingSchema = z
  .object({
    date: column.optional(),
    amount: column.optional(),
    debit: column.optional(),
    credit: column.optional(),
    description: column.optional(),
    reference: column.optional(),
    counterparty: column.optional(),
    id: column.optional(),
    currency: column.optional(),
    dateFormat: z.string().min(1).max(40).optional(),
    decimal: z.enum(['.', ',']).optional(),
    delimiter: z.string().length(1, 'must be one character').optional(),
  })
  .strict();

const statementBody = z
  .object({
    /** guessed from the content when absent */
    format: z.enum(StatementFormat).optional(),
    content: z.string().min(1, 'must be the statement file as text'),
    account: z.string().min(1).max(100).optional(),
    currency: z.string().regex(/^[A-Za-z]{3}$/, 'must be a currency code such as "EUR"').optional(),
    fileName: z.string().max(300).optional(),
    mapping: mappingSchema.optional(),
  })
  .strict();

const transactionsQuery = z
  .object({
    status: z.enum(['unmatched', 'matched', 'all']).default('all'),
    account: z.string().min(1).max(100).optional(),
    limit: z.coerce.number().int().min(1).max(5000).optional(),
  })
  .strict();

const reconcileBody = z.object({ threshold: z.number().min(0).max(1).optional().describe('for this call only; default: Settings → Bank reconciliation, else OPSLOOP_RECONCILE_THRESHOLD') }).strict();
const matchBody = z.object({ allocations: allocationsSchema }).strict();

export function mountBankingApi(app: Hono<AppEnv>, opsloop: OpsLoop): void {
  route(
    app,
    { method: 'post', path: '/api/bank/statements', tag: 'banking', summary: 'Import a bank statement (CSV, OFX or CAMT.053 as text)', description: 'Lines imported before (same account and fingerprint) are counted, not stored again. A bad file is refused with the line at fault, and nothing is stored.', role: 'admin', body: statementBody, status: 201 },
    async (c) => {
      const user = userWith(c, 'admin');
      const body = validate(statementBody, await readJson(c));
      return c.json(await importStatement(opsloop.engine, body, { actor: `user:${user.email}` }), 201);
    },
  );
  route(app, { method: 'get', path: '/api/bank/transactions', tag: 'banking', summary: 'List bank transactions, newest first', role: 'viewer', query: transactionsQuery }, async (c) => {
    userWith(c, 'viewer');
    const query = validate(transactionsQuery, c.req.query(), 'query');
    return c.json({ transactions: await listTransactions(opsloop.database.db, query) });
  });
  route(app, { method: 'get', path: '/api/bank/transactions/:id', tag: 'banking', summary: 'One bank transaction with its matches', role: 'viewer' }, async (c) => {
    userWith(c, 'viewer');
    return c.json({ transaction: await getTransaction(opsloop.database.db, c.req.param('id')) });
  });
  route(
    app,
    { method: 'post', path: '/api/bank/reconcile', tag: 'banking', summary: 'Match money received to open invoices', description: 'Matches at or above the threshold are applied as payments; the others wait in the inbox (workflow bank-match-review). The threshold is the body\'s, else the one in Settings (GET /api/settings/banking), else OPSLOOP_RECONCILE_THRESHOLD (0.9); the answer names it and where it came from (thresholdSource).', role: 'admin', body: reconcileBody },
    async (c) => {
      const user = userWith(c, 'admin');
      const body = validate(reconcileBody, await readJson(c));
      return c.json(await reconcile(opsloop.engine, { environmentThreshold: opsloop.config.reconcileThreshold, ...body, actor: `user:${user.email}` }));
    },
  );
  route(app, { method: 'post', path: '/api/bank/transactions/:id/match', tag: 'banking', summary: 'Match a transaction by hand: the invoices and amounts a person chose', role: 'admin', body: matchBody, status: 201 }, async (c) => {
    const user = userWith(c, 'admin');
    const body = validate(matchBody, await readJson(c));
    const match = await matchManually(opsloop.engine, c.req.param('id'), body.allocations, { actor: `user:${user.email}` });
    return c.json({ match, transaction: await getTransaction(opsloop.database.db, match.transactionId) }, 201);
  });
  mountBankingSettings(app, opsloop);
}
