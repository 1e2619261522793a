import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { AnyPrincipal } from './principal';
import { TokenService } from './token.service';
import { oneToken, readAuthorization } from './token.util';
import { AUTH_SCHEME_KEY, AuthScheme } from './auth.constants';

/** Authenticates v3 callers: an account token from `?accessToken=`, `Authorization: Bearer` or `X-Hub-Api-Token`. */
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

/** The account token from `?accessToken=`, `Authorization: Bearer` or `X-Hub-Api-Token`; 400 if they disagree (oneToken). */
export function readCaseToken(request: FastifyRequest): string | undefined {
  return oneToken(
    ['"accessToken"', (request.query as Record<string, unknown> | undefined)?.accessToken],
    ['the Authorization header', readAuthorization(request.headers.authorization, 'Bearer')],
    ['the X-Hub-Api-Token header', request.headers['x-hub-api-token']],
  );
}
