/**
 * A local stand-in for an OpenAI-compatible server: POST /v1/chat/completions answered in the
 * real wire format (`chat.completion` objects, `{ error: { … } }` bodies, real status codes and
 * headers), one scripted reply per request. Every request is recorded for assertions.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequestBody {
  model: string;
  messages: { role: string; content: string }[];
  response_format?: { type: string; json_schema?: { name: string; schema: Record<string, unknown>; strict?: boolean } };
  tools?: unknown;
  temperature?: number;
  [key: string]: unknown;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: ChatRequestBody;
}

export type Reply = { status?: number; json: unknown; headers?: Record<string, string> } | { hang: true };
export type Step = Reply | ((request: RecordedRequest) => Reply);

export interface FakeOpenAi {
  /** Ends in /v1, as clients expect. */
  baseURL: string;
  requests: RecordedRequest[];
  /** Replies for the next requests, in order; a request with none left gets a 500 and is counted. */
  script(...steps: Step[]): void;
  unscripted: number;
  reset(): void;
  close(): Promise<void>;
}

let sequence = 0;

/** A `chat.completion` body whose first choice says `content`. */
export function completion(
  content: string | null,
  options: { promptTokens?: number; completionTokens?: number; refusal?: string; finishReason?: string; toolCalls?: unknown[]; omitUsage?: boolean } = {},
): Reply {
  sequence += 1;
  const promptTokens = options.promptTokens ?? 100;
  const completionTokens = options.completionTokens ?? 10;
  return {
    json: {
      id: `chatcmpl-fake${sequence}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: 'fake-model',
      system_fingerprint: 'fp_fake',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content,
            refusal: options.refusal ?? null,
            ...(options.toolCalls === undefined ? {} : { tool_calls: options.toolCalls }),
          },
          logprobs: null,
          finish_reason: options.finishReason ?? (options.toolCalls === undefined ? 'stop' : 'tool_calls'),
        },
      ],
      ...(options.omitUsage === true ? {} : { usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens } }),
    },
  };
}

/** An error answer as OpenAI sends it. */
export function apiError(status: number, message: string, headers: Record<string, string> = {}, code: string | null = null): Reply {
  const type = status === 401 ? 'invalid_request_error' : status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return { status, headers, json: { error: { message, type, param: null, code } } };
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const queue: Step[] = [];
  const hanging = new Set<http.ServerResponse>();
  const fake: FakeOpenAi = {
    baseURL: '',
    requests: [],
    unscripted: 0,
    script: (...steps) => void queue.push(...steps),
    reset: () => {
      queue.length = 0;
      fake.requests.length = 0;
      fake.unscripted = 0;
    },
    close: async () => undefined,
  };

  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const send = (reply: Reply): void => {
        if ('hang' in reply) {
          hanging.add(res);
          res.on('close', () => hanging.delete(res));
          return;
        }
        const body = JSON.stringify(reply.json);
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', 'x-request-id': `req_${sequence}`, ...reply.headers }).end(body);
      };
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        send(apiError(404, `Unknown request URL: ${req.method ?? ''} ${req.url ?? ''}`, {}, 'unknown_url'));
        return;
      }
      let body: ChatRequestBody;
      try {
        body = JSON.parse(raw) as ChatRequestBody;
      } catch {
        send(apiError(400, 'We could not parse the JSON body of your request.'));
        return;
      }
      const request: RecordedRequest = { method: req.method, path: req.url, headers: req.headers, body };
      fake.requests.push(request);
      const step = queue.shift();
      if (step === undefined) {
        fake.unscripted += 1;
        send(apiError(500, 'fake server: no scripted reply for this request'));
        return;
      }
      send(typeof step === 'function' ? step(request) : step);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.baseURL = `http://127.0.0.1:${port}/v1`;
  fake.close = async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  };
  return fake;
}
