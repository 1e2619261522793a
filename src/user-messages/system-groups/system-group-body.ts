import { validateDto } from '../../common/validate-dto';
import { bindBody, isPlainObject, pickKeys } from '../dotnet-binding';
import { CreateSystemGroupDto } from './dto/create-system-group.dto';

const BODY_KEYS = { systemgroup: 'systemGroup', usersidlist: 'usersIdList' };
const GROUP_KEYS = { id: 'id', name: 'name', description: 'description' };

/**
 * Binds POST /v2/systemgroups as the .NET service did: keys case-insensitively at both levels, unknown keys
 * dropped, `"id": ""` as no id. Then the DTO's rules; a 400 names the first bad field.
 */
export function parseCreateSystemGroupBody(raw: unknown): CreateSystemGroupDto {
  const body = bindBody(raw, BODY_KEYS);
  if (isPlainObject(body.systemGroup)) {
    const group = pickKeys(body.systemGroup, GROUP_KEYS);
    if (group.id === '') delete group.id;
    body.systemGroup = group;
  }
  return validateDto(CreateSystemGroupDto, body);
}
