import { Type } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger';
import { FastifySchema } from 'fastify';

type JsonSchema = Record<string, unknown>;
interface PropertyMetadata {
  type?: unknown;
  enum?: unknown[];
  nullable?: boolean;
  isArray?: boolean;
  oneOf?: unknown[];
}

const SCALARS = new Map<unknown, string>([
  [String, 'string'],
  [Number, 'number'],
  [Boolean, 'boolean'],
  ['string', 'string'],
  ['number', 'number'],
  ['integer', 'integer'],
  ['boolean', 'boolean'],
]);

/**
 * A response DTO as the JSON schema of Fastify's serializer, read from the DTO's own `@ApiProperty`
 * metadata, so the OpenAPI document and the wire cannot drift apart. fast-json-stringify compiles it
 * into a function that writes the known keys directly (in declaration order). Every key is required
 * and no other is allowed: a key the mapper stops filling fails the request instead of vanishing.
 */
export function responseSchemaOf(dto: Type, nullable = false): JsonSchema {
  const keys: string[] = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, dto.prototype) ?? [];
  const properties: Record<string, JsonSchema> = {};
  for (const key of keys.map((k) => k.slice(1))) {
    const metadata: PropertyMetadata = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, dto.prototype, key);
    properties[key] = propertySchema(dto, key, metadata);
  }
  return { type: nullable ? ['object', 'null'] : 'object', properties, required: Object.keys(properties), additionalProperties: false };
}

function propertySchema(dto: Type, key: string, metadata: PropertyMetadata): JsonSchema {
  const type = metadata.type;
  let schema: JsonSchema;
  // A value of several shapes (a text or an object) is written by JSON.stringify: the empty schema.
  if (metadata.oneOf) schema = {};
  else if (SCALARS.has(type)) schema = { type: nullableType(SCALARS.get(type) as string, metadata.nullable) };
  else if (typeof type === 'function' && type.prototype) schema = responseSchemaOf(type as Type, metadata.nullable && !metadata.isArray);
  else throw new Error(`${dto.name}.${key}: no JSON schema for its @ApiProperty type`);
  return metadata.isArray ? { type: nullableType('array', metadata.nullable), items: schema } : schema;
}

function nullableType(type: string, nullable: boolean | undefined): string | string[] {
  return nullable ? [type, 'null'] : type;
}

/** The route schema (`@RouteSchema`) of an endpoint that answers `status` with one `dto`. */
export function answersOne(dto: Type, status = 200): FastifySchema {
  return { response: { [status]: responseSchemaOf(dto) } };
}

/** The route schema of an endpoint that answers 200 with an array of `dto`. */
export function answersArrayOf(dto: Type): FastifySchema {
  return { response: { 200: { type: 'array', items: responseSchemaOf(dto) } } };
}
