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

/**
 * The one token of a request that may carry it as `?accessToken=` or in the Authorization header. Both places
 * holding the same token is fine and an empty parameter counts as absent; two different tokens, or the parameter
 * twice, are the client's error: picking one silently would act as an account the client may not have meant.
 */
export function oneToken(fromHeader: string | undefined, queryValue: unknown): string | undefined {
  if (Array.isArray(queryValue)) throw new BadRequestException('"accessToken" must be given once');
  const fromQuery = typeof queryValue === 'string' && queryValue.length > 0 ? queryValue : undefined;
  if (fromQuery !== undefined && fromHeader !== undefined && fromQuery !== fromHeader) {
    throw new BadRequestException('"accessToken" and the Authorization header hold different tokens: send one');
  }
  return fromQuery ?? fromHeader;
}
