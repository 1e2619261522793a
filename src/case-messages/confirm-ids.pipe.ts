import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { MAX_INT4 } from '../common/int-id';
import { MAX_CONFIRM_IDS } from './case-messages.constants';

/**
 * Validates the confirm body, a bare JSON array the class-validator pipe cannot describe, in the
 * original API's (Joi) wording: `"value" at position 0 fails because ["0" must be a number]`.
 */
@Injectable()
export class ConfirmIdsPipe implements PipeTransform<unknown, number[]> {
  transform(value: unknown): number[] {
    const problem = findProblem(value);
    if (problem) throw new BadRequestException(problem);
    return value as number[];
  }
}

export function findProblem(value: unknown): string | undefined {
  if (value === undefined || value === null) return '"value" is required';
  if (!Array.isArray(value)) return '"value" must be an array';
  if (value.length === 0) return '"value" must contain at least 1 items';
  if (value.length > MAX_CONFIRM_IDS) return `"value" must contain less than or equal to ${MAX_CONFIRM_IDS} items`;
  for (let position = 0; position < value.length; position++) {
    const reason = idProblem(value[position]);
    if (reason) return `"value" at position ${position} fails because ["${position}" ${reason}]`;
  }
  return undefined;
}

function idProblem(id: unknown): string | undefined {
  if (typeof id !== 'number' || !Number.isFinite(id)) return 'must be a number';
  if (!Number.isInteger(id)) return 'must be an integer';
  if (id < 1) return 'must be a positive number';
  if (id > MAX_INT4) return `must be less than or equal to ${MAX_INT4}`;
  return undefined;
}
