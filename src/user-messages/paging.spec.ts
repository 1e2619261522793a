import { BadRequestException } from '@nestjs/common';
import { decodeCursor, encodeCursor, nextLink, parseLimit } from './paging';

const CURSOR = { timestamp: '2014-05-09T09:54:17.123Z', id: '71e0ac3b-fa49-e540-ac2f-8caff3dd72ed' };

describe('paging', () => {
  it('defaults the limit to 100 and accepts 1..1000', () => {
    expect(parseLimit(undefined)).toBe(100);
    expect(parseLimit('1')).toBe(1);
    expect(parseLimit('1000')).toBe(1000);
  });

  it.each(['0', '1001', '-1', '1.5', 'abc', '1e2', ['1', '2']])('rejects limit %j', (raw) => {
    expect(() => parseLimit(raw)).toThrow(new BadRequestException('limit must be an integer between 1 and 1000'));
  });

  it('round-trips a cursor', () => {
    expect(decodeCursor(encodeCursor(CURSOR))).toEqual(CURSOR);
    expect(decodeCursor(undefined)).toBeUndefined();
  });

  it.each([
    'not base64!',
    Buffer.from('{"a":1}').toString('base64url'),
    Buffer.from('["2014-05-09", "x"]').toString('base64url'),
    Buffer.from('["yesterday", "71e0ac3b-fa49-e540-ac2f-8caff3dd72ed"]').toString('base64url'),
    // well-formed but not a date PostgreSQL can read (were 500s)
    Buffer.from('["2026-02-30T00:00:00.000Z", "71e0ac3b-fa49-e540-ac2f-8caff3dd72ed"]').toString('base64url'),
    Buffer.from('["0000-01-01T00:00:00.000Z", "71e0ac3b-fa49-e540-ac2f-8caff3dd72ed"]').toString('base64url'),
    encodeCursor(CURSOR).slice(0, -3),
    'a'.repeat(500),
  ])('rejects a tampered cursor %s', (raw) => {
    expect(() => decodeCursor(raw)).toThrow(BadRequestException);
  });

  it('builds a next link that keeps the filter encoded', () => {
    const link = nextLink('/v2/messages', { filter: 'unread=true&source=a b', limit: '10' }, encodeCursor(CURSOR));
    expect(link).toBe(`</v2/messages?filter=unread%3Dtrue%26source%3Da%20b&limit=10&cursor=${encodeCursor(CURSOR)}>; rel="next"`);
    expect(nextLink('/v2/user/me/messages', { limit: undefined }, encodeCursor(CURSOR))).toBe(`</v2/user/me/messages?cursor=${encodeCursor(CURSOR)}>; rel="next"`);
  });
});
