import { findUnstorableText, MAX_DEPTH, MAX_KEYS, unstorableTextMessage } from './text-guard';

describe('findUnstorableText', () => {
  it('finds NUL in nested values and names the path', () => {
    expect(findUnstorableText({ a: { b: ['ok', 'x\u0000y'] } })).toEqual({ path: 'a.b[1]', problem: 'NUL' });
    expect(findUnstorableText('\u0000')).toEqual({ path: 'value', problem: 'NUL' });
  });

  it('finds NUL in keys', () => {
    expect(findUnstorableText({ ['k\u0000']: 1 })).toEqual({ path: 'k\u0000', problem: 'NUL' });
  });

  it('finds a lone surrogate, high or low, in values and keys', () => {
    expect(findUnstorableText({ content: 'a\ud800b' })).toEqual({ path: 'content', problem: 'lone surrogate' });
    expect(findUnstorableText({ content: 'a\udc00' })).toEqual({ path: 'content', problem: 'lone surrogate' });
    expect(findUnstorableText({ ['k\ud83d']: 'x' })).toEqual({ path: 'k\ud83d', problem: 'lone surrogate' });
  });

  it('accepts clean input, astral characters (surrogate pairs) included', () => {
    expect(findUnstorableText({ a: 'text 😀', b: [1, true, null], c: '\\u0000 is only escaped text' })).toBeUndefined();
  });

  it('refuses input nested deeper than MAX_DEPTH without walking it (100,000 levels overflowed the stack)', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(findUnstorableText(deep)?.problem).toBe('depth');
    let ok: unknown = 'x';
    for (let i = 0; i < MAX_DEPTH; i++) ok = { a: ok };
    expect(findUnstorableText(ok)).toBeUndefined();
  });

  it('refuses more than MAX_KEYS keys in all objects together, array elements not counted', () => {
    const keys = (n: number, prefix = 'k') => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, i]));
    expect(findUnstorableText(keys(MAX_KEYS))).toBeUndefined();
    expect(findUnstorableText(keys(MAX_KEYS + 1))).toEqual({ path: 'value', problem: 'keys' });
    // Spread over nested objects: the object whose keys pass the total is named.
    expect(findUnstorableText({ a: keys(MAX_KEYS / 2, 'a'), b: keys(MAX_KEYS / 2, 'b') })).toEqual({ path: 'b', problem: 'keys' });
    expect(findUnstorableText({ ids: Array.from({ length: 100_000 }, (_, i) => i) })).toBeUndefined();
  });

  it('words the 400 message', () => {
    expect(unstorableTextMessage({ path: 'value', problem: 'keys' })).toBe('Input has too many fields (at most 1000 in all)');
    expect(unstorableTextMessage({ path: 'name', problem: 'NUL' })).toBe('"name" must not contain NUL characters');
    expect(unstorableTextMessage({ path: 'content', problem: 'lone surrogate' })).toBe('"content" must be valid Unicode (it contains a lone surrogate)');
  });
});
