import { AccountType } from '../directory/directory.enums';

/**
 * The one metadata key `@CaseAuth()`, `@BimPlusAuth()`, `@AdminAuth()` and `@MetricsAuth()` set: which scheme a route authenticates
 * with, and that scheme's options. The guards and the rate limiter read it, handler first, then class.
 */
export const AUTH_SCHEME_KEY = 'auth:scheme';

/** v3: an account token; `roles` are the account types allowed. */
export interface CaseAuthScheme {
  scheme: 'case';
  roles: AccountType[];
}

/** v2: a user token; `allowQueryToken` also accepts `?accessToken=` (the SSE stream). */
export interface BimPlusAuthScheme {
  scheme: 'bimplus';
  allowQueryToken: boolean;
}

/** Operators and scrapers: `Authorization: Bearer` with the secret the setting `secret` holds. */
export interface OperatorAuthScheme {
  scheme: 'operator';
  secret: 'ADMIN_TOKEN' | 'METRICS_TOKEN';
}

export type AuthScheme = CaseAuthScheme | BimPlusAuthScheme | OperatorAuthScheme;
