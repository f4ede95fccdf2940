/**
 * Numbered migrations, one version per change. Each takes the dialect so it can choose the
 * per-dialect SQL where the two engines differ. Never edit a migration that has shipped: add one.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';
import * as m001 from './001_engine.ts';
import * as m002 from './002_governance.ts';
import * as m003 from './003_ai.ts';
import * as m004 from './004_finance.ts';
import * as m005 from './005_document_links.ts';
import * as m006 from './006_payments.ts';
import * as m007 from './007_banking.ts';
import * as m008 from './008_paylinks.ts';
import * as m009 from './009_sessions.ts';
import * as m010 from './010_recurring.ts';
import * as m011 from './011_reminders.ts';
import * as m012 from './012_settings.ts';

export interface MigrationModule {
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

export const migrations: Record<string, MigrationModule> = {
  '001_engine': m001,
  '002_governance': m002,
  '003_ai': m003,
  '004_finance': m004,
  '005_document_links': m005,
  '006_payments': m006,
  '007_banking': m007,
  '008_paylinks': m008,
  '009_sessions': m009,
  '010_recurring': m010,
  '011_reminders': m011,
  '012_settings': m012,
};
