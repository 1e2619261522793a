import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateBy, ValidationOptions } from 'class-validator';
import { parseTimestamp } from './iso-timestamp';
import { MAX_INT4 } from './int-id';
import { UUID_PATTERN } from './uuid';

/*
 * Composite field decorators: each one states a field's rules once and gives class-validator and the
 * OpenAPI document the same limits, so a `maxLength` cannot drift between what is checked and what is
 * documented (immich's validation.ts). Messages use the original v3 API's wording (Joi), quoted by
 * formatValidationErrors: `child "limit" fails because ["limit" must be an integer]`.
 *
 * Order matters: class-validator runs a property's checks in the order they are applied and the global
 * pipe stops at the first failure, so each composite applies its type check first — a value of the wrong
 * type is reported as that, not as "too long".
 */

/** The longest e-mail address any API accepts (RFC 5321's 64 + 1 + 255). */
export const MAX_EMAIL_LENGTH = 320;

/** What every field decorator takes: optional or required, plus what the OpenAPI document shows. */
export type FieldOptions = Omit<ApiPropertyOptions, 'required' | 'type'> & { optional?: boolean };

/** A mandatory field, worded as the original API words it: `"guid" is required`. */
export function Required(options?: ValidationOptions) {
  return applyDecorators(IsDefined({ message: '$property is required', ...options }));
}

/** An 8-4-4-4-12 hexadecimal id (see UUID_PATTERN); any other value, of any type, is "not a valid GUID". */
export function IsLooseUuid(options?: ValidationOptions) {
  return applyDecorators(Matches(UUID_PATTERN, { message: '$property must be a valid GUID', ...options }));
}

/**
 * An ISO 8601 date-time with its timezone (read to the millisecond), as parseTimestamp reads it, or an
 * empty string, which the original API reads as absent ("If empty, the current time will be used"). A
 * time without an offset is refused: read as UTC or as the server's zone, it could be hours off.
 */
export function IsZonedTimestamp(options?: ValidationOptions) {
  return ValidateBy(
    { name: 'isZonedTimestamp', validator: { validate: (value) => typeof value === 'string' && (value === '' || parseTimestamp(value, { zoned: true }) !== undefined) } },
    { message: '$property must be an ISO 8601 date-time with a timezone (Z or ±hh:mm), e.g. 2017-07-25T10:12:54.003Z', ...options },
  );
}

/**
 * A string of at most `maxLength` characters (and at least `minLength`), then any `checks` (a pattern, a
 * list of values), which only ever see strings of an allowed length.
 */
export function TextField({ maxLength, minLength, ...options }: FieldOptions & { maxLength: number; minLength?: number }, ...checks: PropertyDecorator[]) {
  return applyDecorators(
    IsString({ message: '$property must be a string' }),
    MaxLength(maxLength),
    ...(minLength === undefined ? [] : [MinLength(minLength)]),
    ...checks,
    ...presence(options, { type: String, maxLength, minLength }),
  );
}

/** One of an enum's (string) values, of any type: anything else is "must be one of [a, b]". */
export function EnumField(values: Record<string, string>, options: FieldOptions = {}) {
  const allowed = Object.values(values);
  return applyDecorators(IsIn(allowed, { message: `$property must be one of [${allowed.join(', ')}]` }), ...presence(options, { type: String, enum: allowed }));
}

/** A GUID (user, group, case or message id). */
export function GuidField(options: FieldOptions = {}) {
  return applyDecorators(IsLooseUuid(), ...presence(options, { type: String, format: 'uuid' }));
}

/** An ISO 8601 date-time with a timezone (see IsZonedTimestamp). */
export function TimestampField(options: FieldOptions = {}) {
  return applyDecorators(IsZonedTimestamp(), ...presence(options, { type: String, format: 'date-time' }));
}

/** A JSON boolean in a body; in a query string (`fromQuery`), the words `true` and `false`. */
export function BooleanField({ fromQuery = false, ...options }: FieldOptions & { fromQuery?: boolean } = {}) {
  return applyDecorators(
    IsBoolean({ message: '$property must be a boolean' }),
    ...(fromQuery ? [QueryBoolean()] : []),
    ...presence(options, { type: Boolean }),
  );
}

/**
 * An integer in `min..max` (`max` defaults to the largest int4); in a query string (`fromQuery`), decimal
 * digits only. `minMessage` rewords the lower bound (ids: "must be a positive number").
 */
export function IntField({ min, max = MAX_INT4, fromQuery = false, minMessage, ...options }: FieldOptions & { min: number; max?: number; fromQuery?: boolean; minMessage?: string }) {
  return applyDecorators(
    IsInt({ message: '$property must be an integer' }),
    Min(min, { message: `$property ${minMessage ?? `must be greater than or equal to ${min}`}` }),
    Max(max, { message: `$property must be less than or equal to ${max}` }),
    ...(fromQuery ? [QueryInt()] : []),
    ...presence(options, { type: 'integer', minimum: min, maximum: max }),
  );
}

/** A positive int4 id (account, message): worded as the original API words a bad id. */
export function IdField(options: FieldOptions = {}) {
  return IntField({ min: 1, minMessage: 'must be a positive number', ...options });
}

/** The `limit` query parameter of a paged list: 1..max, never clamped; absent means the route's default. */
export function PageLimit(max: number, defaultLimit?: number) {
  const description = `Page size, 1..${max}${defaultLimit === undefined ? '' : ` (default ${defaultLimit})`}; never clamped`;
  return IntField({ min: 1, max, fromQuery: true, optional: true, description, example: defaultLimit ?? max, ...(defaultLimit === undefined ? {} : { default: defaultLimit }) });
}

/** Parses `"true"`/`"false"` query values; anything else is left for @IsBoolean to reject. */
function QueryBoolean() {
  return Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));
}

/** Parses decimal query values; anything else is left for @IsInt to reject. */
function QueryInt() {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d{1,10}$/.test(value) ? Number(value) : value));
}

/** `@ApiProperty` with the field's schema, and `@IsOptional` or `@Required`. */
function presence({ optional = false, ...documented }: FieldOptions, schema: ApiPropertyOptions): PropertyDecorator[] {
  return [ApiProperty({ ...schema, ...documented, required: !optional } as ApiPropertyOptions), optional ? IsOptional() : Required()];
}
