import { maskSecrets } from './audit-masking';

describe('maskSecrets', () => {
  it('masks fields named like secrets at any depth and keeps the rest', () => {
    expect(
      maskSecrets({ url: 'https://example.com/hook', secret: 'shh-0123456789abcdef', nested: { apiToken: 'x', label: 'erp' }, list: [{ password: 'p' }], headers: { 'X-Api-Key': 'k' } }),
    ).toEqual({ url: 'https://example.com/hook', secret: '***', nested: { apiToken: '***', label: 'erp' }, list: [{ password: '***' }], headers: '***' });
  });

  it("hides a URL's password and token-like strings", () => {
    expect(maskSecrets({ url: 'amqps://backoffice:broker-password@broker.example.com/vhost' })).toEqual({ url: 'amqps://backoffice:***@broker.example.com/vhost' });
    expect(maskSecrets({ note: `token ${'ab'.repeat(32)}` })).toEqual({ note: 'token [REDACTED]' });
  });

  it('keeps numbers, booleans and null', () => {
    expect(maskSecrets({ id: 7, on: true, name: null })).toEqual({ id: 7, on: true, name: null });
  });
});
