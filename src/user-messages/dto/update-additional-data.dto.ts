import { BadRequestException } from '@nestjs/common';
import { validateDto } from '../../common/validate-dto';
import { AdditionalData, AdditionalDataField, checkDashboardContent } from '../additional-data';
import { isPlainObject, pickKeys } from '../create-body.normalizer';
import { Required } from '../../common/validation.decorators';

/** The body of PUT /v2/messages/{id}/updatedashboardadditionaldata. */
export class UpdateAdditionalDataDto {
  @Required()
  @AdditionalDataField({ optional: false })
  additionalData: Exclude<AdditionalData, null>;
}

/** Binds the body as the .NET service did (key in any case, unknown keys ignored), then checks it. */
export function parseUpdateAdditionalDataBody(raw: unknown): UpdateAdditionalDataDto {
  if (!isPlainObject(raw)) throw new BadRequestException('Request body must be a JSON object');
  const dto = validateDto(UpdateAdditionalDataDto, pickKeys(raw, { additionaldata: 'additionalData' }));
  checkDashboardContent(dto.additionalData);
  return dto;
}
