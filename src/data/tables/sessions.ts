/** Kysely table types: browser sessions, failed logins and workflow baselines (migration 009_sessions). */
import type { Generated } from 'kysely';

export interface SessionsTable {
  /** SHA-256 (hex) of the session id; the id itself is only in the browser's cookie */
  id_hash: string;
  user_id: string;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: number;
  last_seen_at: number;
  /** the absolute end of the session, whatever the activity */
  expires_at: number;
}

export interface LoginFailuresTable {
  id: Generated<number>;
  /** lower-cased, as typed (the user may not exist) */
  email: string;
  ip: string;
  at: number;
}

export interface WorkflowBaselinesTable {
  workflow_id: string;
  /** how long a person would take for one run, in seconds */
  seconds_per_run: number;
  updated_by: string;
  updated_at: number;
}

export interface SessionTables {
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  workflow_baselines: WorkflowBaselinesTable;
}
