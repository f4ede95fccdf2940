/**
 * Talking to the OpsLoop API. A browser session (HttpOnly cookie) is the normal way in; unsafe
 * requests then carry the session's CSRF token. A server without browser sessions accepts an API
 * token instead, kept for this tab only (sessionStorage) and sent as a bearer token.
 */

import type { AiProviderKind, AiSettings, AiTestResult, MailSecurity, MailSettings, MailTestResult } from './types.ts';
// The server's own types (type-only: nothing of the server is bundled).
import type { BankingSettingsAnswer, BankingSettingsInput } from '../../src/domains/finance/banking/settings.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

const tokenKey = 'opsloop.token';
let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

export const auth = {
  setCsrf(token: string | null): void {
    csrfToken = token;
  },
  token(): string | null {
    try {
      return sessionStorage.getItem(tokenKey);
    } catch {
      return null;
    }
  },
  setToken(token: string | null): void {
    try {
      if (token === null) sessionStorage.removeItem(tokenKey);
      else sessionStorage.setItem(tokenKey, token);
    } catch {
      // Storage can be blocked; the token then lasts until reload.
    }
  },
  /** Called when the server says the session is gone (401 outside the sign-in calls). */
  onUnauthorized(listener: (() => void) | null): void {
    onUnauthorized = listener;
  },
};

function headersFor(method: string, extra: HeadersInit | undefined, json: boolean): Headers {
  const headers = new Headers(extra);
  if (json) headers.set('content-type', 'application/json');
  const token = auth.token();
  if (token !== null) headers.set('authorization', `Bearer ${token}`);
  if (method !== 'GET' && method !== 'HEAD' && csrfToken !== null) headers.set('x-csrf-token', csrfToken);
  return headers;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  headers?: HeadersInit;
  signal?: AbortSignal;
  /** Do not treat a 401 as "signed out" (the sign-in calls themselves). */
  quiet401?: boolean;
}

/** The raw response; errors are thrown as ApiError with the server's code and message. */
export async function request(path: string, options: RequestOptions = {}): Promise<Response> {
  const method = options.method ?? 'GET';
  const isText = typeof options.body === 'string';
  const init: RequestInit = {
    method,
    headers: headersFor(method, options.headers, options.body !== undefined && !isText),
    credentials: 'same-origin',
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  if (options.body !== undefined) init.body = isText ? (options.body as string) : JSON.stringify(options.body);
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', 'OpsLoop did not answer. Check that the server is running and your network is up, then try again.');
  }
  if (response.ok) return response;
  let code = `HTTP_${response.status}`;
  let message = `The server answered ${response.status} ${response.statusText}.`;
  let details: unknown;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string; details?: unknown } };
    if (body.error?.code !== undefined) code = body.error.code;
    if (body.error?.message !== undefined) message = body.error.message;
    details = body.error?.details;
  } catch {
    // Not JSON: keep the status line.
  }
  if (response.status === 429 && !/try again/i.test(message)) message += ' Wait a minute before trying again.';
  if (response.status === 401 && options.quiet401 !== true) onUnauthorized?.();
  throw new ApiError(response.status, code, message, details);
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await request(path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Downloads a file the API serves (audit export, PDF) with the same credentials. */
export async function download(path: string, filename: string): Promise<void> {
  const response = await request(path);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** True when the error says the route does not exist on this server (an older or newer build). */
export function isMissingRoute(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404 && error.code === 'ROUTE_NOT_FOUND';
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * The field an API validation error names ("body.bank.iban" → "bank.iban"), so a form can show the
 * message beside that field; null when the error names none.
 */
export function errorField(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.status !== 400) return null;
  const path = (error.details as { path?: unknown } | undefined)?.path;
  if (typeof path !== 'string' || path === '') return null;
  return path.replace(/^(body|query)\.?/, '') || null;
}

/** The error's message when it is about `field`, for the form field's hint. */
export function fieldError(error: unknown, field: string): string | null {
  if (errorField(error) !== field) return null;
  // "body.bank.iban: is not a valid IBAN" → "is not a valid IBAN": the field's label says which.
  return errorMessage(error).replace(/^(body|query)(\.[\w.]+)?: /, '');
}

// ---- Settings: email and the AI provider ----

/** The body of PUT /api/settings/mail: blank fields are not stored; password left out keeps the stored one, null removes it. */
export interface MailSettingsBody {
  host: string | null;
  port: number | null;
  security: MailSecurity | null;
  username: string | null;
  password?: string | null;
  from: string | null;
  fromName: string | null;
}

/** The body of PUT /api/settings/ai: blank fields are not stored; apiKey left out keeps the stored one, null removes it. */
export interface AiSettingsBody {
  provider: AiProviderKind | null;
  baseUrl: string | null;
  model: string | null;
  apiKey?: string | null;
  timeoutMs: number | null;
  priceInputPerMTok: number | null;
  priceOutputPerMTok: number | null;
}

export const settingsApi = {
  mail: (signal?: AbortSignal) => api<MailSettings>('/api/settings/mail', signal === undefined ? {} : { signal }),
  saveMail: (body: MailSettingsBody) => api<MailSettings>('/api/settings/mail', { method: 'PUT', body }),
  testMail: (to?: string) => api<MailTestResult>('/api/settings/mail/test', { method: 'POST', body: to === undefined ? {} : { to } }),
  ai: (signal?: AbortSignal) => api<AiSettings>('/api/settings/ai', signal === undefined ? {} : { signal }),
  saveAi: (body: AiSettingsBody) => api<AiSettings>('/api/settings/ai', { method: 'PUT', body }),
  testAi: () => api<AiTestResult>('/api/settings/ai/test', { method: 'POST', body: {} }),
};

// ---- Settings: bank reconciliation ----

/** Settings → Bank reconciliation; a null threshold is not stored (the environment's applies). */
export const bankingSettingsApi = {
  get: (signal?: AbortSignal) => api<BankingSettingsAnswer>('/api/settings/banking', signal === undefined ? {} : { signal }),
  save: (body: BankingSettingsInput) => api<BankingSettingsAnswer>('/api/settings/banking', { method: 'PUT', body }),
};
