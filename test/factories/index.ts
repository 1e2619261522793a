import { randomUUID } from 'node:crypto';
import { TestApp } from '../support/test-app';

/** Real rows, created through the admin API (the same path operators use). */
export interface AccountFixture {
  id: number;
  type: 'partner' | 'provider';
  token: string;
  tokenId: string;
}

export interface UserFixture {
  id: string;
  email: string;
  role: 'user' | 'service';
  token: string;
  tokenId: string;
}

export async function createAccount(app: TestApp, type: 'partner' | 'provider', name = `${type} ${randomUUID().slice(0, 8)}`): Promise<AccountFixture> {
  const account = await expectStatus(app.admin('POST', '/admin/accounts', { type, name }), 201);
  const token = await expectStatus(app.admin('POST', `/admin/accounts/${account.id}/tokens`, {}), 201);
  return { id: account.id, type, token: token.token, tokenId: token.id };
}

export async function createCase(app: TestApp, partner: AccountFixture, provider: AccountFixture, guid?: string): Promise<{ id: number; guid: string }> {
  return expectStatus(app.admin('POST', '/admin/cases', { guid, partnerAccountId: partner.id, providerAccountId: provider.id }), 201);
}

export async function createUser(
  app: TestApp,
  role: 'user' | 'service' = 'user',
  id?: string,
  email = `user.${randomUUID().slice(0, 8)}@example.com`,
): Promise<UserFixture> {
  const user = await expectStatus(app.admin('POST', '/admin/users', { id, email, role }), 201);
  const token = await expectStatus(app.admin('POST', `/admin/users/${user.id}/tokens`, {}), 201);
  return { id: user.id, email, role, token: token.token, tokenId: token.id };
}

export async function createGroup(app: TestApp, members: UserFixture[], name = 'group'): Promise<{ id: string; memberIds: string[] }> {
  return expectStatus(app.admin('POST', '/admin/groups', { name, memberIds: members.map((m) => m.id) }), 201);
}

async function expectStatus<T = any>(pending: Promise<{ status: number; body: T; text: string }>, status: number): Promise<T> {
  const result = await pending;
  if (result.status !== status) throw new Error(`expected ${status}, got ${result.status}: ${result.text}`);
  return result.body;
}
