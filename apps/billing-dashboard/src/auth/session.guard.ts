import {
  createParamDecorator,
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  ForbiddenException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiSecurity } from '@nestjs/swagger';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type DashboardRole } from '../dashboard-config';
import { UNSAFE_METHODS } from '../http/edges';
import { AuthService, csrfTokenMatches, type SessionUser } from './auth.service';

export const SESSION_COOKIE = 'yb_dashboard_session';
/** The OpenAPI security schemes: the session cookie, and the CSRF header every state change adds. */
export const SESSION_SECURITY = 'session';
export const CSRF_SECURITY = 'csrf';

/** OpenAPI: a state change needs both the session cookie and the X-CSRF-Token header. */
export const ApiSessionAndCsrf = () => ApiSecurity({ [SESSION_SECURITY]: [], [CSRF_SECURITY]: [] });
const ROLES = 'dashboard:roles';

/** The roles allowed on a route (or a controller); every guarded route names them. */
export const Roles = (...roles: DashboardRole[]) => SetMetadata(ROLES, roles);

/** The signed-in user of the request (set by SessionGuard). */
export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): SessionUser =>
    context.switchToHttp().getRequest<Request & { user: SessionUser }>().user,
);

export const DEVICE_COOKIE = 'yb_dashboard_device';
export const CSRF_HEADER = 'x-csrf-token';

/** A cookie of the request; null when absent or not a token (a malformed value is no session, not an error). */
export function cookieValue(request: Request, cookie: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    // Tokens are base64url: anything else cannot be one.
    if (name === cookie) return /^[A-Za-z0-9_-]{1,100}$/.test(value.join('=')) ? value.join('=') : null;
  }
  return null;
}

/** The session token from the request's cookie. */
export const sessionToken = (request: Request) => cookieValue(request, SESSION_COOKIE);

/**
 * Checks the session cookie, the CSRF token of a state change and the route's roles on every request: 401
 * without a live session, 403 for a missing or wrong CSRF token or a role.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & { user?: SessionUser }>();
    const token = sessionToken(request);
    const user = token ? await this.auth.session(token) : null;
    if (!user) throw new UnauthorizedException('sign-in required (no session, or the session expired)');
    if (UNSAFE_METHODS.has(request.method) && !csrfTokenMatches(request.header(CSRF_HEADER), user)) {
      throw new ForbiddenException(`the ${CSRF_HEADER} header is missing or does not match the session`);
    }
    const roles = this.reflector.getAllAndOverride<DashboardRole[] | undefined>(ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles) throw new ForbiddenException('route declares no roles');
    if (!roles.includes(user.role)) throw new ForbiddenException(`role ${user.role} may not do this`);
    request.user = user;
    return true;
  }
}

/** For routes outside Nest's controllers (the OpenAPI pages): a signed-in admin only, 401 / 403 otherwise. */
export function adminOnly(auth: AuthService): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const token = sessionToken(request);
    (token ? auth.session(token) : Promise.resolve(null)).then((user) => {
      if (!user) return void response.status(401).json({ statusCode: 401, message: 'sign-in required' });
      if (user.role !== 'admin') {
        return void response.status(403).json({ statusCode: 403, message: 'for admins only' });
      }
      next();
    }, next);
  };
}
