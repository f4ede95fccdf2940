/**
 * Live updates from GET /api/stream (server-sent events: `inbox` {open}, `run` {id, status, …}).
 * Read with fetch rather than EventSource so the same credentials work (cookie or bearer token);
 * reconnects with a growing pause. A server without the stream is polled for the inbox count.
 */
import { useEffect, useState } from 'react';
import { api, isMissingRoute, request } from './api.ts';
import type { Inbox } from './types.ts';

export interface RunEvent {
  id: string;
  workflowId: string;
  status: string;
  updatedAt: string;
}

type Listener = { inbox?: (open: number) => void; run?: (event: RunEvent) => void };

const listeners = new Set<Listener>();
let inboxCount: number | null = null;
let controller: AbortController | null = null;

function publishInbox(open: number): void {
  inboxCount = open;
  for (const l of listeners) l.inbox?.(open);
}

function publishRun(event: RunEvent): void {
  for (const l of listeners) l.run?.(event);
}

async function pollInbox(signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    try {
      const inbox = await api<Inbox>('/api/inbox', { signal });
      if (inbox.count !== inboxCount) publishInbox(inbox.count);
    } catch {
      // The next round tries again.
    }
    await sleep(5_000, signal);
  }
}

async function readStream(signal: AbortSignal): Promise<void> {
  let pause = 1_000;
  while (!signal.aborted) {
    try {
      const response = await request('/api/stream', { headers: { accept: 'text/event-stream' }, signal });
      const body = response.body;
      if (body === null) throw new Error('no stream');
      pause = 1_000;
      const reader = body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      if (isMissingRoute(error)) return pollInbox(signal);
    }
    await sleep(pause, signal);
    pause = Math.min(pause * 2, 30_000);
  }
}

function dispatch(block: string): void {
  let name = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
  }
  if (data.length === 0) return;
  let payload: unknown;
  try {
    payload = JSON.parse(data.join('\n'));
  } catch {
    return;
  }
  if (name === 'inbox' && typeof (payload as { open?: unknown }).open === 'number') publishInbox((payload as { open: number }).open);
  if (name === 'run') publishRun(payload as RunEvent);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Starts listening (after sign-in); returns the stop function. */
export function startLive(): () => void {
  controller?.abort();
  const own = new AbortController();
  controller = own;
  void api<Inbox>('/api/inbox', { signal: own.signal }).then(
    (inbox) => publishInbox(inbox.count),
    () => undefined,
  );
  void readStream(own.signal);
  return () => {
    own.abort();
    if (controller === own) controller = null;
    inboxCount = null;
  };
}

/** Tells the others a local action changed the inbox (they refresh without waiting for the stream). */
export function inboxChanged(open: number): void {
  publishInbox(open);
}

export function useInboxCount(): number | null {
  const [count, setCount] = useState(inboxCount);
  useEffect(() => {
    const listener: Listener = { inbox: setCount };
    listeners.add(listener);
    setCount(inboxCount);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return count;
}

/** Calls back on every live change (inbox count or run status). */
export function useLiveChanges(onChange: (what: 'inbox' | 'run', event?: RunEvent) => void): void {
  useEffect(() => {
    const listener: Listener = { inbox: () => onChange('inbox'), run: (event) => onChange('run', event) };
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, [onChange]);
}
