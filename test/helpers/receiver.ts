/**
 * A local HTTP receiver that honours Idempotency-Key the way a careful API does: the first
 * request with a key is processed; a repeat is answered but not processed again.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Receiver {
  url: string;
  /** key -> the body that was processed */
  processed: Map<string, unknown>;
  /** how many requests repeated an already processed key */
  repeats: number;
  requests: number;
  /** answer with this status instead of 200 (per request), e.g. to simulate an outage */
  failWith: ((key: string, body: unknown) => number | null) | null;
  close(): Promise<void>;
}

export async function startReceiver(options: { delayMs?: () => number } = {}): Promise<Receiver> {
  const receiver: Receiver = { url: '', processed: new Map(), repeats: 0, requests: 0, failWith: null, close: async () => undefined };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const respond = (): void => {
        receiver.requests += 1;
        const key = String(req.headers['idempotency-key'] ?? '');
        let parsed: unknown;
        try {
          parsed = body === '' ? null : JSON.parse(body);
        } catch {
          parsed = body;
        }
        const failure = receiver.failWith?.(key, parsed) ?? null;
        if (failure !== null) {
          res.writeHead(failure, { 'content-type': 'application/json' }).end('{"error":"simulated"}');
          return;
        }
        if (receiver.processed.has(key)) receiver.repeats += 1;
        else receiver.processed.set(key, parsed);
        res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `rcv-${key}` }).end(JSON.stringify({ ok: true }));
      };
      const delay = options.delayMs?.() ?? 0;
      if (delay > 0) setTimeout(respond, delay);
      else respond();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return receiver;
}
