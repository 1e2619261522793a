import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { AccountType, UserRole } from '../directory/directory.enums';
import { BimPlusAuth, CaseAuth } from './auth.decorators';
import { AnyPrincipal } from './principal';
import { throttleKey, TokenResolver } from './throttle-key';

@CaseAuth()
class CaseController {
  list() {}
  @CaseAuth(AccountType.Provider)
  confirm() {}
}

@BimPlusAuth()
class InboxController {
  list() {}
  @BimPlusAuth({ allowQueryToken: true })
  stream() {}
}

@BimPlusAuth({ allowQueryToken: true })
class QueryTokenController {
  stream() {}
}

class PublicController {
  health() {}
}

function context(controller: new () => object, method: string): ExecutionContext {
  const handler = (controller.prototype as Record<string, () => void>)[method];
  return { getHandler: () => handler, getClass: () => controller } as unknown as ExecutionContext;
}

function request(options: { authorization?: string; accessToken?: string }): FastifyRequest {
  const query = options.accessToken === undefined ? {} : { accessToken: options.accessToken };
  return { ip: '10.0.0.1', headers: { authorization: options.authorization }, query } as unknown as FastifyRequest;
}

/** Knows the tokens `good` (t1) and `other` (t2); `broken` makes the lookup fail. */
function fakeTokens() {
  const looked: string[] = [];
  const principals: Record<string, AnyPrincipal> = {
    good: { kind: 'account', tokenId: 't1', accountId: 1, accountType: AccountType.Partner },
    other: { kind: 'user', tokenId: 't2', userId: 'u', email: 'u@example.com', role: UserRole.User },
  };
  const tokens: TokenResolver = {
    resolve: async (token) => {
      looked.push(token);
      if (token === 'broken') throw new Error('database down');
      return principals[token];
    },
  };
  return { tokens, looked };
}

const reflector = new Reflector();

describe('throttleKey', () => {
  it('counts a v3 call per token, from ?accessToken= or a Bearer header', async () => {
    const { tokens } = fakeTokens();
    expect(await throttleKey(request({ accessToken: 'good' }), context(CaseController, 'list'), reflector, tokens)).toBe('token:t1');
    expect(await throttleKey(request({ authorization: 'Bearer good' }), context(CaseController, 'confirm'), reflector, tokens)).toBe('token:t1');
  });

  it('counts a v2 call per BimPlus token and ignores ?accessToken= where the route does not allow it', async () => {
    const { tokens, looked } = fakeTokens();
    expect(await throttleKey(request({ authorization: 'BimPlus other' }), context(InboxController, 'list'), reflector, tokens)).toBe('token:t2');
    expect(await throttleKey(request({ accessToken: 'other' }), context(InboxController, 'list'), reflector, tokens)).toBe('ip:10.0.0.1');
    expect(await throttleKey(request({ authorization: 'Bearer other' }), context(InboxController, 'list'), reflector, tokens)).toBe('ip:10.0.0.1');
    expect(looked).toEqual(['other']);
  });

  it('reads ?accessToken= on a v2 route that allows it, on the handler or on the class', async () => {
    const { tokens } = fakeTokens();
    expect(await throttleKey(request({ accessToken: 'other' }), context(InboxController, 'stream'), reflector, tokens)).toBe('token:t2');
    expect(await throttleKey(request({ accessToken: 'other' }), context(QueryTokenController, 'stream'), reflector, tokens)).toBe('token:t2');
  });

  it('counts an unknown token, or a failed lookup, against the address', async () => {
    const { tokens } = fakeTokens();
    expect(await throttleKey(request({ accessToken: 'made-up' }), context(CaseController, 'list'), reflector, tokens)).toBe('ip:10.0.0.1');
    expect(await throttleKey(request({ accessToken: 'broken' }), context(CaseController, 'list'), reflector, tokens)).toBe('ip:10.0.0.1');
  });

  it('counts a route without token auth against the address, without a lookup', async () => {
    const { tokens, looked } = fakeTokens();
    expect(await throttleKey(request({ accessToken: 'good', authorization: 'Bearer good' }), context(PublicController, 'health'), reflector, tokens)).toBe('ip:10.0.0.1');
    expect(looked).toEqual([]);
  });
});
