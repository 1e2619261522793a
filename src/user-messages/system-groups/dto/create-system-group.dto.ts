import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsObject, Matches, ValidateBy, ValidateNested, ValidationArguments } from 'class-validator';
import { MAX_GROUP_DESCRIPTION_LENGTH, MAX_GROUP_MEMBERS, MAX_NAME_LENGTH } from '../../../admin/dto/admin.dto';
import { listForMessage } from '../../../common/message-list';
import { isUuid } from '../../../common/uuid';
import { GuidField, Required, TextField } from '../../../common/validation.decorators';

/** How much of a malformed id an error message repeats. */
const MAX_ECHOED_LENGTH = 40;

/** The entries of `value` that are not GUIDs, as JSON (strings quoted), each cut to a readable length. */
export function malformedIds(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((id) => !isUuid(id)).map((id) => {
    const shown = JSON.stringify(id) ?? String(id);
    return shown.length > MAX_ECHOED_LENGTH ? `${shown.slice(0, MAX_ECHOED_LENGTH)}…` : shown;
  });
}

/** Every entry a GUID; the message names the ones that are not. */
function AreUserIds() {
  return ValidateBy({
    name: 'areUserIds',
    validator: { validate: (value) => Array.isArray(value) && value.every((id) => isUuid(id)) },
  }, { message: (args: ValidationArguments) => `$property must contain user ids (GUIDs), not ${listForMessage(malformedIds(args.value))}` });
}

export class SystemGroupInputDto {
  @GuidField({ optional: true, description: 'Generated when omitted (or `""`); must not be a user\'s id', example: '0c82421d-1ca9-4b6a-b6bb-eb5ddcb79760' })
  id?: string | null;

  @TextField(
    { minLength: 1, maxLength: MAX_NAME_LENGTH, description: 'Unique, in any letter case', example: 'Bimplus developers' },
    Matches(/\S/, { message: '$property must not be blank' }),
  )
  name: string;

  @TextField({ optional: true, nullable: true, maxLength: MAX_GROUP_DESCRIPTION_LENGTH, example: 'Group of Bimplus developers' })
  description?: string | null;
}

/**
 * The body of POST /v2/systemgroups after key normalisation (normalizeCreateSystemGroupBody): keys are
 * matched case-insensitively at both levels, unknown keys dropped before validation.
 */
export class CreateSystemGroupDto {
  @ApiProperty({ type: SystemGroupInputDto })
  @Required()
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => SystemGroupInputDto)
  systemGroup: SystemGroupInputDto;

  @ApiProperty({ type: String, isArray: true, format: 'uuid', maxItems: MAX_GROUP_MEMBERS, description: 'The members: existing users\' ids; [] for none', example: ['61c9c325-52a2-21b5-47b6-0a06e7152ff9'] })
  @Required()
  @AreUserIds()
  @ArrayMaxSize(MAX_GROUP_MEMBERS)
  @IsArray({ message: '$property must be an array' })
  usersIdList: string[];
}
