import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { formatValidationErrors } from './validation-message';

/** Strict DTO validation: unknown fields are rejected, values are transformed to their declared types. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => new BadRequestException(formatValidationErrors(errors)),
  });
}
