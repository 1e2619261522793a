import { TransformationType } from 'class-transformer';
import { getMetadataStorage, ValidationArguments, ValidationTypes } from 'class-validator';
// class-transformer's decorator registry (the same deep import @nestjs/mapped-types uses).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');

type MetadataStorage = ReturnType<typeof getMetadataStorage>;
type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];
type ConstraintMetadata = ReturnType<MetadataStorage['getTargetValidatorConstraints']>[number];

/** Says whether a transformed DTO instance passes every rule of its class; never says why not. */
export type AcceptCheck = (entity: Record<string, unknown>) => boolean;

interface PropertyRules {
  name: string;
  /** IsOptional (and ValidateIf): the property's other rules run only when all of these say so. */
  conditions: ((object: object, value: unknown) => boolean)[];
  /** IsDefined first, then the rest, as class-validator runs them; each a synchronous constraint. */
  rules: { metadata: ValidationMetadata; constraint: ConstraintMetadata }[];
  /** ValidateNested: a present value must be an object that passes its own class's check. */
  nested: boolean;
}

/** Rule kinds the check reproduces; a class with any other (promise validation) has none. */
const COVERED_TYPES = new Set<string>([
  ValidationTypes.IS_DEFINED,
  ValidationTypes.CONDITIONAL_VALIDATION,
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.NESTED_VALIDATION,
  ValidationTypes.WHITELIST,
]);

type Constructor = new (...args: never[]) => unknown;

/** A per-class compiler, run once per class (its "not covered" answer, undefined, remembered too). */
function oncePerClass<T>(compile: (metatype: Constructor) => T | undefined): (metatype: Constructor) => T | undefined {
  const compiled = new WeakMap<Constructor, T | null>();
  return (metatype) => {
    if (!compiled.has(metatype)) compiled.set(metatype, compile(metatype) ?? null);
    return compiled.get(metatype) ?? undefined;
  };
}

/** compileAcceptCheck, once per class. */
export const acceptCheckFor = oncePerClass(compileAcceptCheck);

/**
 * Compiles the accept-only check of a DTO class from its class-validator metadata, for the global pipe's
 * options (whitelist + forbidNonWhitelisted, no groups, no skip-missing options). class-validator's
 * executor builds a ValidationError per property, looks the metadata up and filters it by type on every
 * call (~50 µs per request body, 13 % of the server's CPU on v3 create); this runs the same constraint
 * instances with the same arguments over metadata sorted once. It only ever *accepts*: anything it does
 * not accept goes through class-validator, which then words the errors, so a mistake here can only cost
 * speed, never let a wrong value through (`validation-fast-path.spec.ts` compares both on every DTO).
 *
 * Returns undefined for a class it does not cover: no rules at all (class-validator's forbidUnknownValues
 * error), promise validation, `each`, groups, `always`, a per-rule `validateIf`, or an asynchronous
 * constraint. A nested value is checked with its own class's check (the class class-transformer built it
 * as), and fails without one.
 */
export function compileAcceptCheck(metatype: Constructor): AcceptCheck | undefined {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(metatype, '', false, false, undefined);
  if (metadatas.length === 0) return undefined;
  const properties: PropertyRules[] = [];
  for (const [name, own] of Object.entries(storage.groupByPropertyName(metadatas))) {
    const property: PropertyRules = { name, conditions: [], rules: [], nested: false };
    const defined: PropertyRules['rules'] = [];
    for (const metadata of own) {
      if (!COVERED_TYPES.has(metadata.type) || metadata.each || metadata.always || metadata.groups?.length || metadata.validateIf) return undefined;
      if (metadata.type === ValidationTypes.WHITELIST) continue;
      if (metadata.type === ValidationTypes.NESTED_VALIDATION) {
        property.nested = true;
        continue;
      }
      if (metadata.type === ValidationTypes.CONDITIONAL_VALIDATION) {
        property.conditions.push(metadata.constraints[0] as (object: object, value: unknown) => boolean);
        continue;
      }
      const constraints = storage.getTargetValidatorConstraints(metadata.constraintCls);
      if (constraints.some((constraint) => constraint.async)) return undefined;
      const target = metadata.type === ValidationTypes.IS_DEFINED ? defined : property.rules;
      for (const constraint of constraints) target.push({ metadata, constraint });
    }
    property.rules.unshift(...defined);
    properties.push(property);
  }
  const known = new Set(properties.map((p) => p.name));
  return (entity) => {
    for (const key of Object.keys(entity)) if (!known.has(key)) return false;
    for (const property of properties) {
      const value = entity[property.name];
      if (!property.conditions.every((condition) => condition(entity, value))) continue;
      for (const { metadata, constraint } of property.rules) {
        const args: ValidationArguments = { targetName: metatype.name, property: property.name, object: entity, value, constraints: metadata.constraints };
        // A promise (an async constraint not marked as such) is not a pass.
        if (constraint.instance.validate(value, args) !== true) return false;
      }
      if (property.nested && value !== undefined && !passesNested(value)) return false;
    }
    return true;
  };
}

