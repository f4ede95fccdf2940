/**
 * Every /api route needs a bearer token (`Authorization: Bearer olp_…`, see `opsloop token
 * create`); browser sessions come with the web app. Webhooks authenticate with their own secret.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { OpsLoop } from '../app.ts';
import { AuthError, roleAtLeast, type Role, type User } from '../governance/index.ts';

export interface AppEnv {
  Variables: { user: User };
}

export function requireToken(opsloop: OpsLoop): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const match = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header);
    if (match === null || match[1] === undefined) {
      throw new AuthError('AUTH_REQUIRED', 'This API needs a token: send "Authorization: Bearer <token>" (create one with `opsloop token create <email>`)');
    }
    c.set('user', await opsloop.governance.authenticate(match[1]));
    await next();
  };
}

/** The signed-in user, who must have at least `role`. */
export function userWith(c: Context<AppEnv>, role: Role): User {
  const user = c.get('user');
  if (!roleAtLeast(user.role, role)) throw new AuthError('FORBIDDEN_ROLE', `${user.email} is a ${user.role}; this needs the ${role} role or above`, 'forbidden');
  return user;
}
