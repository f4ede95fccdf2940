/** Opening a real OpsLoop (real database, real HTTP) for a test, and closing it after. */
import { OpsLoop, type OpenOptions } from '../../src/app.ts';
import { createLogger } from '../../src/core/logger.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { createTestDatabase, type DialectName, type TestDatabase } from './dialects.ts';

export interface TestApp {
  app: OpsLoop;
  db: TestDatabase;
  clock: ManualClock;
  close(): Promise<void>;
}

export async function openTestApp(dialect: DialectName, options: OpenOptions & { realClock?: boolean } = {}): Promise<TestApp> {
  const db = await createTestDatabase(dialect);
  const clock = new ManualClock('2026-01-05T09:00:00Z');
  const app = await OpsLoop.open({
    ...options,
    env: options.env ?? {},
    // port 0: a test that listens gets a free port, never the default one another process may hold
    config: { workerId: 'test-worker', leaseSeconds: 30, pollIntervalMs: 20, port: 0, ...db.config, ...options.config },
    logger: options.logger ?? createLogger('silent'),
    ...(options.realClock === true ? {} : { clock }),
  });
  return {
    app,
    db,
    clock,
    close: async () => {
      await app.close();
      await db.cleanup();
    },
  };
}

export const hour = 3_600_000;
export const day = 24 * hour;

/** A user with an API token, for HTTP tests. */
export async function userWithToken(app: TestApp['app'], email: string, role: 'owner' | 'admin' | 'reviewer' | 'viewer', extra: { approvalLimit?: number; approvalLimitCurrency?: string } = {}): Promise<{ email: string; token: string; headers: Record<string, string> }> {
  await app.governance.addUser({ email, role, ...extra });
  const { token } = await app.governance.createToken(email, 'test');
  return { email, token, headers: { authorization: `Bearer ${token}` } };
}
