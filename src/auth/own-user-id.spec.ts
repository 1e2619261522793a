import { UserRole } from '../directory/directory.enums';
import { ownUserId } from './own-user-id';
import { UserPrincipal } from './principal';

const caller: UserPrincipal = { kind: 'user', tokenId: 't', userId: '1110ac3b-fa49-e540-ac2f-8caff3dd72ee', email: 'a@example.com', role: UserRole.User };

describe('ownUserId', () => {
  it('answers the caller for "me" or the caller\'s own id in any case', () => {
    expect(ownUserId(caller, 'ME')).toBe(caller.userId);
    expect(ownUserId(caller, caller.userId.toUpperCase())).toBe(caller.userId);
  });

  it('refuses a malformed id (400) and another user\'s id (403)', () => {
    expect(() => ownUserId(caller, 'nobody')).toThrow(expect.objectContaining({ code: 'INVALID', message: 'user_id must be a valid GUID or "me"' }));
    expect(() => ownUserId(caller, '2220ac3b-fa49-e540-ac2f-8caff3dd72ee')).toThrow(expect.objectContaining({ code: 'FORBIDDEN', message: 'You can only access your own messages' }));
  });
});
