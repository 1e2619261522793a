import { BadRequestException } from '@nestjs/common';
import { validateDto } from '../../common/validate-dto';
import { isPlainObject, pickKeys } from '../create-body.normalizer';
import { CreateSystemGroupDto } from './dto/create-system-group.dto';

const BODY_KEYS = { systemgroup: 'systemGroup', usersidlist: 'usersIdList' };
const GROUP_KEYS = { id: 'id', name: 'name', description: 'description' };

/**
 * Binds POST /v2/systemgroups as the .NET service did: keys case-insensitively at both levels, unknown keys
 * dropped, `"id": ""` as no id. Then the DTO's rules; a 400 names the first bad field.
 */
export function parseCreateSystemGroupBody(raw: unknown): CreateSystemGroupDto {
  if (!isPlainObject(raw)) throw new BadRequestException('Request body must be a JSON object');
  const body = pickKeys(raw, BODY_KEYS);
  if (isPlainObject(body.systemGroup)) {
    const group = pickKeys(body.systemGroup, GROUP_KEYS);
    if (group.id === '') delete group.id;
    body.systemGroup = group;
  }
  return validateDto(CreateSystemGroupDto, body);
}
