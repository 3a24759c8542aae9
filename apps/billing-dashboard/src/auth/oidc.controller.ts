import { Controller, Get, Inject, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SERVICE_LOGGER } from '@yb/service-runtime';
import type { Request, Response } from 'express';
import type * as OpenIdClient from 'openid-client';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import {
  DASHBOARD_ROLES,
  type DashboardConfig,
  type DashboardRole,
  type OidcConfig,
} from '../dashboard-config';
import { DASHBOARD_CONFIG } from '../dashboard-topics';
import { DASHBOARD_TABLES, type DashboardTables } from '../read-model/dashboard-tables';
import { clientAddress, setSessionCookie } from './auth.controller';
import { AuthService } from './auth.service';
import { cookieValue } from './session.guard';

const STATE_COOKIE = 'yb_dashboard_oidc';
const PENDING_SECONDS = 600;

/**
 * The role a user of the identity provider gets: the highest of the roles their claim values map to, or null
 * (refused) when none maps.
 */
export function oidcRole(claims: Record<string, unknown>, config: OidcConfig): DashboardRole | null {
  const value = claims[config.roleClaim];
  const values = Array.isArray(value) ? value : [value];
  const roles = values.flatMap((v) => (typeof v === 'string' && config.roles[v] ? [config.roles[v]] : []));
  return DASHBOARD_ROLES.filter((role) => roles.includes(role)).at(-1) ?? null;
}

/**
 * Sign-in through the hospital's identity provider (OpenID Connect authorization code with PKCE, state and
 * nonce; openid-client checks the ID token). The state is kept in PostgreSQL (any dashboard process can finish
 * the sign-in) and in a cookie of this browser, so a callback link sent by someone else does not sign the victim
 * in as them. Users are `oidc:<name>` (a local name cannot hold a colon) with the role their claim maps to.
 */
@ApiTags('session')
@Controller('api/session/oidc')
export class OidcController {
  private client: Promise<{ lib: typeof OpenIdClient; config: OpenIdClient.Configuration }> | undefined;

  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(DASHBOARD_TABLES) private readonly t: DashboardTables,
    @Inject(DASHBOARD_CONFIG) private readonly config: DashboardConfig,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  private settings(): OidcConfig {
    if (!this.config.oidc) throw new NotFoundException('sign-in through OpenID Connect is not configured');
    return this.config.oidc;
  }

  /** The provider's configuration, discovered once (a failed discovery is tried again next time). */
  private discovered(oidc: OidcConfig) {
    this.client ??= (async () => {
      // openid-client is ESM-only: loaded when the dashboard uses it.
      const lib = await import('openid-client');
      const config = await lib.discovery(new URL(oidc.issuer), oidc.clientId, oidc.clientSecret, undefined, {
        execute: oidc.allowInsecureIssuer ? [lib.allowInsecureRequests] : [],
        timeout: 10,
      });
      return { lib, config };
    })().catch((err: unknown) => {
      this.client = undefined;
      throw err;
    });
    return this.client;
  }

  @Get()
  @ApiOperation({
    summary: "Sign in through the hospital's identity provider (OpenID Connect)",
    security: [],
  })
  @ApiFoundResponse({ description: 'To the identity provider’s sign-in page' })
  @ApiNotFoundResponse({ description: 'OpenID Connect is not configured' })
  async start(@Res() response: Response): Promise<void> {
    const oidc = this.settings();
    const { lib, config } = await this.discovered(oidc);
    const state = lib.randomState();
    const nonce = lib.randomNonce();
    const codeVerifier = lib.randomPKCECodeVerifier();
    await this.db.query(
      `INSERT INTO ${this.t.oidcPending} (state, code_verifier, nonce, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
      [state, codeVerifier, nonce, PENDING_SECONDS],
    );
    // Lax: the provider sends the browser back with a cross-site navigation.
    response.cookie(STATE_COOKIE, state, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.auth.secureCookie,
      path: '/api/session/oidc',
      maxAge: PENDING_SECONDS * 1000,
    });
    const url = lib.buildAuthorizationUrl(config, {
      redirect_uri: oidc.redirectUri,
      scope: 'openid profile',
      state,
      nonce,
      code_challenge: await lib.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    response.redirect(302, url.href);
  }

  @Get('callback')
  @ApiOperation({ summary: "The identity provider's answer: opens a session", security: [] })
  @ApiOkResponse({
    description: 'Signed in (the session cookie is set) or refused; a page that goes on to the dashboard',
    content: { 'text/html': { schema: { type: 'string' } } },
  })
  @ApiNotFoundResponse({ description: 'OpenID Connect is not configured' })
  async callback(@Req() request: Request, @Res() response: Response): Promise<void> {
    const oidc = this.settings();
    const address = clientAddress(request);
    const state = cookieValue(request, STATE_COOKIE);
    response.clearCookie(STATE_COOKIE, { path: '/api/session/oidc' });
    let signedInAs = 'unknown';
    try {
      const { lib, config } = await this.discovered(oidc);
      // Taken once: a replayed callback finds nothing. TypeORM answers a DELETE with [rows, count].
      const [[pending]]: [{ code_verifier: string; nonce: string }[], number] = state
        ? await this.db.query(
            `DELETE FROM ${this.t.oidcPending} WHERE state = $1 AND expires_at > now()
             RETURNING code_verifier, nonce`,
            [state],
          )
        : [[], 0];
      if (!pending) throw new Error('no sign-in under way in this browser (or it took over ten minutes)');
      const currentUrl = new URL(oidc.redirectUri);
      currentUrl.search = new URL(request.originalUrl, 'http://callback').search;
      const tokens = await lib.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: pending.code_verifier,
        expectedState: state!,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims()!;
      const claims =
        idClaims[oidc.roleClaim] === undefined
          ? await lib.fetchUserInfo(config, tokens.access_token, idClaims.sub)
          : idClaims;
      const name = claims[oidc.usernameClaim] ?? idClaims.sub;
      signedInAs = `oidc:${String(name).slice(0, 100)}`;
      const role = oidcRole(claims, oidc);
      if (!role) throw new Error(`no role: ${oidc.roleClaim} maps to none of the dashboard's roles`);
      // A password that no scrypt hash can match: these users sign in through the provider only.
      await this.db.query(
        `INSERT INTO ${this.t.users} (username, password_hash, role) VALUES ($1, '!oidc', $2)
         ON CONFLICT (username) DO UPDATE SET role = excluded.role`,
        [signedInAs, role],
      );
      setSessionCookie(response, this.auth, await this.auth.createSession(signedInAs, role));
      await this.auth.limits.audit(signedInAs, address, 'oidc', 'SIGNED_IN');
      this.continueTo(response, '/');
    } catch (err) {
      this.logger.warn(
        { err: (err as Error).message, username: signedInAs },
        'OpenID Connect sign-in refused',
      );
      await this.auth.limits.audit(signedInAs, address, 'oidc', 'OIDC_REFUSED');
      this.continueTo(response, '/?oidc_error=1');
    }
  }

  /**
   * A page that moves on by itself: a redirect would still belong to the provider's cross-site navigation, on
   * which the browser withholds the SameSite=Strict session cookie just set.
   */
  private continueTo(response: Response, target: string): void {
    response
      .status(200)
      .type('html')
      .send(`<!doctype html><meta http-equiv="refresh" content="0;url=${target}"><a href="${target}">→</a>`);
  }
}
