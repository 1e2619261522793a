import { checkWebhookUrl, isPrivateAddress } from './url-safety';

describe('isPrivateAddress', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '::1', 'fd00::1', '::ffff:127.0.0.1', '0.0.0.0'])(
    'refuses %s',
    (address) => expect(isPrivateAddress(address)).toBe(true),
  );

  it.each(['8.8.8.8', '2001:4860:4860::8888', '172.32.0.1'])('allows %s', (address) => expect(isPrivateAddress(address)).toBe(false));
});

describe('checkWebhookUrl', () => {
  it('refuses non-http schemes, credentials and garbage', async () => {
    await expect(checkWebhookUrl('ftp://example.com/x', true)).resolves.toBe('url must use http or https');
    await expect(checkWebhookUrl('https://u:p@example.com/x', true)).resolves.toBe('url must not contain credentials');
    await expect(checkWebhookUrl('not a url', true)).resolves.toBe('url must be an absolute http(s) URL');
  });

  it('refuses loopback literals unless private targets are allowed', async () => {
    await expect(checkWebhookUrl('http://127.0.0.1:8080/hook', false)).resolves.toBe('url resolves to a loopback or private address');
    await expect(checkWebhookUrl('http://[::1]:8080/hook', false)).resolves.toBe('url resolves to a loopback or private address');
    await expect(checkWebhookUrl('http://127.0.0.1:8080/hook', true)).resolves.toBeUndefined();
  });

  it('resolves names before deciding', async () => {
    await expect(checkWebhookUrl('http://localhost:8080/hook', false)).resolves.toBe('url resolves to a loopback or private address');
  });
});
