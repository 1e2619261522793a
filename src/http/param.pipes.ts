import { BadRequestException, Injectable, Param, PipeTransform, Type } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { MAX_INT4, parseIntId } from '../common/int-id';
import { isUuid } from '../common/uuid';

/** A path id that must be a positive 32-bit integer. */
@Injectable()
export class IntIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const id = parseIntId(value);
    if (id === undefined) throw new BadRequestException('id must be a positive integer');
    return id;
  }
}

/** A path id that must be an 8-4-4-4-12 hexadecimal GUID; returned lower-cased. */
@Injectable()
export class GuidPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUuid(value)) throw new BadRequestException('id must be a valid GUID');
    return value.toLowerCase();
  }
}

/**
 * `@Param(name, pipe)` that also documents the path parameter with the schema the pipe enforces (Nest would
 * document it as a bare string): `@GuidParam('id') id: string`.
 */
export function checkedParam(pipe: Type<PipeTransform>, schema: SchemaObject) {
  return (name: string): ParameterDecorator =>
    (target, method, index) => {
      Param(name, pipe)(target, method, index);
      if (method === undefined) return;
      ApiParam({ name, required: true, schema })(target, method, Object.getOwnPropertyDescriptor(target, method) as PropertyDescriptor);
    };
}

export const IntIdParam = checkedParam(IntIdPipe, { type: 'integer', minimum: 1, maximum: MAX_INT4 });
export const GuidParam = checkedParam(GuidPipe, { type: 'string', format: 'uuid' });
