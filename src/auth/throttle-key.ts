import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { EnvironmentVariables } from '../config/env.validation';
import { AUTH_SCHEME_KEY, AuthScheme } from './auth.constants';
import { holdsBearerSecret } from './bearer-secret';
import { readBimPlusToken } from './bimplus-auth.guard';
import { readCaseToken } from './case-auth.guard';
import { AnyPrincipal } from './principal';

/** The part of TokenService the rate limiter needs (its cached lookup). */
export interface TokenResolver {
  resolve(token: string): Promise<AnyPrincipal | undefined>;
}

/**
 * Rate limits count per valid token, or per client address for calls without one. An unknown
 * token counts against the address, so inventing a new token per request buys no fresh budget.
 * The token is the one the route's own guard reads (v3: `?accessToken=` or Bearer; v2: the BimPlus
 * header, `?accessToken=` only on the stream): reading another, a v2 call with `?accessToken=garbage`
 * moved its count from its token to the address. The lookup is the guard's own (cached): no extra query.
 */
export async function throttleKey(request: FastifyRequest, context: ExecutionContext, reflector: Reflector, tokens: TokenResolver): Promise<string> {
  const token = routeToken(request, routeScheme(context, reflector));
  const principal = token ? await tokens.resolve(token).catch(() => undefined) : undefined;
  return principal ? `token:${principal.tokenId}` : `ip:${request.ip}`;
}

/** No token, or one the guard will refuse to read (two different ones: its 400), counts against the address. */
function routeToken(request: FastifyRequest, auth: AuthScheme | undefined): string | undefined {
  try {
    if (auth?.scheme === 'case') return readCaseToken(request);
    if (auth?.scheme === 'bimplus') return readBimPlusToken(request, auth.allowQueryToken);
    return undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the rate limit leaves this call alone: an operator's or scraper's call with the right secret, or
 * to a route whose secret is not set (the admin API is then a 404, /metrics open). A wrong or missing
 * secret counts against the address like an unknown token (throttleKey), so ADMIN_TOKEN cannot be
 * guessed at full speed, while provisioning scripts and scrapers are never limited.
 */
export function holdsOperatorSecret(context: ExecutionContext, reflector: Reflector, env: Pick<EnvironmentVariables, 'ADMIN_TOKEN' | 'METRICS_TOKEN'>): boolean {
  const auth = routeScheme(context, reflector);
  if (auth?.scheme !== 'operator') return false;
  const secret = env[auth.secret];
  return !secret || holdsBearerSecret(context.switchToHttp().getRequest<FastifyRequest>().headers.authorization, secret);
}

/** The scheme the route's auth decorator declared, handler first, then class. */
function routeScheme(context: ExecutionContext, reflector: Reflector): AuthScheme | undefined {
  return reflector.getAllAndOverride<AuthScheme | undefined>(AUTH_SCHEME_KEY, [context.getHandler(), context.getClass()]);
}
