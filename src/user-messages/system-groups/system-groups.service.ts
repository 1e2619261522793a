import { BadRequestException, Injectable } from '@nestjs/common';
import { ProvisioningService } from '../../admin/provisioning.service';
import { UserPrincipal } from '../../auth/principal';
import { DomainError } from '../../common/domain-error';
import { DirectoryRepository, GroupPosition } from '../../directory/directory.repository';
import { UserRole } from '../../directory/directory.enums';
import { isUuid } from '../../common/uuid';
import { parseLimit } from '../paging';
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

export function encodeGroupCursor(position: GroupPosition): string {
  return Buffer.from(JSON.stringify([position.sortName, position.id])).toString('base64url');
}

/** Opaque to clients; anything that does not decode to our own shape is a 400. */
export function decodeGroupCursor(raw: unknown): GroupPosition | undefined {
  if (raw === undefined || raw === '') return undefined;
  const invalid = () => new BadRequestException('cursor is invalid; use the Link header of the previous page');
  if (typeof raw !== 'string' || raw.length > MAX_GROUP_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(raw)) throw invalid();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) throw invalid();
  const [sortName, id] = decoded as unknown[];
  // NUL would reach PostgreSQL and fail there (a 500).
  if (typeof sortName !== 'string' || sortName.length > 255 || sortName.includes('\u0000') || !isUuid(id)) throw invalid();
  return { sortName, id: id.toLowerCase() };
}
