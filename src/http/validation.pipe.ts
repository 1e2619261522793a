import { ArgumentMetadata, BadRequestException, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { acceptCheckFor, hasOnlyPrimitiveValues, instanceFactoryFor, isFlatObject } from '../common/validation-fast-path';
import { formatValidationErrors } from '../common/validation-message';

/**
 * Strict DTO validation: unknown fields are rejected, values are transformed to their declared types.
 *
 * A flat body or query that passes its class's compiled check (see validation-fast-path.ts) is returned
 * as the same instance Nest's pipe would return (built without class-transformer's executor where it
 * would only copy), without class-validator's executor; everything else, and every invalid value, takes
 * Nest's own path and gets its errors from there.
 */
export class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: true,
      exceptionFactory: (errors) => new BadRequestException(formatValidationErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const metatype = metadata.metatype as (new () => unknown) | undefined;
    if (!metatype || !this.toValidate(metadata)) return super.transform(value, metadata);
    const inherited = inheritedKey(value, metatype);
    if (inherited !== undefined) throw new BadRequestException(`"${inherited}" is not allowed`);
    if (isFlatObject(value)) {
      const check = acceptCheckFor(metatype);
      if (check) {
        const entity = instanceFactoryFor(metatype)?.(value) ?? (plainToInstance(metatype, value) as Record<string, unknown>);
        if (hasOnlyPrimitiveValues(entity) && check(entity)) return entity;
      }
    }
    return super.transform(value, metadata);
  }
}

/**
 * A key of a plain object that the class's prototype chain already has (`constructor`, `toString`,
 * `valueOf`…): class-transformer leaves such keys out of the instance it builds, so the whitelist
 * check would never see them and an unknown field would pass. Top level only, as the DTOs are flat.
 */
function inheritedKey(value: unknown, metatype: new () => unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return Object.keys(value).find((key) => key in metatype.prototype);
}

export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe();
}
