import { AccountType, UserRole } from '../directory/directory.enums';

/** A v3 caller: a partner or provider account. */
export interface AccountPrincipal {
  kind: 'account';
  tokenId: string;
  accountId: number;
  accountType: AccountType;
}

/** A v2 caller: a portal user or a service user. */
export interface UserPrincipal {
  kind: 'user';
  tokenId: string;
  userId: string;
  email: string;
  role: UserRole;
}

export type AnyPrincipal = AccountPrincipal | UserPrincipal;
