import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { checkDashboardContent } from '../user-messages/additional-data';
import { Exclude, Expose, plainToInstance, Transform, Type } from 'class-transformer';
import { IsOptional, IsString, validateSync, ValidatePromise } from 'class-validator';
import { CreateAccountDto, CreateCaseDto, CreateUserDto, GroupMembersDto, IssueTokenDto, SetWebhookDto } from '../admin/dto/admin.dto';
import { AccessTokenQueryDto, FeedQueryDto, ListCaseMessagesQueryDto } from '../case-messages/dto/case-message-query.dto';
import { CreateCaseMessageDto } from '../case-messages/dto/create-case-message.dto';
import { ListDeliveriesQueryDto } from '../delivery/dto/delivery.dto';
import { normalizeCreateBody, parseCreateBody } from '../user-messages/create-body.normalizer';
import { CreateUserMessageDto } from '../user-messages/dto/create-user-message.dto';
import { formatValidationErrors } from '../common/validation-message';
import { acceptCheckFor, compileAcceptCheck, compileInstanceFactory, isFlatObject } from '../common/validation-fast-path';
import { createValidationPipe } from './validation.pipe';

type Dto = new () => object;
type Outcome = { ok: true; value: object } | { ok: false; message: unknown };

const GUID = '1e0abcb7-b94c-4072-a9c0-37072a1ef015';

/** A valid body or query per class, and the class's own property names, for the random corpus. */
const CASES: { dto: Dto; type: ArgumentMetadata['type']; valid: Record<string, unknown> }[] = [
  {
    dto: CreateCaseMessageDto,
    type: 'body',
    valid: { guid: GUID, content: 'Test message', type: 'serviceComment', declaredAt: '2017-07-25T10:12:54.003Z', externalId: 'x-1', parentMessageId: 7, userEmail: 'jane@example.com', userName: 'Jane' },
  },
  { dto: ListCaseMessagesQueryDto, type: 'query', valid: { guid: GUID, afterId: '10', limit: '50', unconfirmed: 'true', accessToken: 'token' } },
  { dto: FeedQueryDto, type: 'query', valid: { afterId: '0', limit: '100', unconfirmed: 'false' } },
  { dto: AccessTokenQueryDto, type: 'query', valid: { accessToken: 'token' } },
  { dto: ListDeliveriesQueryDto, type: 'query', valid: { status: 'failed', kind: 'email', limit: '20', beforeId: '123' } },
  { dto: CreateAccountDto, type: 'body', valid: { type: 'partner', name: 'Workshop' } },
  { dto: IssueTokenDto, type: 'body', valid: { label: 'ci' } },
  { dto: SetWebhookDto, type: 'body', valid: { url: 'https://example.com/hook', secret: 's'.repeat(16) } },
  { dto: CreateCaseDto, type: 'body', valid: { guid: GUID, partnerAccountId: 1, providerAccountId: 2 } },
  { dto: CreateUserDto, type: 'body', valid: { id: GUID, email: 'a@example.com', name: 'A', role: 'service' } },
  { dto: GroupMembersDto, type: 'body', valid: { memberIds: [GUID] } },
];

/** Values around every limit and type the DTOs declare, plus wrong types and shapes. */
const POOL: unknown[] = [
  undefined, null, '', ' ', 'x', 0, 1, -1, 1.5, 7, 2147483647, 2147483648, Number.NaN, true, false,
  '0', '1', '-1', '10', '50', '100', '101', '1001', '1.5', '1e3', '2147483647', '2147483648', '99999999999', 'true', 'false', 'TRUE', 'yes',
  GUID, GUID.toUpperCase(), GUID.slice(1), `${GUID}x`, '00000000-0000-0000-0000-000000000000',
  'serviceComment', 'ServiceComment', 'statusRequest', 'serviceComment'.repeat(3),
  '2017-07-25T10:12:54.003Z', '2017-07-25', '2017-13-01T00:00:00Z', '2017-07-25T10:12:54.5+02:00', 'yesterday',
  'jane@example.com', 'jane@', 'a@b', 'partner', 'provider', 'user', 'service', 'admin', 'email', 'webhook', 'failed', 'sent', 'pending',
  'https://example.com/hook', 'ftp://example.com', 's'.repeat(15), 's'.repeat(16),
  'a'.repeat(31), 'a'.repeat(32), 'a'.repeat(33), 'a'.repeat(255), 'a'.repeat(256), 'a'.repeat(2048), 'a'.repeat(2049), 'a'.repeat(4000), 'a'.repeat(4001),
  '😀'.repeat(128), '😀'.repeat(129), '😀'.repeat(255), 'e\u0301'.repeat(200),
  [], [GUID], ['x'], { a: 1 }, { toString: 'x' },
];

