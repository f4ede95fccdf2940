/** `opsloop bank import|match|...`: bank statements and reconciliation. */
import type { Command } from 'commander';
import type { OpsLoop } from '../app.ts';

type WithApp = <T>(work: (app: OpsLoop) => Promise<T>) => Promise<T>;
type Print = (value: unknown) => void;

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function addBankingCommands(program: Command, withApp: WithApp, print: Print): void {}
