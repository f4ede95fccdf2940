import { v7 as uuidv7 } from 'uuid';

/** A new time-ordered unique id (UUIDv7): sorts by creation, safe to expose. */
export function newId(): string {
  return uuidv7();
}