/** Deterministic so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function corpus(valid: Record<string, unknown>, count: number, seed: number): Record<string, unknown>[] {
  const next = random(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)];
  const names = [...Object.keys(valid), 'unknownField', 'constructor'];
  const inputs: Record<string, unknown>[] = [{ ...valid }, {}];
  for (const name of Object.keys(valid)) {
    // The valid body without the field, and with each pool value in it.
    const { [name]: _dropped, ...without } = valid;
    inputs.push(without);
    for (const value of POOL) inputs.push({ ...valid, [name]: value });
  }
  for (let i = 0; i < count; i++) {
    const input: Record<string, unknown> = {};
    for (const name of names) {
      const roll = next();
      if (roll < 0.45) input[name] = valid[name];
      else if (roll < 0.75) input[name] = pick(POOL);
    }
    for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
    inputs.push(input);
  }
  return inputs;
}

/** Fastify's query parser (fast-querystring) builds objects on an empty, null-prototype prototype. */
const asFastifyQuery = (input: Record<string, unknown>) => Object.assign(Object.create(Object.create(null) as object) as object, input);

async function outcome(pipe: ValidationPipe, input: Record<string, unknown>, metadata: ArgumentMetadata): Promise<Outcome> {
  try {
    const copy = structuredCloneLoose(input) as Record<string, unknown>;
    return { ok: true, value: (await pipe.transform(metadata.type === 'query' ? asFastifyQuery(copy) : copy, metadata)) as object };
  } catch (error) {
    return { ok: false, message: (error as { getResponse?: () => unknown }).getResponse?.() ?? String(error) };
  }
}

/**
 * The reference's answer, except for the one case where it is wrong: a key the class's prototype chain
 * has (`constructor`, `toString`) is dropped by class-transformer and then passes the whitelist, so the
 * strict pipe refuses it first, like any unknown field.
 */
async function expectedOutcome(reference: ValidationPipe, input: Record<string, unknown>, metadata: ArgumentMetadata, dto: new () => unknown): Promise<Outcome> {
  const inherited = Object.keys(input).find((key) => key in dto.prototype);
  if (inherited === undefined) return outcome(reference, input, metadata);
  return { ok: false, message: { statusCode: 400, message: `"${inherited}" is not allowed`, error: 'Bad Request' } };
}

/** A deep copy that keeps NaN and undefined (each pipe may mutate what it is given). */
function structuredCloneLoose(input: unknown): unknown {
  if (Array.isArray(input)) return input.map(structuredCloneLoose);
  if (input !== null && typeof input === 'object') return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, structuredCloneLoose(v)]));
  return input;
}

