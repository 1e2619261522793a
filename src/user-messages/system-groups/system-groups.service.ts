import { Injectable } from '@nestjs/common';
import { ProvisioningService } from '../../admin/provisioning.service';
import { UserPrincipal } from '../../auth/principal';
import { DomainError } from '../../common/domain-error';
import { DirectoryRepository, GroupPosition } from '../../directory/directory.repository';
import { UserRole } from '../../directory/directory.enums';
import { isUuid } from '../../common/uuid';
import { decodeCursorValues, encodeCursorValues, parseLimit } from '../paging';
import { CreateSystemGroupDto } from './dto/create-system-group.dto';
import { SystemGroupDetailsResponseDto, SystemGroupResponseDto } from './dto/system-group-response.dto';

/** A cursor holds a lower-cased name of up to 255 characters and an id, base64url. */
export const MAX_GROUP_CURSOR_LENGTH = 2048;

export interface GroupPage {
  items: SystemGroupResponseDto[];
  /** The cursor of the next page; undefined on the last one. */
  next?: string;
}

/**
 * Bimplus "messaging groups": the directory's groups as the v2 API shows them. A service user creates
 * groups and sees all of them; a user sees the groups it belongs to.
 */
@Injectable()
export class SystemGroupsService {
  constructor(
    private readonly provisioning: ProvisioningService,
    private readonly directory: DirectoryRepository,
  ) {}

  async create(caller: UserPrincipal, dto: CreateSystemGroupDto): Promise<SystemGroupDetailsResponseDto> {
    if (caller.role !== UserRole.Service) throw new DomainError('FORBIDDEN', 'Only a service user may create messaging groups');
    const { systemGroup, usersIdList } = dto;
    const group = await this.provisioning.createGroup(
      { id: systemGroup.id ?? undefined, name: systemGroup.name, description: systemGroup.description ?? null, memberIds: usersIdList },
      { uniqueName: true, membersField: 'usersIdList' },
    );
    return { id: group.id, name: group.name, description: group.description, usersIdList: group.memberIds };
  }

  /** One page in (lower(name), id) order. */
  async list(caller: UserPrincipal, query: { limit?: unknown; cursor?: unknown }): Promise<GroupPage> {
    const limit = parseLimit(query.limit);
    const rows = await this.directory.listGroups({ limit: limit + 1, after: decodeGroupCursor(query.cursor), memberId: visibleTo(caller) });
    const items = rows.slice(0, limit).map(({ id, name, description }) => ({ id, name, description }));
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return { items, next: last && encodeGroupCursor(last) };
  }

  async get(caller: UserPrincipal, id: string): Promise<SystemGroupDetailsResponseDto> {
    const group = await this.directory.findGroupWithMembers(id.toLowerCase(), visibleTo(caller));
    if (!group) throw new DomainError('NOT_FOUND', 'Group not found');
    return { id: group.id, name: group.name, description: group.description, usersIdList: group.memberIds };
  }
}

/** Undefined for a service user (every group); else the user whose groups are visible. */
function visibleTo(caller: UserPrincipal): string | undefined {
  return caller.role === UserRole.Service ? undefined : caller.userId;
}

function encodeGroupCursor(position: GroupPosition): string {
  return encodeCursorValues([position.sortName, position.id]);
}

/** Opaque to clients; anything that does not decode to our own shape is a 400. */
function decodeGroupCursor(raw: unknown): GroupPosition | undefined {
  if (raw === undefined || raw === '') return undefined;
  // NUL would reach PostgreSQL and fail there (a 500).
  const isPosition = ([sortName, id]: unknown[]) => typeof sortName === 'string' && sortName.length <= 255 && !sortName.includes('\u0000') && isUuid(id);
  const [sortName, id] = decodeCursorValues(typeof raw === 'string' ? raw : '', 2, MAX_GROUP_CURSOR_LENGTH, isPosition) as [string, string];
  return { sortName, id: id.toLowerCase() };
}
