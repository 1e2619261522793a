import { ExecutionContext, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccountType, UserRole } from '../directory/directory.enums';
import { BimPlusAuth, CaseAuth } from './auth.decorators';
import { BimPlusAuthGuard } from './bimplus-auth.guard';
import { CaseAuthGuard } from './case-auth.guard';
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
const tokens = { resolve: async (token: string) => principals[token] } as TokenService;
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
});

describe('BimPlusAuthGuard', () => {
  const guard = new BimPlusAuthGuard(tokens, reflector);

  it('honours allowQueryToken set on the class, and a handler that overrides it', async () => {
    await expect(guard.canActivate(context(QueryTokenController, 'stream', { headers: {}, query: { accessToken: 'user' } }))).resolves.toBe(true);
    await expect(guard.canActivate(context(QueryTokenController, 'list', { headers: {}, query: { accessToken: 'user' } }))).rejects.toThrow(UnauthorizedException);
  });
});