describe('StrictValidationPipe (compiled accept path)', () => {
  const fast = createValidationPipe();
  // Nest's pipe with the same options, without the compiled path: the reference.
  const reference = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: true, exceptionFactory: (fast as unknown as { exceptionFactory: ValidationPipe['exceptionFactory'] }).exceptionFactory });

  it.each(CASES.map((c) => [c.dto.name, c] as const))('answers %s exactly as class-validator does (accepted value, or the same error)', async (_name, { dto, type, valid }) => {
    const metadata: ArgumentMetadata = { type, metatype: dto };
    let accepted = 0;
    let rejected = 0;
    for (const input of corpus(valid, 1500, dto.name.length)) {
      const [expected, actual] = await Promise.all([expectedOutcome(reference, input, metadata, dto), outcome(fast, input, metadata)]);
      if (expected.ok !== actual.ok) throw new Error(`${dto.name}: ${JSON.stringify(input)} → reference ${JSON.stringify(expected)}, compiled ${JSON.stringify(actual)}`);
      if (expected.ok && actual.ok) {
        expect(Object.getPrototypeOf(actual.value)).toBe(Object.getPrototypeOf(expected.value));
        expect({ ...actual.value }).toEqual({ ...expected.value });
        accepted++;
      } else {
        expect(actual).toEqual(expected);
        rejected++;
      }
    }
    // The corpus exercises both sides.
    expect(accepted).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  });

  it('accepts valid hot-path bodies and queries without class-validator', async () => {
    const slowPath = jest.spyOn(ValidationPipe.prototype, 'transform');
    try {
      for (const { dto, type, valid } of CASES.filter((c) => c.dto !== GroupMembersDto)) {
        await fast.transform(type === 'query' ? asFastifyQuery({ ...valid }) : { ...valid }, { type, metatype: dto });
      }
      expect(slowPath).not.toHaveBeenCalled();
      // An array value is not flat: class-validator's own path.
      await fast.transform({ memberIds: [GUID] }, { type: 'body', metatype: GroupMembersDto });
      expect(slowPath).toHaveBeenCalledTimes(1);
    } finally {
      slowPath.mockRestore();
    }
  });

  it('compiles no check for classes it does not cover', () => {
    class Promised {
      @ValidatePromise()
      @IsString()
      name: Promise<string>;
    }
    class Each {
      @IsString({ each: true })
      names: string[];
    }
    class Grouped {
      @IsOptional({ groups: ['a'] })
      @IsString({ groups: ['a'] })
      name: string;
    }
    class Bare {
      name: string;
    }
    for (const dto of [Promised, Each, Grouped, Bare]) expect(compileAcceptCheck(dto)).toBeUndefined();
    expect(compileAcceptCheck(CreateCaseMessageDto)).toBeDefined();
  });

  it('builds instances without class-transformer only for classes it would just copy into', () => {
    class Transformed {
      @Transform(({ value }) => String(value).trim())
      @IsString()
      name: string;
    }
    class Typed {
      @Type(() => Number)
      @IsString()
      name: string;
    }
    class Exposed {
      @Expose({ name: 'label' })
      @IsString()
      name: string;
    }
    @Exclude()
    class ExcludedByDefault {
      @IsString()
      name: string;
    }
    class WithGetter {
      @IsString()
      get name(): string {
        return 'x';
      }
    }
    class Child extends Transformed {
      @IsString()
      other: string;
    }
    for (const dto of [Transformed, Typed, Exposed, ExcludedByDefault, WithGetter, Child]) expect(compileInstanceFactory(dto)).toBeUndefined();
    // The query DTOs convert strings with @Transform; the v3 create body is copied as it is.
    for (const dto of [ListCaseMessagesQueryDto, FeedQueryDto]) expect(compileInstanceFactory(dto)).toBeUndefined();
    expect(compileInstanceFactory(CreateCaseMessageDto)).toBeDefined();
  });

  it('builds the same instance as plainToInstance, and leaves __proto__ to it', () => {
    const build = compileInstanceFactory(CreateCaseMessageDto) as NonNullable<ReturnType<typeof compileInstanceFactory>>;
    const bodies: Record<string, unknown>[] = [
      CASES[0].valid,
      { guid: GUID, type: 'reminder' },
      { guid: 7, content: null, extra: 'x', declaredAt: undefined, parentMessageId: 1.5 },
      {},
    ];
    for (const body of bodies) {
      const fast = build(body) as object;
      const reference = plainToInstance(CreateCaseMessageDto, body);
      expect(Object.getPrototypeOf(fast)).toBe(CreateCaseMessageDto.prototype);
      expect(Object.keys(fast)).toEqual(Object.keys(reference));
      expect({ ...fast }).toEqual({ ...reference });
    }
    const poisoned = Object.assign(Object.create(null), { guid: GUID, type: 'reminder' });
    Object.defineProperty(poisoned, '__proto__', { value: { polluted: true }, enumerable: true });
    expect(build(poisoned)).toBeUndefined();
  });

  it('answers the v2 create body (nested receiver and sender) exactly as class-validator does', () => {
    const reference = (raw: unknown) => {
      const dto = plainToInstance(CreateUserMessageDto, normalizeCreateBody(raw));
      const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
      if (errors.length > 0) throw new Error(formatValidationErrors(errors));
      checkDashboardContent(dto.additionalData);
      return dto;
    };
    const run = (parse: (raw: unknown) => unknown, raw: unknown): Outcome => {
      try {
        return { ok: true, value: parse(structuredCloneLoose(raw)) as object };
      } catch (error) {
        return { ok: false, message: (error as Error).message };
      }
    };
    const parties = [undefined, null, 'x', [], [{ id: GUID }], { id: GUID }, { ID: GUID, Email: 'a@b.c' }, { id: GUID, email: null }, { id: GUID, email: 'nope' },
      { id: 'x' }, { email: 'a@b.c' }, { id: GUID, extra: 1 }, { id: GUID, email: `${'a'.repeat(320)}@b` }, { id: 7 }];
    const valid = { receiver: { id: GUID }, sender: { id: GUID }, source: 'Billing', topic: 'Invoice', severity: 'warn', returnCode: 'OK', unreadEmail: true,
      unreadBrowserNotification: false, additionalData: '{}', correlationId: GUID };
    const inputs = corpus(valid, 2000, 42);
    for (const party of parties) inputs.push({ ...valid, receiver: party }, { ...valid, sender: party });
    let accepted = 0;
    for (const input of inputs) {
      const expected = run(reference, input);
      const actual = run(parseCreateBody, input);
      if (expected.ok !== actual.ok) throw new Error(`${JSON.stringify(input)} → reference ${JSON.stringify(expected)}, compiled ${JSON.stringify(actual)}`);
      if (expected.ok && actual.ok) {
        expect(actual.value).toEqual(expected.value);
        expect(Object.getPrototypeOf(actual.value)).toBe(CreateUserMessageDto.prototype);
        accepted++;
      } else {
        expect(actual).toEqual(expected);
      }
    }
    expect(accepted).toBeGreaterThan(10);
  });

  it('leaves a nested value without a constructor to class-validator instead of throwing', () => {
    const dto = plainToInstance(CreateUserMessageDto, { receiver: { id: GUID }, source: 's', topic: 't', severity: 'Info', returnCode: 'OK' });
    expect(acceptCheckFor(CreateUserMessageDto)?.(dto as unknown as Record<string, unknown>)).toBe(true);
    dto.receiver = Object.assign(Object.create(null) as object, { id: GUID }) as typeof dto.receiver;
    expect(acceptCheckFor(CreateUserMessageDto)?.(dto as unknown as Record<string, unknown>)).toBe(false);
  });

  it('takes only plain objects of primitives', () => {
    expect(isFlatObject({ a: 'x', b: 1, c: null, d: true })).toBe(true);
    expect(isFlatObject(Object.assign(Object.create(null), { a: 'x' }))).toBe(true);
    // Fastify's query objects (fast-querystring): an empty prototype with a null prototype.
    expect(isFlatObject(Object.assign(Object.create(Object.create(null)), { a: 'x' }))).toBe(true);
    expect(isFlatObject(Object.assign(Object.create({ inherited: 1 }), { a: 'x' }))).toBe(false);
    expect(isFlatObject({ a: [] })).toBe(false);
    expect(isFlatObject({ a: { b: 1 } })).toBe(false);
    expect(isFlatObject(new Date())).toBe(false);
    expect(isFlatObject(Buffer.from('x'))).toBe(false);
    expect(isFlatObject('x')).toBe(false);
    expect(isFlatObject(null)).toBe(false);
  });
});
