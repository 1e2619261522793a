import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { AnyPrincipal } from './principal';
import { TokenService } from './token.service';
import { oneToken, readAuthorization } from './token.util';
import { AUTH_SCHEME_KEY, AuthScheme } from './auth.constants';

/** Authenticates v2 callers: a user token as `Authorization: BimPlus <token>`. */
@Injectable()
export class BimPlusAuthGuard implements CanActivate {
  constructor(
    private readonly tokens: TokenService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: AnyPrincipal }>();
    const auth = this.reflector.getAllAndOverride<AuthScheme | undefined>(AUTH_SCHEME_KEY, [context.getHandler(), context.getClass()]);
    const token = readBimPlusToken(request, auth?.scheme === 'bimplus' && auth.allowQueryToken);
    if (!token) throw new UnauthorizedException('Missing token: use "Authorization: BimPlus <token>"');
    const principal = await this.tokens.resolve(token);
    if (!principal) throw new UnauthorizedException('Invalid token');
    // A token of the other API is an integrator's likeliest mix-up; its holder learns only which kind it holds.
    if (principal.kind !== 'user') throw new UnauthorizedException('This is an account token; the v2 API takes a user token');
    if (principal.deactivated) throw new UnauthorizedException('User deactivated');
    request.principal = principal;
    return true;
  }
}

/**
 * The token a v2 route authenticates with: the BimPlus header, or where allowed (the stream) also
 * `?accessToken=`, with a 400 if the two disagree (oneToken). Other v2 routes ignore the parameter.
 */
export function readBimPlusToken(request: FastifyRequest, allowQuery: boolean): string | undefined {
  const fromHeader = readAuthorization(request.headers.authorization, 'BimPlus');
  if (!allowQuery) return fromHeader;
  return oneToken(['"accessToken"', (request.query as Record<string, unknown> | undefined)?.accessToken], ['the Authorization header', fromHeader]);
}
