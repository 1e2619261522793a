import { redactUrl } from './logger';

describe('redactUrl', () => {
  it('hides accessToken values wherever they stand in the query', () => {
    expect(redactUrl('/api/v3/case-messages?accessToken=secret&guid=x')).toBe('/api/v3/case-messages?accessToken=[REDACTED]&guid=x');
    expect(redactUrl('/x?guid=1&ACCESSTOKEN=secret')).toBe('/x?guid=1&ACCESSTOKEN=[REDACTED]');
  });

  it('hides values behind an encoded parameter name too', () => {
    expect(redactUrl('/x?access%54oken=secret&a=1')).toBe('/x?access%54oken=[REDACTED]&a=1');
    expect(redactUrl('/x?accessToken')).toBe('/x?accessToken=[REDACTED]');
  });

  it('hides array-style and suffixed names (accessToken[]=…)', () => {
    expect(redactUrl('/x?guid=1&accessToken[]=secret')).toBe('/x?guid=1&accessToken[]=[REDACTED]');
    expect(redactUrl('/x?accessToken%5B0%5D=secret')).toBe('/x?accessToken%5B0%5D=[REDACTED]');
  });

  it('hides a token (64 hex digits) under any other name or in the path', () => {
    const token = 'ab'.repeat(32);
    expect(redactUrl(`/x?access_token=${token}&a=1`)).toBe('/x?access_token=[REDACTED]&a=1');
    expect(redactUrl(`/api/v3/case-messages;accessToken=${token}`)).toBe('/api/v3/case-messages;accessToken=[REDACTED]');
    // The run takes the %3D's hex digits with it.
    expect(redactUrl(`/x?x=accessToken%3D${token.toUpperCase()}`)).toBe('/x?x=accessToken%[REDACTED]');
    expect(redactUrl(`/v2/messages/1e0abcb7-b94c-4072-a9c0-37072a1ef015?limit=10`)).toBe('/v2/messages/1e0abcb7-b94c-4072-a9c0-37072a1ef015?limit=10');
  });

  it('leaves other URLs alone', () => {
    expect(redactUrl('/health/ready')).toBe('/health/ready');
  });
});
