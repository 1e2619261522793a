import { Injectable } from '@nestjs/common';
import { EnvironmentVariables } from '../config/env.validation';
import { AccountType, UserRole } from '../directory/directory.enums';
import { ApiTokensRepository, TokenOwnerRow } from './api-tokens.repository';
import { AnyPrincipal } from './principal';
import { generateToken, hashToken, hashTokenBase64 } from './token.util';
import { TokenUseRecorder } from './token-use.recorder';

interface CacheEntry {
  principal: AnyPrincipal;
  expiresAt: number;
}

const CACHE_MAX_ENTRIES = 10_000;

/**
 * Issues, resolves and revokes API tokens. Resolving is one indexed query (token, owner and role
 * together); the result is cached for AUTH_CACHE_TTL_MS so a busy client does not pay it per request,
 * and concurrent misses of one token share a single query (a client with 64 connections open would
 * otherwise send 64 lookups at once each time its entry expires, and queue behind them).
 * A revocation, a deactivation or an erasure evicts the local cache at once; other instances notice within
 * the TTL. Each use is recorded in memory (TokenUseRecorder), never written per request.
 */
@Injectable()
export class TokenService {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly lookups = new Map<string, Promise<AnyPrincipal | undefined>>();
  /** Bumped by every revocation: a lookup that started before one must not cache what it read. */
  private revocations = 0;

  constructor(
    private readonly tokens: ApiTokensRepository,
    private readonly env: EnvironmentVariables,
    private readonly uses: TokenUseRecorder,
  ) {}

  async issue(owner: { accountId: number } | { userId: string }, label?: string): Promise<{ id: string; token: string }> {
    const token = generateToken();
    const accountId = 'accountId' in owner ? owner.accountId : null;
    const userId = 'userId' in owner ? owner.userId : null;
    const id = await this.tokens.insert(hashToken(token), { accountId, userId }, label ?? null);
    return { id, token };
  }

  /** Whether an integrator account may act as the provider account (read each time: operators change it). */
  represents(accountId: number, providerAccountId: number): Promise<boolean> {
    return this.tokens.represents(accountId, providerAccountId);
  }

  /**
   * The principal for a raw token, or undefined when it is unknown or revoked; a deactivated owner's
   * principal says so (`deactivated`), for the guards to answer with the reason.
   */
  async resolve(token: string): Promise<AnyPrincipal | undefined> {
    const key = hashTokenBase64(token);
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > Date.now()) {
      this.uses.record(cached.principal.tokenId);
      return cached.principal;
    }
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
    this.uses.record(principal.tokenId);
    return principal;
  }

  /** Marks a token revoked; returns false when there is no such token. */
  async revoke(tokenId: string): Promise<boolean> {
    const found = await this.tokens.revoke(tokenId);
    this.forget((principal) => principal.tokenId === tokenId);
    return found;
  }

  /** Drops the cached tokens of an account or a user whose state changed (deactivated, reactivated, erased). */
  forgetOwner(owner: { accountId: number } | { userId: string }): void {
    this.forget((p) => ('accountId' in owner ? p.kind === 'account' && p.accountId === owner.accountId : p.kind === 'user' && p.userId === owner.userId));
  }

  /** The last use of a token this instance has seen and not written yet (lists show it at once). */
  unwrittenUse(tokenId: string): Date | undefined {
    return this.uses.unwritten(tokenId);
  }

  private forget(matches: (principal: AnyPrincipal) => boolean): void {
    this.revocations++;
    for (const [key, entry] of this.cache) {
      if (matches(entry.principal)) this.cache.delete(key);
    }
  }

  private remember(key: string, principal: AnyPrincipal): void {
    if (this.env.AUTH_CACHE_TTL_MS === 0) return;
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, { principal, expiresAt: Date.now() + this.env.AUTH_CACHE_TTL_MS });
  }
}

function toPrincipal(row: TokenOwnerRow): AnyPrincipal {
  if (row.account_id !== null) {
    return { kind: 'account', tokenId: row.token_id, accountId: row.account_id, accountType: row.account_type as AccountType, deactivated: row.deactivated };
  }
  return { kind: 'user', tokenId: row.token_id, userId: row.user_id as string, email: row.email as string, role: row.role as UserRole, deactivated: row.deactivated };
}
