/** The clients API: who you bill, how (currency, payment terms, reminder cadence) and what they owe. */
import type { Hono } from 'hono';
import type { OpsLoop } from '../app.ts';
import { clientPatch, getClientWithDocuments, listClients, updateClient } from '../domains/finance/index.ts';
import { userWith, type AppEnv } from './auth.ts';
import { readJson, validate } from './body.ts';
import { route } from './openapi.ts';

export function mountClientsApi(app: Hono<AppEnv>, opsloop: OpsLoop): void {
  const db = opsloop.database.db;
  route(app, { method: 'get', path: '/api/clients', tag: 'clients', summary: 'List clients with their open balance per currency, invoice count and last invoice date', role: 'viewer' }, async (c) => {
    userWith(c, 'viewer');
    return c.json({ clients: await listClients(db) });
  });
  route(app, { method: 'get', path: '/api/clients/:id', tag: 'clients', summary: 'One client and its documents, newest first', role: 'viewer' }, async (c) => {
    userWith(c, 'viewer');
    return c.json(await getClientWithDocuments(db, c.req.param('id')));
  });
  route(
    app,
    {
      method: 'patch',
      path: '/api/clients/:id',
      tag: 'clients',
      summary: "Change a client's details: email, contact, address, tax id, currency, payment terms, reminder cadence, notes",
      description: 'Only the fields sent change; null clears one (a null reminderCadence means the business default).',
      role: 'admin',
      body: clientPatch,
    },
    async (c) => {
      const user = userWith(c, 'admin');
      const body = validate(clientPatch, await readJson(c));
      const client = await opsloop.engine.committer.unit((tx) => updateClient(tx, opsloop.database.dialect, c.req.param('id'), body, `user:${user.email}`, opsloop.engine.clock.now()));
      return c.json({ client });
    },
  );
}
