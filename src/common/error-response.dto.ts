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
