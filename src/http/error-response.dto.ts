import type { HeaderObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ApiProperty } from '@nestjs/swagger';

export class ErrorBodyDto {
  @ApiProperty({ example: 'child "guid" fails because ["guid" is required]' })
  message: string;
}

/** The one error shape of the service: `{"error": {"message": "…"}}`. */
export class ErrorResponseDto {
  @ApiProperty({ type: ErrorBodyDto })
  error: ErrorBodyDto;
}

/** The OpenAPI header of every 429 and 503: seconds to wait before trying again. */
export const RETRY_AFTER: Record<string, HeaderObject> = { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } } };
