import { pino, type Logger } from 'pino';

export type { Logger };

/** A JSON-lines logger on stderr (stdout stays for command output). */
export function createLogger(level: 'silent' | 'error' | 'warn' | 'info' | 'debug', name = 'opsloop'): Logger {
  return pino({ name, level, base: { pid: process.pid } }, pino.destination(2));
}
