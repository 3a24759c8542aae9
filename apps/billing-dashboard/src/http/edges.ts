import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { QueryFailedError } from 'typeorm';
import { type DashboardConfig } from '../dashboard-config';

/** Methods that change state: each needs a JSON body (when it has one), an allowed Origin and the CSRF token. */
export const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function refuse(response: Response, statusCode: number, error: string, message: string): void {
  response.status(statusCode).json({ statusCode, error, message });
}

/**
 * helmet's headers: a CSP that allows the page's own scripts only (inline styles stay: React and ECharts set
 * them), no framing, no referrer, and HSTS and upgrade-insecure-requests only where the dashboard is served
 * over HTTPS (on plain http://127.0.0.1 they would break the page).
 */
export function securityHeaders(config: DashboardConfig): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'frame-ancestors': ["'none'"],
        'form-action': ["'self'", ...(config.oidc ? [new URL(config.oidc.issuer).origin] : [])],
        'upgrade-insecure-requests': config.secureCookie ? [] : null,
      },
    },
    frameguard: { action: 'deny' },
    strictTransportSecurity: config.secureCookie ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
  });
}

/** API answers hold patient data: no cache keeps them. */
export function noStore(_request: Request, response: Response, next: NextFunction): void {
  response.setHeader('Cache-Control', 'no-store');
  next();
}

/**
 * A state change must carry JSON (a form or text body is what a cross-site page can send without asking) and
 * come from an allowed origin: the Origin header (or, lacking it, the Referer) must name the host the request
 * was addressed to, or one of DASHBOARD_ALLOWED_ORIGINS. A request with neither header is refused too: every
 * browser sends Origin on a POST or DELETE.
 */
export function stateChangeEdges(config: DashboardConfig): RequestHandler {
  return (request, response, next) => {
    if (!UNSAFE_METHODS.has(request.method)) return next();
    const hasBody =
      Number(request.headers['content-length'] ?? 0) > 0 ||
      request.headers['transfer-encoding'] !== undefined;
    if (hasBody && !request.is('application/json')) {
      return refuse(response, 415, 'Unsupported Media Type', 'the body must be application/json');
    }
    const claimed = request.headers.origin ?? refererOrigin(request.headers.referer);
    if (!claimed || !originAllowed(claimed, request.headers.host, config.allowedOrigins)) {
      return refuse(response, 403, 'Forbidden', 'cross-origin state change refused (Origin)');
    }
    next();
  };
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

function originAllowed(origin: string, host: string | undefined, allowed: readonly string[]): boolean {
  if (allowed.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Malformed JSON answers 400 in the API's shape (express's own page would be HTML with a stack trace). */
export function badJson(err: unknown, _request: Request, response: Response, next: NextFunction): void {
  const status = (err as { status?: number; statusCode?: number }).status;
  if (status === undefined || status >= 500) return next(err);
  refuse(response, status, 'Bad Request', `body: ${(err as Error).message}`);
}

/**
 * A value PostgreSQL refuses as data (class 22: a date that does not exist, a NUL byte, a number out of range)
 * came from the request: 400, not 500. Everything else goes to Nest's own handling.
 */
@Catch()
export class BadInputFilter extends BaseExceptionFilter implements ExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    const code = (exception as { driverError?: { code?: string } }).driverError?.code;
    if (exception instanceof QueryFailedError && typeof code === 'string' && code.startsWith('22')) {
      return super.catch(
        new HttpException({ statusCode: 400, error: 'Bad Request', message: 'invalid value' }, 400),
        host,
      );
    }
    super.catch(exception, host);
  }
}
