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

  it('leaves other URLs alone', () => {
    expect(redactUrl('/health/ready')).toBe('/health/ready');
  });
});
