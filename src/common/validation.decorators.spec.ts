import { IsIn } from 'class-validator';
import { DomainError } from './domain-error';
import { validateDto } from './validate-dto';
import { BooleanField, EnumField, IdField, IntField, PageLimit, TextField } from './validation.decorators';

enum Colour {
  Red = 'red',
  Blue = 'blue',
}

class Sample {
  @TextField({ minLength: 1, maxLength: 5 }, IsIn(['one', 'two'], { message: '$property must be one or two' }))
  word: string;

  @TextField({ optional: true, nullable: true, maxLength: 3 })
  note?: string | null;

  @IntField({ min: 0, max: 9, fromQuery: true, optional: true })
  digit?: number;

  @IdField({ optional: true })
  parentId?: number;

  @BooleanField({ fromQuery: true, optional: true })
  flag?: boolean;

  @EnumField(Colour, { optional: true })
  colour?: Colour;

  @PageLimit(100, 20)
  limit?: number;
}

/** The message validateDto words for `plain`, or undefined when it is accepted. */
function problem(plain: Record<string, unknown>): string | undefined {
  try {
    validateDto(Sample, { word: 'one', ...plain });
    return undefined;
  } catch (error) {
    return (error as DomainError).message;
  }
}

const reason = (field: string, text: string) => `child "${field}" fails because ["${field}" ${text}]`;

describe('composite field decorators', () => {
  it('accept valid values and convert query strings', () => {
    expect(validateDto(Sample, { word: 'two', note: null, digit: '7', parentId: 3, flag: 'false', colour: 'blue', limit: '100' })).toEqual({
      word: 'two',
      note: null,
      digit: 7,
      parentId: 3,
      flag: false,
      colour: 'blue',
      limit: 100,
    });
  });

  it.each([
    // The type check comes first: a number is "not a string", not "too long" or "not one of".
    [{ word: 123456 }, reason('word', 'must be a string')],
    [{ word: undefined }, reason('word', 'is required')],
    [{ word: '' }, reason('word', 'must be longer than or equal to 1 characters')],
    [{ word: 'sixsix' }, reason('word', 'must be shorter than or equal to 5 characters')],
    // Extra checks run on strings of an allowed length only.
    [{ word: 'three' }, reason('word', 'must be one or two')],
    [{ note: 'long' }, reason('note', 'must be shorter than or equal to 3 characters')],
    [{ digit: '1e1' }, reason('digit', 'must be an integer')],
    [{ digit: ' 1' }, reason('digit', 'must be an integer')],
    [{ digit: '1.5' }, reason('digit', 'must be an integer')],
    [{ digit: '-1' }, reason('digit', 'must be greater than or equal to 0')],
    [{ digit: '10' }, reason('digit', 'must be less than or equal to 9')],
    [{ parentId: 0 }, reason('parentId', 'must be a positive number')],
    [{ parentId: 2 ** 31 }, reason('parentId', 'must be less than or equal to 2147483647')],
    [{ parentId: '1' }, reason('parentId', 'must be an integer')],
    [{ flag: 'yes' }, reason('flag', 'must be a boolean')],
    [{ colour: 'green' }, reason('colour', 'must be one of [red, blue]')],
    [{ colour: 1 }, reason('colour', 'must be one of [red, blue]')],
    [{ limit: '0' }, reason('limit', 'must be greater than or equal to 1')],
    [{ limit: '101' }, reason('limit', 'must be less than or equal to 100')],
  ])('rejects %j: %s', (plain, message) => {
    expect(problem(plain)).toBe(message);
  });

  it('document the limits they check', () => {
    // @nestjs/swagger's metadata key for @ApiProperty (DECORATORS.API_MODEL_PROPERTIES; its package exports hide the constant).
    const schema = (property: keyof Sample) => Reflect.getMetadata('swagger/apiModelProperties', Sample.prototype, property);
    expect(schema('word')).toMatchObject({ type: String, minLength: 1, maxLength: 5, required: true });
    expect(schema('note')).toMatchObject({ type: String, maxLength: 3, nullable: true, required: false });
    expect(schema('digit')).toMatchObject({ type: 'integer', minimum: 0, maximum: 9, required: false });
    expect(schema('parentId')).toMatchObject({ type: 'integer', minimum: 1, maximum: 2_147_483_647 });
    expect(schema('colour')).toMatchObject({ enum: ['red', 'blue'], required: false });
    expect(schema('limit')).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 20, required: false });
  });
});
