import { Injectable, Logger } from '@nestjs/common';
import { EnvironmentVariables } from '../config/env.validation';
import { AccountType, UserRole } from '../directory/directory.enums';
import { ApiTokensRepository, TokenOwnerRow } from './api-tokens.repository';
import { AnyPrincipal } from './principal';
import { generateToken, hashToken, hashTokenBase64 } from './token.util';

interface CacheEntry {
  principal: AnyPrincipal;
  expiresAt: number;
}

const CACHE_MAX_ENTRIES = 10_000;
const LAST_USED_WRITE_INTERVAL_MS = 60_000;

/**
 * Issues, resolves and revokes API tokens. Resolving is one indexed query (token, owner and role
 * together); the result is cached for AUTH_CACHE_TTL_MS so a busy client does not pay it per request,
 * and concurrent misses of one token share a single query (a client with 64 connections open would
 * otherwise send 64 lookups at once each time its entry expires, and queue behind them).
 * A revocation evicts the local cache at once; other instances notice within the TTL.
 */
@Injectable()
export class TokenService {
  private readonly logger = new Logger(TokenService.name);
  private readonly cache = new Map<string, CacheEntry>();
  private readonly lookups = new Map<string, Promise<AnyPrincipal | undefined>>();
  /** Bumped by every revocation: a lookup that started before one must not cache what it read. */
  private revocations = 0;
  private readonly lastUsedWritten = new Map<string, number>();

  constructor(
    private readonly tokens: ApiTokensRepository,
    private readonly env: EnvironmentVariables,
  ) {}

  async issue(owner: { accountId: number } | { userId: string }, label?: string): Promise<{ id: string; token: string }> {
    const token = generateToken();
    const accountId = 'accountId' in owner ? owner.accountId : null;
    const userId = 'userId' in owner ? owner.userId : null;
    const id = await this.tokens.insert(hashToken(token), { accountId, userId }, label ?? null);
    return { id, token };
  }

  /** Returns the principal for a raw token, or undefined when it is unknown or revoked. */
  /** Whether an integrator account may act as the provider account (read each time: operators change it). */
  represents(accountId: number, providerAccountId: number): Promise<boolean> {
    return this.tokens.represents(accountId, providerAccountId);
  }

  async resolve(token: string): Promise<AnyPrincipal | undefined> {
    const key = hashTokenBase64(token);
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.principal;
    let lookup = this.lookups.get(key);
    if (!lookup) {
      lookup = this.lookUp(Buffer.from(key, 'base64'), key).finally(() => this.lookups.delete(key));
      this.lookups.set(key, lookup);
    }
    return lookup;
  }

  private async lookUp(hash: Buffer, key: string): Promise<AnyPrincipal | undefined> {
    const revocations = this.revocations;
    const row = await this.tokens.findLive(hash);
    if (!row) return undefined;
    const principal = toPrincipal(row);
    if (revocations === this.revocations) this.remember(key, principal);
    this.touch(principal.tokenId);
    return principal;
  }

  /** Marks a token revoked; returns false when there is no such token. */
  async revoke(tokenId: string): Promise<boolean> {
    const found = await this.tokens.revoke(tokenId);
    this.revocations++;
    for (const [key, entry] of this.cache) {
      if (entry.principal.tokenId === tokenId) this.cache.delete(key);
    }
    return found;
  }

  private remember(key: string, principal: AnyPrincipal): void {
    if (this.env.AUTH_CACHE_TTL_MS === 0) return;
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, { principal, expiresAt: Date.now() + this.env.AUTH_CACHE_TTL_MS });
  }

  /** Records last use at most once a minute per token, off the request path. */
  private touch(tokenId: string): void {
    const now = Date.now();
    if ((this.lastUsedWritten.get(tokenId) ?? 0) > now - LAST_USED_WRITE_INTERVAL_MS) return;
    if (this.lastUsedWritten.size >= CACHE_MAX_ENTRIES) this.lastUsedWritten.clear();
    this.lastUsedWritten.set(tokenId, now);
    this.tokens.touch(tokenId).catch((error: Error) => this.logger.warn(`could not record token use: ${error.message}`));
  }
}

function toPrincipal(row: TokenOwnerRow): AnyPrincipal {
  if (row.account_id !== null) {
    return { kind: 'account', tokenId: row.token_id, accountId: row.account_id, accountType: row.account_type as AccountType };
  }
  return { kind: 'user', tokenId: row.token_id, userId: row.user_id as string, email: row.email as string, role: row.role as UserRole };
}
