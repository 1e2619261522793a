import { ApiProperty } from '@nestjs/swagger';
import { CaseMessageResponseDto } from '../case-messages/dto/case-message-response.dto';
import { UserMessageResponseDto } from '../user-messages/dto/user-message-response.dto';
import { responseSchemaOf } from './response-schema';

class Inner {
  @ApiProperty() name: string;
}

class Outer {
  @ApiProperty({ type: 'integer' }) id: number;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ enum: ['a', 'b'] }) kind: string;
  @ApiProperty({ type: Inner, nullable: true }) inner: Inner | null;
  @ApiProperty({ type: [Inner] }) list: Inner[];
  @ApiProperty() flag: boolean;
}

class Untyped {
  @ApiProperty({ type: 'object', additionalProperties: true }) blob: object;
}

describe('responseSchemaOf', () => {
  it('derives a closed schema in declaration order from the @ApiProperty metadata', () => {
    const inner = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false };
    expect(responseSchemaOf(Outer)).toEqual({
      type: 'object',
      properties: {
        id: { type: 'integer' },
        note: { type: ['string', 'null'] },
        kind: { type: 'string' },
        inner: { ...inner, type: ['object', 'null'] },
        list: { type: 'array', items: inner },
        flag: { type: 'boolean' },
      },
      required: ['id', 'note', 'kind', 'inner', 'list', 'flag'],
      additionalProperties: false,
    });
  });

  it('refuses a property it cannot describe instead of serializing it loosely', () => {
    expect(() => responseSchemaOf(Untyped)).toThrow('Untyped.blob');
  });

  it('describes the two message shapes with every key of their DTOs', () => {
    expect(responseSchemaOf(CaseMessageResponseDto).required).toHaveLength(16);
    const user = responseSchemaOf(UserMessageResponseDto) as { properties: Record<string, { type: unknown }> };
    expect(user.properties.sender.type).toEqual(['object', 'null']);
    // A text or an object: the empty schema, written by JSON.stringify.
    expect(user.properties.additionalData).toEqual({});
  });
});
