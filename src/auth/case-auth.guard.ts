import { BadRequestException, CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { MAX_INT4 } from '../common/int-id';
import { AccountType } from '../directory/directory.enums';
import { AccountPrincipal, AnyPrincipal } from './principal';
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
    if (!principal) throw new UnauthorizedException('Invalid access token');
    // A token of the other API is an integrator's likeliest mix-up; its holder learns only which kind it holds.
    if (principal.kind !== 'account') throw new UnauthorizedException('This is a user token; the v3 API takes an account token');
    if (principal.deactivated) throw new UnauthorizedException('Account deactivated');
    const acting = await this.actingAccount(principal, request.headers['x-service-provider']);
    const auth = this.reflector.getAllAndOverride<AuthScheme | undefined>(AUTH_SCHEME_KEY, [context.getHandler(), context.getClass()]);
    if (auth?.scheme === 'case' && !auth.roles.includes(acting.accountType)) throw new ForbiddenException('No access');
    request.principal = acting;
    return true;
  }

  /**
   * The account the request acts as: the token's own, or with `X-Service-Provider` a provider account the
   * token's account represents (an integrator; PUT /admin/accounts/{id}/represents). Naming its own account
   * is the same as no header.
   */
  private async actingAccount(principal: AccountPrincipal, header: string | string[] | undefined): Promise<AccountPrincipal> {
    if (header === undefined) return principal;
    const providerAccountId = parseServiceProvider(header);
    if (providerAccountId === principal.accountId) return principal;
    if (!(await this.tokens.represents(principal.accountId, providerAccountId))) throw new ForbiddenException('No access');
    return { ...principal, accountId: providerAccountId, accountType: AccountType.Provider };
  }
}

/** The X-Service-Provider header: one provider account id (a positive 32-bit integer), or a 400. */
export function parseServiceProvider(header: string | string[]): number {
  const value = Array.isArray(header) ? undefined : header.trim();
  const id = value !== undefined && /^[0-9]{1,10}$/.test(value) ? Number(value) : NaN;
  if (!(id >= 1 && id <= MAX_INT4)) throw new BadRequestException('the X-Service-Provider header must be a provider account id (a positive integer)');
  return id;
}

/** The account token from `?accessToken=`, `Authorization: Bearer` or `X-Hub-Api-Token`; 400 if they disagree (oneToken). */
export function readCaseToken(request: FastifyRequest): string | undefined {
  return oneToken(
    ['"accessToken"', (request.query as Record<string, unknown> | undefined)?.accessToken],
    ['the Authorization header', readAuthorization(request.headers.authorization, 'Bearer')],
    ['the X-Hub-Api-Token header', request.headers['x-hub-api-token']],
  );
}
