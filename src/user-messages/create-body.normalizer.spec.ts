import { BadRequestException } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { normalizeCreateBody, parseCreateBody } from './create-body.normalizer';

const RECEIVER = '1e2223bf-fa49-e540-ac2f-8caff3dd72ed';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof BadRequestException) return (error.getResponse() as { message: string }).message ?? error.message;
    if (error instanceof DomainError && error.code === 'INVALID') return error.message;
    throw error;
  }
  throw new Error('expected a 400');
}

describe('normalizeCreateBody', () => {
  it('maps keys case-insensitively at every level and drops unknown ones, id and timestamp', () => {
    expect(
      normalizeCreateBody({
        ID: 'x',
        TimeStamp: 'y',
        RECEIVER: { Id: RECEIVER, EMAIL: 'a@b', Name: 'n' },
        sender: { iD: RECEIVER },
        returncode: 'RC',
        UNREADEMAIL: false,
        unreadBrowserNotification: true,
        AdditionalData: 'd',
        CorrelationID: null,
        Source: 's',
        topic: 't',
        SEVERITY: 'warn',
        bogus: 1,
      }),
    ).toEqual({
      receiver: { id: RECEIVER, email: 'a@b' },
      sender: { id: RECEIVER },
      returnCode: 'RC',
      unreadEmail: false,
      unreadBrowserNotification: true,
      additionalData: 'd',
      correlationId: null,
      source: 's',
      topic: 't',
      severity: 'warn',
    });
  });

  it('lets the later of two spellings win', () => {
    expect(normalizeCreateBody({ returnCode: 'a', RETURNCODE: 'b' })).toEqual({ returnCode: 'b' });
  });

  it('leaves non-object parties for validation to reject', () => {
    expect(normalizeCreateBody({ receiver: 'x', sender: null })).toEqual({ receiver: 'x', sender: null });
  });

  it.each([null, [], 'text', 5, undefined])('rejects a body %j that is not an object', (body) => {
    expect(messageOf(() => normalizeCreateBody(body))).toBe('Request body must be a JSON object');
  });

  it('does not pollute prototypes', () => {
    const body = normalizeCreateBody(JSON.parse('{"__proto__": {"polluted": true}, "source": "s"}'));
    expect(body).toEqual({ source: 's' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parseCreateBody', () => {
  const valid = { receiver: { id: RECEIVER }, source: 's', topic: 't', severity: 'Info', returnCode: 'r' };

  it('binds as the .NET service did: "true"/"false" strings are booleans, an empty correlationId is none', () => {
    expect(parseCreateBody({ ...valid, unreadEmail: 'False', unreadBrowserNotification: 'true', correlationId: '' })).toMatchObject({ unreadEmail: false, unreadBrowserNotification: true });
    expect(parseCreateBody({ ...valid, correlationId: '' }).correlationId).toBeUndefined();
  });

  it('validates the normalised body', () => {
    expect(parseCreateBody({ ...valid, Severity: 'WARN', severity: undefined })).toMatchObject({ severity: 'WARN', source: 's' });
  });

  it.each([
    [{ ...valid, receiver: undefined }, 'child "receiver" fails because ["receiver" is required]'],
    [{ ...valid, receiver: { id: 'nope' } }, 'child "receiver.id" fails because ["receiver.id" must be a valid GUID]'],
    [{ ...valid, source: 1 }, 'child "source" fails because ["source" must be a string]'],
    [{ ...valid, topic: '' }, 'child "topic" fails because ["topic" must be longer than or equal to 1 characters]'],
    [{ ...valid, severity: 'Warnings' }, 'child "severity" fails because ["severity" must be one of [Info, Warning, Error]]'],
    [{ ...valid, unreadEmail: 'yes' }, 'child "unreadEmail" fails because ["unreadEmail" must be a boolean]'],
    [{ ...valid, unreadEmail: 1 }, 'child "unreadEmail" fails because ["unreadEmail" must be a boolean]'],
    [{ ...valid, unreadBrowserNotification: '' }, 'child "unreadBrowserNotification" fails because ["unreadBrowserNotification" must be a boolean]'],
    [{ ...valid, correlationId: ' ' }, 'child "correlationId" fails because ["correlationId" must be a valid GUID]'],
    [{ ...valid, additionalData: 'x'.repeat(65_537) }, 'child "additionalData" fails because ["additionalData" must be a text of at most 65536 characters or an object of at most 64 KiB as JSON]'],
  ])('rejects %j', (body, message) => {
    expect(messageOf(() => parseCreateBody(body))).toBe(message);
  });
});
