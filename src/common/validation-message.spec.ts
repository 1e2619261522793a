import { ValidationError } from 'class-validator';
import { formatValidationErrors } from './validation-message';

function error(property: string, constraints?: Record<string, string>, children: ValidationError[] = []): ValidationError {
  return Object.assign(new ValidationError(), { property, constraints, children });
}

describe('formatValidationErrors', () => {
  it('words a missing field like the original API', () => {
    expect(formatValidationErrors([error('guid', { isDefined: 'guid is required', isUuid: 'guid must be a UUID' })])).toBe(
      'child "guid" fails because ["guid" is required]',
    );
  });

  it('names an unknown field', () => {
    expect(formatValidationErrors([error('foo', { whitelistValidation: 'property foo should not exist' })])).toBe('"foo" is not allowed');
  });

  it('names nested fields by their path', () => {
    const nested = error('receiver', undefined, [error('id', { isUuid: 'id must be a UUID' })]);
    expect(formatValidationErrors([nested])).toBe('child "receiver.id" fails because ["receiver.id" must be a UUID]');
  });

  it('falls back to a generic message without errors', () => {
    expect(formatValidationErrors([])).toBe('Invalid request');
  });
});
