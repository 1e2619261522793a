import { listForMessage } from './message-list';

describe('listForMessage', () => {
  it('joins a short list', () => {
    expect(listForMessage(['a'])).toBe('a');
    expect(listForMessage(['a', 'b', 'c'])).toBe('a, b, c');
  });

  it('names `max` values and counts the rest', () => {
    expect(listForMessage(['a', 'b', 'c', 'd'], 2)).toBe('a, b and 2 more');
    expect(listForMessage(['a', 'b'], 2)).toBe('a, b');
  });

  it('names ten by default', () => {
    const values = Array.from({ length: 12 }, (_, i) => `v${i}`);
    expect(listForMessage(values)).toBe('v0, v1, v2, v3, v4, v5, v6, v7, v8, v9 and 2 more');
  });
});
