import { redactUrl } from './logger';

describe('redactUrl', () => {
  it('hides accessToken values wherever they stand in the query', () => {
    expect(redactUrl('/api/v3/case-messages?accessToken=secret&guid=x')).toBe('/api/v3/case-messages?accessToken=[REDACTED]&guid=x');
    expect(redactUrl('/x?guid=1&ACCESSTOKEN=secret')).toBe('/x?guid=1&ACCESSTOKEN=[REDACTED]');
  });

  it('leaves other URLs alone', () => {
    expect(redactUrl('/health/ready')).toBe('/health/ready');
  });
});
