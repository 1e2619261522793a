import { parseLastEventId, sseComment, sseEvent, sseIdOnly } from './sse';

describe('sseEvent', () => {
  it('writes id, event and one JSON data line, then a blank line', () => {
    expect(sseEvent(7, 'message', { id: 'a', text: 'x\ny' })).toBe('id: 7\nevent: message\ndata: {"id":"a","text":"x\\ny"}\n\n');
  });
});

describe('sseComment', () => {
  it('cannot break out of the comment line', () => {
    expect(sseComment('a\r\nevent: x')).toBe(': a event: x\n\n');
  });
});

describe('parseLastEventId', () => {
  it('reads a sequence number, treats absence as undefined and anything else as malformed', () => {
    expect(parseLastEventId('42')).toBe(42);
    expect(parseLastEventId(undefined)).toBeUndefined();
    expect(parseLastEventId('')).toBeUndefined();
    expect(parseLastEventId('-1')).toBeNaN();
    expect(parseLastEventId('4x')).toBeNaN();
  });
});

describe('sseIdOnly', () => {
  it('is an id line and nothing else (EventSource records the id, dispatches nothing)', () => {
    expect(sseIdOnly(12)).toBe('id: 12\n\n');
  });
});
