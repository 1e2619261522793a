import { DomainError } from '../common/domain-error';
import { isUuid } from '../common/uuid';
import { UserPrincipal } from './principal';

/** `me` or the caller's own id; another user's id is 403. */
export function ownUserId(caller: UserPrincipal, param: string): string {
  if (param.toLowerCase() === 'me') return caller.userId;
  if (!isUuid(param)) throw new DomainError('INVALID', 'user_id must be a valid GUID or "me"');
  if (param.toLowerCase() !== caller.userId.toLowerCase()) throw new DomainError('FORBIDDEN', 'You can only access your own messages');
  return caller.userId;
}
