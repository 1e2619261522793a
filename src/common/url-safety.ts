import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP, LookupFunction } from 'node:net';
import { NetworkInterfaceInfo, networkInterfaces } from 'node:os';

/**
 * Loopback, private, link-local, CGNAT, benchmarking, documentation, multicast, reserved, unspecified and
 * unique-local ranges, the IPv6 forms that reach IPv4 (IPv4-compatible ::/96, NAT64 64:ff9b::/96, 6to4
 * 2002::/16, Teredo 2001::/32), and the addresses of `interfaces` (this host's, read at start): never a
 * webhook target unless WEBHOOK_ALLOW_PRIVATE=true (tests, closed networks).
 */
export function privateAddresses(interfaces: NodeJS.Dict<Array<Pick<NetworkInterfaceInfo, 'address' | 'family'>>> = networkInterfaces()): BlockList {
  const list = new BlockList();
  list.addSubnet('0.0.0.0', 8, 'ipv4');
  list.addSubnet('10.0.0.0', 8, 'ipv4');
  list.addSubnet('100.64.0.0', 10, 'ipv4');
  list.addSubnet('127.0.0.0', 8, 'ipv4');
  list.addSubnet('169.254.0.0', 16, 'ipv4');
  list.addSubnet('172.16.0.0', 12, 'ipv4');
  list.addSubnet('192.0.0.0', 24, 'ipv4');
  list.addSubnet('192.168.0.0', 16, 'ipv4');
  list.addSubnet('192.0.2.0', 24, 'ipv4');
  list.addSubnet('198.18.0.0', 15, 'ipv4');
  list.addSubnet('198.51.100.0', 24, 'ipv4');
  list.addSubnet('203.0.113.0', 24, 'ipv4');
  list.addSubnet('224.0.0.0', 3, 'ipv4');
  list.addSubnet('::', 96, 'ipv6');
  list.addSubnet('64:ff9b::', 96, 'ipv6');
  list.addSubnet('64:ff9b:1::', 48, 'ipv6');
  list.addSubnet('2001::', 32, 'ipv6');
  list.addSubnet('2001:db8::', 32, 'ipv6');
  list.addSubnet('2002::', 16, 'ipv6');
  list.addSubnet('fc00::', 7, 'ipv6');
  list.addSubnet('fe80::', 10, 'ipv6');
  list.addSubnet('ff00::', 8, 'ipv6');
  // A public address of this host would reach the service itself and whatever else listens here.
  for (const address of Object.values(interfaces).flat()) {
    if (address) list.addAddress(address.address, address.family === 'IPv4' ? 'ipv4' : 'ipv6');
  }
  return list;
}

const PRIVATE = privateAddresses();

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const mapped = address.toLowerCase().match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
  if (mapped) return PRIVATE.check(mapped[1], 'ipv4');
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Checks that `raw` is an http(s) URL whose host does not resolve to a private address.
 * Returns a reason when it is refused, undefined when it is fine.
 */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url must be an absolute http(s) URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'url must use http or https';
  if (url.username || url.password) return 'url must not contain credentials';
  return checkPublicHost(url, allowPrivate);
}

/** Refuses a URL whose host is, or resolves to, a private address (unless `allowPrivate`). */
export async function checkPublicHost(url: URL, allowPrivate: boolean): Promise<string | undefined> {
  if (allowPrivate) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return `url host ${host} cannot be resolved`;
  }
  return addresses.some(isPrivateAddress) ? 'url resolves to a loopback or private address' : undefined;
}

/**
 * A `lookup` for the webhook connections (net/tls `connect`): resolves the host and refuses it when any
 * of its addresses is private, and the connection then goes to an address from this same answer. Checking
 * with one lookup and connecting after another let a host whose DNS changes between the two (DNS
 * rebinding) reach loopback or internal addresses.
 */
export function privateAddressGuard(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      if (!allowPrivate && addresses.some((a) => isPrivateAddress(a.address))) {
        return callback(Object.assign(new Error(`${hostname} resolves to a loopback or private address`), { code: 'EPRIVATEADDRESS' }), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
