/** Telling people by email, through the outbox (so a notification is sent once, never lost). */
import { createHash } from 'node:crypto';
import { newId } from '../core/ids.ts';
import { roles, type Role } from './users.ts';
import type { Queryable } from '../workflow/store/runs.ts';
import { pendingOutboxRow } from '../workflow/outbox.ts';

export interface Mail {
  to: string[];
  subject: string;
  text: string;
}

/** Queues an email; the same `key` twice queues it once. */
export async function queueMail(tx: Queryable, mail: Mail, key: string, now: number): Promise<void> {
  if (mail.to.length === 0) return;
  await tx
    .insertInto('outbox')
    .values(pendingOutboxRow({ id: newId(), runId: null, stepSeq: null, stepId: null, kind: 'email', idempotencyKey: `mail:${createHash('sha256').update(key).digest('hex').slice(0, 40)}`, payload: { to: mail.to, subject: mail.subject, text: mail.text }, now }))
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
}

/** The email addresses behind an assignee: an email, or `role:<role>` (everyone with that role or above). */
export async function recipientsOf(db: Queryable, assignee: string | null): Promise<string[]> {
  if (assignee === null || assignee === '') {
    const rows = await db.selectFrom('users').select('email').where('role', 'in', ['owner', 'admin']).where('disabled', '=', 0).execute();
    return rows.map((r) => r.email);
  }
  if (assignee.startsWith('role:')) {
    const role = assignee.slice(5) as Role;
    const index = roles.indexOf(role);
    if (index < 0) return [];
    const rows = await db.selectFrom('users').select('email').where('role', 'in', roles.slice(0, index + 1) as unknown as string[]).where('disabled', '=', 0).execute();
    return rows.map((r) => r.email);
  }
  return [assignee.toLowerCase()];
}
