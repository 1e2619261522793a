import { IsEmail } from 'class-validator';
import { EnumField, IdField, IntField, MAX_EMAIL_LENGTH, TextField } from '../../common/validation.decorators';
import { AccountType, UserRole } from '../../directory/directory.enums';
import { AdminPageQueryDto } from '../admin-paging';
import { MAX_GROUP_DESCRIPTION_LENGTH, MAX_NAME_LENGTH } from './admin.dto';

/** Whether an account or a user is switched on; a filter of the admin lists. */
export enum LifecycleStatus {
  Active = 'active',
  Deactivated = 'deactivated',
}

/** The longest search text: longer than any name or e-mail address it could match. */
const MAX_SEARCH_LENGTH = MAX_EMAIL_LENGTH;

export class ListAccountsQueryDto extends AdminPageQueryDto {
  @EnumField(AccountType, { optional: true })
  type?: AccountType;

  @TextField({ optional: true, maxLength: MAX_SEARCH_LENGTH, description: 'Part of the name, in any letter case' })
  q?: string;

  @EnumField(LifecycleStatus, { optional: true })
  status?: LifecycleStatus;
}

export class UpdateAccountDto {
  @TextField({ minLength: 1, maxLength: MAX_NAME_LENGTH, example: 'ACME Insurance AG' })
  name: string;
}

export class ListCasesQueryDto extends AdminPageQueryDto {
  @IntField({ min: 1, fromQuery: true, optional: true, minMessage: 'must be a positive number', description: 'Cases where this account is the partner or the provider' })
  accountId?: number;
}

/** Forwarding: the case moves to another provider account; the old one loses access, the messages stay. */
export class UpdateCaseDto {
  @IdField({ example: 1011 })
  providerAccountId: number;
}

export class ListUsersQueryDto extends AdminPageQueryDto {
  @TextField({ optional: true, maxLength: MAX_SEARCH_LENGTH, description: 'Part of the e-mail address or the name, in any letter case' })
  q?: string;

  @EnumField(UserRole, { optional: true })
  role?: UserRole;

  @EnumField(LifecycleStatus, { optional: true })
  status?: LifecycleStatus;
}

export class UpdateUserDto {
  @TextField({ optional: true, maxLength: MAX_EMAIL_LENGTH, format: 'email' }, IsEmail({}, { message: '$property must be an e-mail address' }))
  email?: string;

  @TextField({ optional: true, nullable: true, maxLength: MAX_NAME_LENGTH })
  name?: string | null;

  @EnumField(UserRole, { optional: true })
  role?: UserRole;
}

export class EraseUserQueryDto {
  @TextField({ optional: true, maxLength: 5, enum: ['true'], description: 'Must be true: erasure cannot be undone' })
  erase?: string;
}

export class ListGroupsQueryDto extends AdminPageQueryDto {}

export class UpdateGroupDto {
  @TextField({ optional: true, minLength: 1, maxLength: MAX_NAME_LENGTH, example: 'Support team' })
  name?: string;

  @TextField({ optional: true, nullable: true, maxLength: MAX_GROUP_DESCRIPTION_LENGTH, example: 'First-level support' })
  description?: string | null;
}

export class ListAuditQueryDto extends AdminPageQueryDto {
  @TextField({ optional: true, maxLength: 128, description: 'One object, as `<kind>:<id>`: `account:12`, `user:<uuid>`, `case:<guid>`, `group:<uuid>`, `token:<uuid>`' })
  target?: string;

  @TextField({ optional: true, maxLength: 64, description: 'One action, e.g. `accounts:deactivate`' })
  action?: string;
}
