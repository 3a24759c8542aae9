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
import type { Request } from 'express';
import { type DashboardRole } from '../dashboard-config';
import { AuthService, type SessionUser } from './auth.service';

export const SESSION_COOKIE = 'yb_dashboard_session';
const ROLES = 'dashboard:roles';

/** The roles allowed on a route (or a controller); every guarded route names them. */
export const Roles = (...roles: DashboardRole[]) => SetMetadata(ROLES, roles);

/** The signed-in user of the request (set by SessionGuard). */
export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): SessionUser =>
    context.switchToHttp().getRequest<Request & { user: SessionUser }>().user,
);

/** The session token from the request's cookie. */
export function sessionToken(request: Request): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return decodeURIComponent(value.join('='));
  }
  return null;
}

/** Checks the session cookie and the route's roles on every request: 401 without a live session, 403 for a role. */
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
