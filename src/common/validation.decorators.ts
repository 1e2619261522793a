import { applyDecorators } from '@nestjs/common';
import { IsDefined, Matches, ValidateBy, ValidationOptions } from 'class-validator';
import { parseTimestamp } from './iso-timestamp';
import { UUID_PATTERN } from './uuid';

/** A mandatory field, worded as the original API words it: `"guid" is required`. */
export function Required(options?: ValidationOptions) {
  return applyDecorators(IsDefined({ message: '$property is required', ...options }));
}

/** An 8-4-4-4-12 hexadecimal id (see UUID_PATTERN). */
export function IsLooseUuid(options?: ValidationOptions) {
  return applyDecorators(Matches(UUID_PATTERN, { message: '$property must be a valid GUID', ...options }));
}

/**
 * An ISO 8601 date or date-time (read to the millisecond; no offset means UTC), as parseTimestamp reads it,
 * or an empty string, which the original API reads as absent ("If empty, the current time will be used").
 */
export function IsIsoTimestamp(options?: ValidationOptions) {
  return ValidateBy(
    { name: 'isIsoTimestamp', validator: { validate: (value) => typeof value === 'string' && (value === '' || parseTimestamp(value) !== undefined) } },
    { message: '$property must be a valid ISO 8601 date', ...options },
  );
}
