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
  Req,
  Res,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import {
  ApiCookieAuth,
  ApiOkResponse,
  ApiProperty,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { parseInput } from '../api/query-filters';
import { AuthService, SignInLockedError, type SessionUser } from './auth.service';
import { CurrentUser, Roles, SESSION_COOKIE, SessionGuard, sessionToken } from './session.guard';

class SignInBody {
  @ApiProperty({ example: 'operator' }) username!: string;
  @ApiProperty({ example: '••••••••' }) password!: string;
}

class SessionView {
  @ApiProperty() username!: string;
  @ApiProperty({ enum: ['viewer', 'operator', 'admin'] }) role!: string;
  @ApiProperty({ description: 'When the session ends (sign in again after)' }) expires_at!: string;
}

const signInSchema = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) })
  .strict();

const view = (user: SessionUser): SessionView => ({
  username: user.username,
  role: user.role,
  expires_at: user.expiresAt.toISOString(),
});

/** Sign-in and sign-out: the session is an HttpOnly, SameSite=Strict cookie that expires with the session. */
@ApiTags('session')
@Controller('api/session')
export class AuthController {
  constructor(@Inject(AuthService) private readonly auth: AuthService) {}

  @Post()
  @HttpCode(200)
  @ApiOkResponse({ type: SessionView, description: 'Signed in; the session cookie is set' })
  @ApiUnauthorizedResponse({ description: 'Wrong user name or password' })
  @ApiTooManyRequestsResponse({
    description: 'Five wrong passwords in a row: the name is locked for 5 minutes',
  })
  async signIn(
    @Body() body: SignInBody,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionView> {
    const { username, password } = parseInput(signInSchema, body);
    const session = await this.auth.signIn(username, password).catch((err: unknown) => {
      if (err instanceof SignInLockedError)
        throw new HttpException(err.message, HttpStatus.TOO_MANY_REQUESTS);
      throw err;
    });
    if (!session) throw new UnauthorizedException('wrong user name or password');
    response.cookie(SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.auth.secureCookie,
      path: '/',
      maxAge: this.auth.sessionTtlSeconds * 1000,
    });
    return view(session.user);
  }

  @Get()
  @UseGuards(SessionGuard)
  @Roles('viewer', 'operator', 'admin')
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOkResponse({ type: SessionView })
  me(@CurrentUser() user: SessionUser): SessionView {
    return view(user);
  }

  @Delete()
  @HttpCode(204)
  @ApiCookieAuth(SESSION_COOKIE)
  async signOut(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    const token = sessionToken(request);
    if (token) await this.auth.signOut(token);
    response.clearCookie(SESSION_COOKIE, { path: '/' });
  }
}
