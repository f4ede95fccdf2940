/**
 * Every /api route (but the few public ones, mounted before this middleware) needs credentials:
 * either a bearer token (`Authorization: Bearer olp_…`, see `opsloop token create`), for scripts,
 * or the browser's session cookie (see session.ts). With the cookie, POST, PUT, PATCH and DELETE
 * also need the session's CSRF token in X-CSRF-Token, and an Origin header, when the browser
 * sends one, must name this server. Webhooks authenticate with their own secret.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { OpsLoop } from '../app.ts';
import { AuthError, roleAtLeast, type Role, type User } from '../governance/index.ts';
import { checkSameOrigin, csrfHeader, findSession, sameSecret, sessionCookie, type ActiveSession } from './session.ts';

export interface AppEnv {
  Variables: {
    user: User;
    /** the browser session, when the request came with the cookie rather than a token */
    session: ActiveSession | null;
  };
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function requireAuth(opsloop: OpsLoop): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (match === null || match[1] === undefined) {
        throw new AuthError('AUTH_REQUIRED', 'This API needs a token: send "Authorization: Bearer <token>" (create one with `opsloop token create <email>`)');
      }
      c.set('user', await opsloop.governance.authenticate(match[1]));
      c.set('session', null);
      await next();
      return;
    }
    const sessionId = getCookie(c, sessionCookie);
    if (sessionId === undefined) {
      throw new AuthError('AUTH_REQUIRED', 'Sign in first, or send "Authorization: Bearer <token>" (create one with `opsloop token create <email>`)');
    }
    const session = await findSession(opsloop.database.db, sessionId, opsloop.engine.clock.now());
    if (session === null) throw new AuthError('SESSION_ENDED', 'The session has ended; sign in again');
    if (unsafeMethods.has(c.req.method)) {
      checkSameOrigin(c);
      const sent = c.req.header(csrfHeader);
      if (sent === undefined || !sameSecret(sent, session.csrfToken)) {
        throw new AuthError('CSRF_TOKEN_INVALID', 'Missing or wrong X-CSRF-Token header: send the csrfToken from POST or GET /api/session', 'forbidden');
      }
    }
    c.set('user', session.user);
    c.set('session', session);
    await next();
  };
}

/** The signed-in user, who must have at least `role`. */
export function userWith(c: Context<AppEnv>, role: Role): User {
  const user = c.get('user');
  if (!roleAtLeast(user.role, role)) throw new AuthError('FORBIDDEN_ROLE', `${user.email} is a ${user.role}; this needs the ${role} role or above`, 'forbidden');
  return user;
}
