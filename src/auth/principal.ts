import { AccountType, UserRole } from '../directory/directory.enums';

/** A v3 caller: a partner or provider account. */
export interface AccountPrincipal {
  kind: 'account';
  tokenId: string;
  accountId: number;
  accountType: AccountType;
  /** The token's account is deactivated: every call is a 401. */
  deactivated?: boolean;
}

/** A v2 caller: a portal user or a service user. */
export interface UserPrincipal {
  kind: 'user';
  tokenId: string;
  userId: string;
  email: string;
  role: UserRole;
  /** The user is deactivated: every call is a 401. */
  deactivated?: boolean;
}

export type AnyPrincipal = AccountPrincipal | UserPrincipal;
