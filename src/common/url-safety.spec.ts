import { LookupAddress } from 'node:dns';
import { networkInterfaces } from 'node:os';
import { checkWebhookUrl, isPrivateAddress, privateAddresses, privateAddressGuard } from './url-safety';

describe('isPrivateAddress', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '::1', 'fd00::1', '::ffff:127.0.0.1', '0.0.0.0',
    // IPv4-compatible, hex-mapped and NAT64 forms, benchmarking, multicast
    '::127.0.0.1', '::ffff:7f00:1', '64:ff9b::a9fe:a9fe', '198.18.0.1', '224.0.0.1', 'ff02::1',
    // documentation ranges, 6to4 (2002:7f00:1:: is 127.0.0.1), Teredo
    '192.0.2.2', '198.51.100.7', '203.0.113.9', '2001:db8::1', '2002:7f00:1::', '2001:0:4136:e378:8000:63bf:3fff:fdd2'])(
    'refuses %s',
    (address) => expect(isPrivateAddress(address)).toBe(true),
  );

  it.each(['8.8.8.8', '2001:4860:4860::8888', '172.32.0.1', '192.0.3.1', '203.0.114.1'])('allows %s', (address) => expect(isPrivateAddress(address)).toBe(false));

  it("refuses every address of this host's own interfaces, public ones too", () => {
    for (const { address } of Object.values(networkInterfaces()).flat().filter((a) => a !== undefined)) {
      expect([address, isPrivateAddress(address)]).toEqual([address, true]);
    }
    const host = privateAddresses({ eth0: [{ address: '8.8.4.4', family: 'IPv4' }, { address: '2606:4700::6810:84e5', family: 'IPv6' }] });
    expect([host.check('8.8.4.4', 'ipv4'), host.check('2606:4700::6810:84e5', 'ipv6'), host.check('8.8.8.8', 'ipv4')]).toEqual([true, true, false]);
  });
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

describe('privateAddressGuard (the webhook connections\' lookup)', () => {
  const resolve = (allowPrivate: boolean, host: string, all = false) =>
    new Promise<{ error: NodeJS.ErrnoException | null; result: unknown }>((done) =>
      privateAddressGuard(allowPrivate)(host, { all }, (error: NodeJS.ErrnoException | null, address: string | LookupAddress[]) => done({ error, result: address })),
    );

  it('refuses a name that resolves to a private address at connect time', async () => {
    const { error } = await resolve(false, 'localhost');
    expect(error?.message).toBe('localhost resolves to a loopback or private address');
  });

  it('hands the checked address to the connection when private ones are allowed', async () => {
    expect(await resolve(true, 'localhost')).toEqual({ error: null, result: expect.stringMatching(/^(127\.0\.0\.1|::1)$/) });
    expect((await resolve(true, 'localhost', true)).result).toEqual(expect.arrayContaining([expect.objectContaining({ address: expect.any(String) })]));
  });
});
