import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DomainError } from './domain-error';
import { acceptCheckFor } from './validation-fast-path';
import { formatValidationErrors } from './validation-message';

/**
 * Validates input that does not come through the global pipe (CLI options, a body normalised by hand)
 * with the pipe's rules: unknown fields are refused and the first problem is an INVALID DomainError (a 400
 * over HTTP) in the original API's wording, so the CLI and REST reject the same input with the same
 * message. A key whose value is undefined counts as absent (a CLI option not given). A value its class's
 * compiled check accepts skips class-validator's executor (see validation-fast-path.ts).
 */
export function validateDto<T extends object>(type: new () => T, plain: Record<string, unknown>): T {
  const instance = plainToInstance(type, withoutUndefined(plain));
  if (acceptCheckFor(type)?.(instance as Record<string, unknown>)) return instance;
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
  if (errors.length > 0) throw new DomainError('INVALID', formatValidationErrors(errors));
  return instance;
}

function withoutUndefined(plain: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(plain).filter(([, value]) => value !== undefined));
}
