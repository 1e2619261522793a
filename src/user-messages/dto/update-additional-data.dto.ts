import { validateDto } from '../../common/validate-dto';
import { AdditionalData, AdditionalDataField, checkDashboardContent } from '../additional-data';
import { bindBody } from '../dotnet-binding';
import { Required } from '../../common/validation.decorators';

/** The body of PUT /v2/messages/{id}/updatedashboardadditionaldata. */
export class UpdateAdditionalDataDto {
  @Required()
  @AdditionalDataField({ optional: false })
  additionalData: Exclude<AdditionalData, null>;
}

/** Binds the body as the .NET service did (key in any case, unknown keys ignored), then checks it. */
export function parseUpdateAdditionalDataBody(raw: unknown): UpdateAdditionalDataDto {
  const dto = validateDto(UpdateAdditionalDataDto, bindBody(raw, { additionaldata: 'additionalData' }));
  checkDashboardContent(dto.additionalData);
  return dto;
}
