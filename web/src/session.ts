/**
 * Who is signed in. The server's browser sessions (GET/POST/DELETE /api/session, first-start
 * owner creation with /api/setup) are used when present; a server without them is entered with
 * an API token.
 */
import { api, ApiError, auth, isMissingRoute } from './api.ts';
import type { User } from './types.ts';

export type Start =
  | { kind: 'signed-in'; user: User; via: 'session' | 'token' }
  | { kind: 'needs-owner' }
  | { kind: 'sign-in'; via: 'session' | 'token' };

interface SessionBody {
  user: User;
  csrfToken: string;
}

/** Works out the first screen: owner creation, sign-in, or straight in. */
export async function whoAmI(): Promise<Start> {
  let sessions = true;
  try {
    const setup = await api<{ needsOwner: boolean }>('/api/setup', { quiet401: true });
    if (setup.needsOwner) return { kind: 'needs-owner' };
  } catch (error) {
    if (isMissingRoute(error)) sessions = false;
    else if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
  if (auth.token() !== null) {
    try {
      const me = await api<{ user: User }>('/api/me', { quiet401: true });
      return { kind: 'signed-in', user: me.user, via: 'token' };
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) throw error;
      auth.setToken(null);
    }
  }
  if (!sessions) return { kind: 'sign-in', via: 'token' };
  try {
    const session = await api<SessionBody>('/api/session', { quiet401: true });
    auth.setCsrf(session.csrfToken);
    return { kind: 'signed-in', user: session.user, via: 'session' };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return { kind: 'sign-in', via: 'session' };
    throw error;
  }
}

export async function signIn(email: string, password: string): Promise<User> {
  const session = await api<SessionBody>('/api/session', { method: 'POST', body: { email, password }, quiet401: true });
  auth.setCsrf(session.csrfToken);
  return session.user;
}

export async function createOwner(input: { email: string; password: string; name?: string }): Promise<User> {
  const session = await api<SessionBody>('/api/setup', { method: 'POST', body: input, quiet401: true });
  auth.setCsrf(session.csrfToken);
  return session.user;
}

export async function signInWithToken(token: string): Promise<User> {
  auth.setToken(token.trim());
  try {
    const me = await api<{ user: User }>('/api/me', { quiet401: true });
    return me.user;
  } catch (error) {
    auth.setToken(null);
    throw error;
  }
}

export async function signOut(via: 'session' | 'token'): Promise<void> {
  auth.setToken(null);
  if (via === 'session') {
    try {
      await api('/api/session', { method: 'DELETE', quiet401: true });
    } catch {
      // Signed out here either way.
    }
  }
  auth.setCsrf(null);
}

const rank: Record<string, number> = { viewer: 0, reviewer: 1, admin: 2, owner: 3 };
export function can(user: User, role: 'viewer' | 'reviewer' | 'admin' | 'owner'): boolean {
  return (rank[user.role] ?? -1) >= (rank[role] ?? 99);
}
