import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { AUTH_SCHEME_KEY, AuthScheme } from './auth.constants';
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
  const auth = reflector.getAllAndOverride<AuthScheme | undefined>(AUTH_SCHEME_KEY, [context.getHandler(), context.getClass()]);
  const token = routeToken(request, auth);
  const principal = token ? await tokens.resolve(token).catch(() => undefined) : undefined;
  return principal ? `token:${principal.tokenId}` : `ip:${request.ip}`;
}

function routeToken(request: FastifyRequest, auth: AuthScheme | undefined): string | undefined {
  if (auth?.scheme === 'case') return readCaseToken(request);
  if (auth?.scheme === 'bimplus') return readBimPlusToken(request, auth.allowQueryToken);
  return undefined;
}