/** class-validator validates a nested object against the rules of its own constructor. */
function passesNested(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Set || value instanceof Map) return false;
  const constructor = (value as object).constructor as Constructor | undefined;
  if (typeof constructor !== 'function') return false;
  const check = acceptCheckFor(constructor);
  return check !== undefined && check(value as Record<string, unknown>);
}

/** Builds the DTO instance from a flat plain object, or says (undefined) that class-transformer must. */
export type InstanceFactory = (plain: Record<string, unknown>) => Record<string, unknown> | undefined;

/** compileInstanceFactory, once per class. */
export const instanceFactoryFor = oncePerClass(compileInstanceFactory);

/**
 * `plainToInstance(metatype, plain)` for a flat object of primitives, without class-transformer's executor
 * (~19 µs per v3 create, 3 % of the server's main thread: a metadata lookup per key, per request). Only for
 * a class on which class-transformer would just copy: no `@Type`, `@Transform`, `@Expose` or `@Exclude` on
 * it or its ancestors, and none of its validated properties a method or a getter. Then class-transformer
 * creates `new metatype()` and assigns every own key of the plain object in order, values unchanged — and
 * so does this. It differs only for keys class-transformer skips (inherited methods such as `constructor`
 * or `toString`): here they become own keys, which no DTO declares, so the accept check refuses the body
 * and the pipe takes class-transformer's path. `__proto__` is left to class-transformer too.
 */
export function compileInstanceFactory(metatype: Constructor): InstanceFactory | undefined {
  const storage = getMetadataStorage();
  const names = Object.keys(storage.groupByPropertyName(storage.getTargetValidationMetadatas(metatype, '', false, false, undefined)));
  if (defaultMetadataStorage.getStrategy(metatype) !== 'none') return undefined;
  if (defaultMetadataStorage.getExposedMetadatas(metatype).length > 0 || defaultMetadataStorage.getExcludedMetadatas(metatype).length > 0) return undefined;
  const Class = metatype as unknown as new () => Record<string, unknown>;
  const probe = new Class();
  for (const name of names) {
    if (defaultMetadataStorage.findTypeMetadata(metatype, name)) return undefined;
    if (defaultMetadataStorage.findTransformMetadatas(metatype, name, TransformationType.PLAIN_TO_CLASS).length > 0) return undefined;
    const descriptor = Object.getOwnPropertyDescriptor(metatype.prototype, name);
    if ((descriptor && (descriptor.get || descriptor.set)) || typeof probe[name] === 'function') return undefined;
  }
  return (plain) => {
    const entity = new Class();
    for (const key of Object.keys(plain)) {
      if (key === '__proto__') return undefined;
      entity[key] = plain[key];
    }
    return entity;
  };
}

/**
 * A JSON object or a query object whose values are all primitives. Fastify's query parser builds its
 * objects on an empty prototype that itself has a null prototype; that counts as plain too.
 */
export function isFlatObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  return isPlainPrototype(Object.getPrototypeOf(value)) && hasOnlyPrimitiveValues(value as Record<string, unknown>);
}

function isPlainPrototype(prototype: object | null): boolean {
  if (prototype === null || prototype === Object.prototype) return true;
  return Object.getPrototypeOf(prototype) === null && Reflect.ownKeys(prototype).length === 0;
}

/** No own value is an object (nested objects, arrays, dates and binaries take class-validator's path). */
export function hasOnlyPrimitiveValues(value: Record<string, unknown>): boolean {
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item !== null && (typeof item === 'object' || typeof item === 'function')) return false;
  }
  return true;
}
