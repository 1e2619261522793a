import { BadRequestException } from '@nestjs/common';
import { createHash, hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, hex-encoded (the seed's BimPlus tokens are hex too). */
export function generateToken(): string {
  return randomBytes(32).toString('hex');
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** hashToken as base64 in one call (crypto.hash: no Hash object per call; ~4× faster), for cache keys. */
export function hashTokenBase64(token: string): string {
  return hash('sha256', token, 'base64');
}

/** Compares two secrets in constant time by comparing their fixed-length hashes. */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(hashToken(a), hashToken(b));
}

/** Reads `<scheme> <token>` from an Authorization header; the scheme name is case-insensitive. */
export function readAuthorization(header: string | undefined, scheme: string): string | undefined {
  if (!header) return undefined;
  const space = header.indexOf(' ');
  if (space <= 0 || header.slice(0, space).toLowerCase() !== scheme.toLowerCase()) return undefined;
  const token = header.slice(space + 1).trim();
  return token.length > 0 ? token : undefined;
}

/** Longer than any token this service issues: refused before a lookup, with a 400 naming where it came from. */
export const MAX_TOKEN_LENGTH = 512;

/** Where a token may come from, named as an error message names it (e.g. `"accessToken"`, `the Authorization header`). */
export type TokenSource = [where: string, value: unknown];

/**
 * The one token of a request that may carry it in several places (`?accessToken=`, the Authorization
 * header, X-Hub-Api-Token). The same token in several places is fine and an empty value counts as absent;
 * two different tokens, or one place given twice, are the client's error: picking one silently would act
 * as an account the client may not have meant.
 */
export function oneToken(...sources: TokenSource[]): string | undefined {
  let found: { where: string; token: string } | undefined;
  for (const [where, value] of sources) {
    if (Array.isArray(value)) throw new BadRequestException(`${where} must be given once`);
    if (typeof value !== 'string' || value.length === 0) continue;
    if (value.length > MAX_TOKEN_LENGTH) throw new BadRequestException(`${where} is too long: a token has at most ${MAX_TOKEN_LENGTH} characters`);
    if (found && found.token !== value) throw new BadRequestException(`${found.where} and ${where} hold different tokens: send one`);
    found ??= { where, token: value };
  }
  return found?.token;
}
