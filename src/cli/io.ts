/** Reading the files and JSON options a command is given, with errors that say which. */
import fs from 'node:fs';
import { ValidationError, messageOf } from '../core/errors.ts';

export function readTextFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ValidationError('CLI_FILE_UNREADABLE', `Cannot read ${file}: ${messageOf(error)}`);
  }
}

export function parseJsonOption(value: string, name: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch (error) {
    throw new ValidationError('CLI_JSON_INVALID', `${name} is not valid JSON: ${(error as Error).message}`);
  }
}
