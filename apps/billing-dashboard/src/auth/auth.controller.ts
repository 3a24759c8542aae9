import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Post,
  Query,
  Req,
  Res,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { pageSchema, parseInput } from '../api/query-filters';
import { DASHBOARD_CONFIG } from '../dashboard-topics';
import { type DashboardConfig } from '../dashboard-config';
import { AuthService, SignInRefusedError, type SessionUser, type SignedIn } from './auth.service';
import { PasswordCheckBusyError } from './passwords';
import { ADDRESS_LIMIT, USER_LIMIT } from './sign-in-limits';
import {
  ApiSessionAndCsrf,
  cookieValue,
  CurrentUser,
  DEVICE_COOKIE,
  Roles,
  SESSION_COOKIE,
  SESSION_SECURITY,
  SessionGuard,
  sessionToken,
} from './session.guard';

class SignInBody {
  @ApiProperty({ example: 'operator' }) username!: string;
  @ApiProperty({ example: '••••••••' }) password!: string;
}

export class SessionView {
  @ApiProperty() username!: string;
  @ApiProperty({ enum: ['viewer', 'operator', 'admin'] }) role!: string;
  @ApiProperty({ description: 'When the session ends (sign in again after)' }) expires_at!: string;
  @ApiProperty({ description: 'Send it back in the X-CSRF-Token header of every POST and DELETE' })
  csrf_token!: string;
}

class SignInMethods {
  @ApiProperty() password!: boolean;
  @ApiProperty({ description: 'GET /api/session/oidc signs in through the hospital’s identity provider' })
  oidc!: boolean;
}

class SignInAuditEntry {
  @ApiProperty() at!: string;
  @ApiProperty() username!: string;
  @ApiProperty() address!: string;
  @ApiProperty({ enum: ['password', 'oidc'] }) method!: string;
  @ApiProperty({
    enum: [
      'SIGNED_IN',
      'WRONG_PASSWORD',
      'ADDRESS_THROTTLED',
      'USER_LOCKED',
      'BUSY',
      'SIGNED_OUT',
      'OIDC_REFUSED',
    ],
  })
  outcome!: string;
}

class SignInAuditPage {
  @ApiProperty({ type: [SignInAuditEntry] }) items!: SignInAuditEntry[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() page_size!: number;
}

const signInSchema = z
  .object({
    // `oidc:<name>` users sign in through the identity provider only; a local name has no colon.
    username: z
      .string()
      .min(1)
      .max(64)
      .refine((name) => !name.includes(':'), { message: 'a local user name has no colon' }),
    password: z.string().min(1).max(200),
  })
  .strict();

export const sessionView = (user: SessionUser): SessionView => ({
  username: user.username,
  role: user.role,
  expires_at: user.expiresAt.toISOString(),
  csrf_token: user.csrfToken,
});

/** The client's address as express sees it (the socket's; a trusted proxy's X-Forwarded-For when configured). */
export const clientAddress = (request: Request) => request.ip ?? request.socket.remoteAddress ?? 'unknown';

/** Sets the session cookie: HttpOnly, SameSite=Strict, Secure outside local development. */
export function setSessionCookie(response: Response, auth: AuthService, session: SignedIn): void {
  response.cookie(SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: auth.secureCookie,
    path: '/',
    maxAge: auth.sessionTtlSeconds * 1000,
  });
}

/**
 * Sign-in and sign-out. Attempts are limited per client address first (5 per 15 minutes), then per user name
 * (10 per 15 minutes, counted across addresses; browsers the user signed in from before are spared); both
 * counters live in PostgreSQL and every attempt is in the sign-in audit.
 */
