import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { isUuid } from './uuid';

/** The largest PostgreSQL `int4` (serial ids, account ids). */
export const MAX_INT4 = 2_147_483_647;

/** A positive 32-bit integer written in decimal digits, or undefined (shared by the pipes and the CLI). */
export function parseIntId(value: string | undefined): number | undefined {
  const id = value !== undefined && /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(id) && id >= 1 && id <= MAX_INT4 ? id : undefined;
}

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
