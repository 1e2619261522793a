import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { AnyPrincipal } from './principal';
import { TokenService } from './token.service';
import { readAuthorization } from './token.util';
import { AUTH_SCHEME_KEY, AuthScheme } from './auth.constants';

/** Authenticates v3 callers: an account token from `?accessToken=` or `Authorization: Bearer`. */
@Injectable()
export class CaseAuthGuard implements CanActivate {
  constructor(
    private readonly tokens: TokenService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: AnyPrincipal }>();
    const token = readCaseToken(request);
    if (!token) throw new UnauthorizedException('Missing access token');
    const principal = await this.tokens.resolve(token);
    if (!principal || principal.kind !== 'account') throw new UnauthorizedException('Invalid access token');
    const auth = this.reflector.getAllAndOverride<AuthScheme | undefined>(AUTH_SCHEME_KEY, [context.getHandler(), context.getClass()]);
    if (auth?.scheme === 'case' && !auth.roles.includes(principal.accountType)) throw new ForbiddenException('No access');
    request.principal = principal;
    return true;
  }
}

export function readCaseToken(request: FastifyRequest): string | undefined {
  const query = request.query as Record<string, unknown> | undefined;
  const fromQuery = query?.accessToken;
  if (typeof fromQuery === 'string' && fromQuery.length > 0) return fromQuery;
  return readAuthorization(request.headers.authorization, 'Bearer');
}