@ApiTags('session')
@Controller('api/session')
export class AuthController {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(DASHBOARD_CONFIG) private readonly config: DashboardConfig,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Sign in (user name and password); opens a session', security: [] })
  @HttpCode(200)
  @ApiOkResponse({ type: SessionView, description: 'Signed in; the session cookie is set' })
  @ApiBadRequestResponse({ description: 'The body is not {username, password}' })
  @ApiUnauthorizedResponse({ description: 'Wrong user name or password' })
  @ApiForbiddenResponse({ description: 'Sent from another origin' })
  @ApiTooManyRequestsResponse({
    description: `Over ${ADDRESS_LIMIT.attempts} attempts from the address or ${USER_LIMIT.attempts} for the name in 15 minutes (Retry-After)`,
  })
  @ApiServiceUnavailableResponse({ description: 'Too many sign-ins at once (Retry-After: 1)' })
  async signIn(
    @Req() request: Request,
    @Body() body: SignInBody,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionView> {
    const { username, password } = parseInput(signInSchema, body);
    const deviceToken = cookieValue(request, DEVICE_COOKIE);
    const signedIn = await this.auth
      .signIn({ username, password, address: clientAddress(request), deviceToken })
      .catch((err: unknown) => {
        if (err instanceof SignInRefusedError) {
          response.setHeader(
            'Retry-After',
            Math.max(1, Math.ceil((err.until.getTime() - Date.now()) / 1000)),
          );
          throw new HttpException(err.message, HttpStatus.TOO_MANY_REQUESTS);
        }
        if (err instanceof PasswordCheckBusyError) {
          response.setHeader('Retry-After', 1);
          throw new HttpException(err.message, HttpStatus.SERVICE_UNAVAILABLE);
        }
        throw err;
      });
    if (!signedIn) throw new UnauthorizedException('wrong user name or password');
    setSessionCookie(response, this.auth, signedIn);
    if (!signedIn.deviceTrusted) {
      response.cookie(DEVICE_COOKIE, await this.auth.trustDevice(username), {
        httpOnly: true,
        sameSite: 'strict',
        secure: this.auth.secureCookie,
        path: '/api/session',
        maxAge: this.auth.deviceTtlSeconds * 1000,
      });
    }
    return sessionView(signedIn.user);
  }

  @Get()
  @ApiOperation({ summary: "Who is signed in (and the session's CSRF token)" })
  @UseGuards(SessionGuard)
  @Roles('viewer', 'operator', 'admin')
  @ApiCookieAuth(SESSION_SECURITY)
  @ApiOkResponse({ type: SessionView })
  @ApiUnauthorizedResponse({ description: 'No session, or the session expired' })
  me(@CurrentUser() user: SessionUser): SessionView {
    return sessionView(user);
  }

  @Get('methods')
  @ApiOperation({ summary: 'How one may sign in (password, OpenID Connect)', security: [] })
  @ApiOkResponse({ type: SignInMethods, description: 'How one may sign in here' })
  methods(): SignInMethods {
    return { password: true, oidc: this.config.oidc !== null };
  }

  @Delete()
  @ApiOperation({ summary: 'Sign out: the session ends, its live streams close' })
  @HttpCode(204)
  @UseGuards(SessionGuard)
  @Roles('viewer', 'operator', 'admin')
  @ApiSessionAndCsrf()
  @ApiNoContentResponse({ description: 'Signed out: the session and its live streams end' })
  @ApiUnauthorizedResponse({ description: 'No session, or the session expired' })
  @ApiForbiddenResponse({ description: 'Without the CSRF token, or from another origin' })
  async signOut(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.auth.signOut(sessionToken(request)!, clientAddress(request));
    response.clearCookie(SESSION_COOKIE, { path: '/' });
  }
}

/** The sign-in audit (admin only). */
@ApiTags('admin')
@ApiCookieAuth(SESSION_SECURITY)
@Controller('api/admin/sign-ins')
@UseGuards(SessionGuard)
@Roles('admin')
export class SignInAuditController {
  constructor(@Inject(AuthService) private readonly auth: AuthService) {}

  @Get()
  @ApiOperation({ summary: 'The sign-in audit log (admins)' })
  @ApiOkResponse({ type: SignInAuditPage, description: 'Every sign-in attempt and sign-out, newest first' })
  @ApiUnauthorizedResponse({ description: 'No session, or the session expired' })
  @ApiForbiddenResponse({ description: 'For admins only' })
  async list(@Query() query: unknown): Promise<SignInAuditPage> {
    const page = parseInput(pageSchema, query);
    const { rows, total } = await this.auth.limits.recent(page.page_size, (page.page - 1) * page.page_size);
    return {
      items: rows as unknown as SignInAuditEntry[],
      total,
      page: page.page,
      page_size: page.page_size,
    };
  }
}
