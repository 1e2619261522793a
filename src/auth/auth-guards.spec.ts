import { ExecutionContext, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccountType, UserRole } from '../directory/directory.enums';
import { BimPlusAuth, CaseAuth } from './auth.decorators';
import { BimPlusAuthGuard } from './bimplus-auth.guard';
import { CaseAuthGuard, parseServiceProvider } from './case-auth.guard';
import { AnyPrincipal } from './principal';
import { TokenService } from './token.service';

@CaseAuth(AccountType.Partner)
class PartnerController {
  create() {}
  @CaseAuth(AccountType.Provider)
  confirm() {}
}

@BimPlusAuth({ allowQueryToken: true })
class QueryTokenController {
  stream() {}
  @BimPlusAuth()
  list() {}
}

const principals: Record<string, AnyPrincipal> = {
  partner: { kind: 'account', tokenId: 't1', accountId: 1, accountType: AccountType.Partner },
  user: { kind: 'user', tokenId: 't2', userId: 'u', email: 'u@example.com', role: UserRole.User },
};
// Account 1 (the partner) represents provider account 7 only.
const tokens = {
  resolve: async (token: string) => principals[token],
  represents: async (accountId: number, providerId: number) => accountId === 1 && providerId === 7,
} as TokenService;
const reflector = new Reflector();

function context(controller: new () => object, method: string, request: object): ExecutionContext {
  const handler = (controller.prototype as Record<string, () => void>)[method];
  return { getHandler: () => handler, getClass: () => controller, switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
}

describe('CaseAuthGuard', () => {
  const guard = new CaseAuthGuard(tokens, reflector);

  it('takes the roles from the handler first, then from the class', async () => {
    await expect(guard.canActivate(context(PartnerController, 'create', { headers: {}, query: { accessToken: 'partner' } }))).resolves.toBe(true);
    await expect(guard.canActivate(context(PartnerController, 'confirm', { headers: {}, query: { accessToken: 'partner' } }))).rejects.toThrow(ForbiddenException);
  });

  it('tells a user token apart from an unknown one', async () => {
    await expect(guard.canActivate(context(PartnerController, 'create', { headers: {}, query: { accessToken: 'user' } }))).rejects.toThrow('This is a user token; the v3 API takes an account token');
    await expect(guard.canActivate(context(PartnerController, 'create', { headers: {}, query: { accessToken: 'unknown' } }))).rejects.toThrow('Invalid access token');
  });

  it('acts as a represented provider with X-Service-Provider, under that provider\'s role', async () => {
    const request: { headers: object; query: object; principal?: AnyPrincipal } = { headers: { 'x-service-provider': '7' }, query: { accessToken: 'partner' } };
    await expect(guard.canActivate(context(PartnerController, 'confirm', request))).resolves.toBe(true);
    expect(request.principal).toEqual({ kind: 'account', tokenId: 't1', accountId: 7, accountType: AccountType.Provider });
    await expect(guard.canActivate(context(PartnerController, 'create', { headers: { 'x-service-provider': '8' }, query: { accessToken: 'partner' } }))).rejects.toThrow(ForbiddenException);
  });
});

describe('parseServiceProvider', () => {
  it.each([['7', 7], [' 12 ', 12], ['2147483647', 2_147_483_647]])('reads %j as %d', (header, id) => {
    expect(parseServiceProvider(header)).toBe(id);
  });

  it.each(['0', '-1', 'abc', '1.5', '2147483648', '', ['1', '2']])('refuses %j with a 400', (header) => {
    expect(() => parseServiceProvider(header)).toThrow('the X-Service-Provider header must be a provider account id (a positive integer)');
  });
});

describe('BimPlusAuthGuard', () => {
  const guard = new BimPlusAuthGuard(tokens, reflector);

  it('honours allowQueryToken set on the class, and a handler that overrides it', async () => {
    await expect(guard.canActivate(context(QueryTokenController, 'stream', { headers: {}, query: { accessToken: 'user' } }))).resolves.toBe(true);
    await expect(guard.canActivate(context(QueryTokenController, 'list', { headers: {}, query: { accessToken: 'user' } }))).rejects.toThrow(UnauthorizedException);
  });

  it('tells an account token apart from an unknown one', async () => {
    await expect(guard.canActivate(context(QueryTokenController, 'list', { headers: { authorization: 'BimPlus partner' }, query: {} }))).rejects.toThrow('This is an account token; the v2 API takes a user token');
    await expect(guard.canActivate(context(QueryTokenController, 'list', { headers: { authorization: 'BimPlus unknown' }, query: {} }))).rejects.toThrow('Invalid token');
  });
});
