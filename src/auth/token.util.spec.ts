import { generateToken, hashToken, hashTokenBase64, oneToken, readAuthorization, secretsEqual } from './token.util';

describe('token utilities', () => {
  it('generates 256-bit hex tokens that differ every time', () => {
    const a = generateToken();
    const b = generateToken();
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toEqual(b);
  });

  it('hashes to 32 bytes, deterministically', () => {
    expect(hashToken('abc')).toHaveLength(32);
    expect(hashToken('abc').equals(hashToken('abc'))).toBe(true);
    expect(hashToken('abc').equals(hashToken('abd'))).toBe(false);
  });

  it('gives the same hash in base64 for cache keys, non-ASCII input included', () => {
    for (const token of ['abc', generateToken(), 'tökén ✓ 😀']) expect(hashTokenBase64(token)).toBe(hashToken(token).toString('base64'));
  });

  it('compares secrets of different lengths without throwing', () => {
    expect(secretsEqual('short', 'a much longer secret')).toBe(false);
    expect(secretsEqual('same-secret', 'same-secret')).toBe(true);
  });

  it.each([
    ['BimPlus abc', 'BimPlus', 'abc'],
    ['bimplus abc', 'BimPlus', 'abc'],
    ['BIMPLUS   abc ', 'BimPlus', 'abc'],
    ['Bearer abc', 'BimPlus', undefined],
    ['BimPlus', 'BimPlus', undefined],
    ['BimPlus ', 'BimPlus', undefined],
    [undefined, 'Bearer', undefined],
  ])('reads %p with scheme %p as %p', (header, scheme, expected) => {
    expect(readAuthorization(header, scheme)).toBe(expected);
  });

  describe('oneToken', () => {
    it.each([
      ['the header alone', 'abc', undefined, 'abc'],
      ['the parameter alone', undefined, 'abc', 'abc'],
      ['both, the same token', 'abc', 'abc', 'abc'],
      ['an empty parameter, as absent', 'abc', '', 'abc'],
      ['neither', undefined, undefined, undefined],
      ['a parameter that is not a string, as absent', undefined, { a: 1 }, undefined],
    ])('reads %s', (_case, header, query, expected) => {
      expect(oneToken(['"accessToken"', query], ['the Authorization header', header])).toBe(expected);
    });

    it('refuses two different tokens and a repeated parameter, naming the problem', () => {
      expect(() => oneToken(['"accessToken"', 'abd'], ['the Authorization header', 'abc'])).toThrow('"accessToken" and the Authorization header hold different tokens: send one');
      expect(() => oneToken(['"accessToken"', ['abc', 'abc']])).toThrow('"accessToken" must be given once');
      expect(() => oneToken(['a', 'abc'], ['b', undefined], ['c', 'abd'])).toThrow('a and c hold different tokens: send one');
      expect(() => oneToken(['the X-Hub-Api-Token header', 'x'.repeat(10_000)])).toThrow('the X-Hub-Api-Token header is too long: a token has at most 512 characters');
    });
  });
});
