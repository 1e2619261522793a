import { CreateAccountDto } from '../admin/dto/admin.dto';
import { AccountType } from '../directory/directory.enums';
import { DomainError } from './domain-error';
import { validateDto } from './validate-dto';

function messageOf(plain: Record<string, unknown>): string | undefined {
  try {
    validateDto(CreateAccountDto, plain);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('INVALID');
    return (error as DomainError).message;
  }
}

describe('validateDto', () => {
  it('returns an instance of the class for valid input, leaving out keys whose value is undefined', () => {
    const dto = validateDto(CreateAccountDto, { type: 'partner', name: 'ACME', unused: undefined });
    expect(dto).toBeInstanceOf(CreateAccountDto);
    expect(dto).toEqual({ type: AccountType.Partner, name: 'ACME' });
  });

  it('words the first problem as the global pipe does, and refuses unknown fields', () => {
    expect(messageOf({ name: 'ACME' })).toBe('child "type" fails because ["type" is required]');
    expect(messageOf({ type: 'insurer', name: 'ACME' })).toBe('child "type" fails because ["type" must be one of [partner, provider]]');
    expect(messageOf({ type: 'partner', name: 'ACME', extra: 1 })).toBe('"extra" is not allowed');
  });
});
