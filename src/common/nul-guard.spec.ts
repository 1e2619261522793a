import { findNulCharacter } from './nul-guard';

describe('findNulCharacter', () => {
  it('finds NUL in nested values and names the path', () => {
    expect(findNulCharacter({ a: { b: ['ok', 'x\u0000y'] } })).toBe('a.b[1]');
    expect(findNulCharacter('\u0000')).toBe('value');
  });

  it('finds NUL in keys', () => {
    expect(findNulCharacter({ ['k\u0000']: 1 })).toBe('k\u0000');
  });

  it('accepts clean input', () => {
    expect(findNulCharacter({ a: 'text', b: [1, true, null], c: '\\u0000 is only escaped text' })).toBeUndefined();
  });
});
