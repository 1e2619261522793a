import { isFilterProperty, MAX_FILTER_CLAUSES, MAX_FILTER_LENGTH, parseFilter } from './filter-parser';
import { FilterError } from './filter.types';

const UUID = '71e0ac3b-fa49-e540-ac2f-8caff3dd72ed';

function errorOf(filter: string): string {
  try {
    parseFilter(filter);
  } catch (error) {
    if (error instanceof FilterError) return error.message;
    throw error;
  }
  throw new Error(`expected "${filter}" to be rejected`);
}

describe('parseFilter', () => {
  it('parses the seed example into typed clauses', () => {
    expect(parseFilter('unread=true&receiver.email=customer@bimplus.net&source=IssueService')).toEqual([
      { property: 'unread', operator: '=', type: 'boolean', value: true, text: 'unread=true' },
      { property: 'receiver.email', operator: '=', type: 'email', value: 'customer@bimplus.net', text: 'receiver.email=customer@bimplus.net' },
      { property: 'source', operator: '=', type: 'string', value: 'IssueService', text: 'source=IssueService' },
    ]);
  });

  it('treats an empty filter as no filter and skips empty clauses', () => {
    expect(parseFilter('')).toEqual([]);
    expect(parseFilter('&&source=a&')).toHaveLength(1);
  });

  it.each([
    ['id', 'id'],
    ['SENDER.ID', 'sender.id'],
    ['Sender.Email', 'sender.email'],
    ['receiver.ID', 'receiver.id'],
    ['RECEIVER.EMAIL', 'receiver.email'],
    ['Source', 'source'],
    ['TOPIC', 'topic'],
    ['severity', 'severity'],
    ['returncode', 'returnCode'],
    ['TimeStamp', 'timestamp'],
    ['correlationid', 'correlationId'],
    ['UNREADEMAIL', 'unreadEmail'],
    ['unreadbrowsernotification', 'unreadBrowserNotification'],
    ['Unread', 'unread'],
  ])('recognises the property %s case-insensitively', (written, property) => {
    const value = { id: UUID, 'sender.id': UUID, 'receiver.id': UUID, correlationId: UUID, timestamp: '2014-05-09', unreadEmail: 'true', unreadBrowserNotification: 'false', unread: 'TRUE', severity: 'info' }[property] ?? 'x@y';
    expect(parseFilter(`${written}=${value}`)[0].property).toBe(property);
  });

  it.each([
    ['source=a', '='],
    ['source!=a', '!='],
    ['source<a', '<'],
    ['source<=a', '<='],
    ['source>a', '>'],
    ['source>=a', '>='],
  ])('reads the operator of %s, longest first', (filter, operator) => {
    const [clause] = parseFilter(filter);
    expect(clause.operator).toBe(operator);
    expect(clause.value).toBe('a');
  });

  it('keeps operator characters inside the value, after its first character', () => {
    expect(parseFilter('source=a=b')[0]).toMatchObject({ operator: '=', value: 'a=b' });
    expect(parseFilter('topic>=a<=!=')[0]).toMatchObject({ operator: '>=', value: 'a<=!=' });
    expect(parseFilter('topic=!x')[0]).toMatchObject({ operator: '=', value: '!x' });
    expect(parseFilter('source=')[0]).toMatchObject({ operator: '=', value: '' });
  });

  it('types values: booleans, uuids (lower-cased), severities (canonical), timestamps (UTC ISO), null', () => {
    expect(parseFilter('unreadEmail=FALSE')[0].value).toBe(false);
    expect(parseFilter(`id=${UUID.toUpperCase()}`)[0].value).toBe(UUID);
    expect(parseFilter('severity=WARN')[0].value).toBe('Warning');
    expect(parseFilter('severity>=error')[0].value).toBe('Error');
    expect(parseFilter('timestamp>=2014-05-09T09:54:17')[0].value).toBe('2014-05-09T09:54:17.000Z');
    expect(parseFilter('correlationId=null')[0].value).toBeNull();
    expect(parseFilter('sender.id=NULL')[0].value).toBeNull();
    expect(parseFilter('sender.email!=null')[0]).toMatchObject({ operator: '!=', value: null });
    // "null" is an ordinary string for a property that is never missing.
    expect(parseFilter('source=null')[0].value).toBe('null');
  });

  it.each([
    ['foo=1', 'Invalid filter clause "foo=1": unknown property "foo"'],
    ['=1', 'Invalid filter clause "=1": expected <property><operator><value>'],
    ['source', 'Invalid filter clause "source": expected an operator (=, !=, <, <=, >, >=) after "source"'],
    ['source~a', 'Invalid filter clause "source~a": expected an operator (=, !=, <, <=, >, >=) after "source"'],
    ['unread=yes', 'Invalid filter clause "unread=yes": unread must be true or false'],
    ['unread>true', 'Invalid filter clause "unread>true": only = and != apply to unread'],
    ['id=123', 'Invalid filter clause "id=123": id must be a GUID'],
    ['id=null', 'Invalid filter clause "id=null": id must be a GUID'],
    ['correlationId=abc', 'Invalid filter clause "correlationId=abc": correlationId must be a GUID or null'],
    ['correlationId<null', 'Invalid filter clause "correlationId<null": only = and != can compare with null'],
    ['severity=fatal', 'Invalid filter clause "severity=fatal": severity must be one of [Info, Warning, Error]'],
    ['timestamp>yesterday', 'Invalid filter clause "timestamp>yesterday": timestamp must be an ISO 8601 date-time such as 2014-05-09T09:54:17.123Z'],
    ['source=a&topic', 'Invalid filter clause "topic": expected an operator (=, !=, <, <=, >, >=) after "topic"'],
    ['source==x', 'Invalid filter clause "source==x": "==" is not an operator (use one of =, !=, <, <=, >, >=)'],
    ['source=<x', 'Invalid filter clause "source=<x": "=<" is not an operator (use one of =, !=, <, <=, >, >=)'],
    ['timestamp=>2014-05-09', 'Invalid filter clause "timestamp=>2014-05-09": "=>" is not an operator (use one of =, !=, <, <=, >, >=)'],
    ['topic<>a', 'Invalid filter clause "topic<>a": "<>" is not an operator (use one of =, !=, <, <=, >, >=)'],
    ['topic!==a', 'Invalid filter clause "topic!==a": "!==" is not an operator (use one of =, !=, <, <=, >, >=)'],
  ])('rejects %s naming the clause', (filter, message) => {
    expect(errorOf(filter)).toBe(message);
  });

  describe('hostile input', () => {
    it('keeps quotes, semicolons and SQL as plain values', () => {
      const value = `x'; DROP TABLE user_messages; --"`;
      expect(parseFilter(`source=${value}`)[0].value).toBe(value);
      expect(parseFilter(`topic=') OR 1=1 --`)[0].value).toBe(`') OR 1=1 --`);
    });

    it('rejects NUL but keeps other characters as part of the value', () => {
      expect(errorOf('source=a\u0000b')).toBe('Invalid filter clause "source=a\u0000b": NUL characters are not allowed');
      expect(parseFilter('source=a\nb\tc')[0].value).toBe('a\nb\tc');
    });

    it('takes %00 literally (the query string was already decoded once)', () => {
      expect(parseFilter('source=%00')[0].value).toBe('%00');
    });

    it('rejects 10,000 clauses and overlong filters before parsing them', () => {
      expect(errorOf(Array.from({ length: 10_000 }, () => 'unread=true').join('&'))).toBe(`filter must be at most ${MAX_FILTER_LENGTH} characters`);
      expect(errorOf(Array.from({ length: 10_000 }, () => 'a').join('&').slice(0, MAX_FILTER_LENGTH))).toBe(`filter must have at most ${MAX_FILTER_CLAUSES} clauses`);
      expect(errorOf(`source=${'x'.repeat(100_000)}`)).toBe(`filter must be at most ${MAX_FILTER_LENGTH} characters`);
      expect(parseFilter(Array.from({ length: MAX_FILTER_CLAUSES }, () => 'unread=true').join('&'))).toHaveLength(MAX_FILTER_CLAUSES);
    });

    it('shortens a long clause in the error message', () => {
      const message = errorOf(`nope=${'y'.repeat(1000)}`);
      expect(message.length).toBeLessThan(200);
      expect(message).toContain('…');
    });

    it('does not treat prototype keys as properties', () => {
      expect(errorOf('constructor=1')).toBe('Invalid filter clause "constructor=1": unknown property "constructor"');
      expect(errorOf('__proto__=1')).toBe('Invalid filter clause "__proto__=1": expected <property><operator><value>');
    });
  });
});

describe('isFilterProperty', () => {
  it('knows the filter properties in any case, and nothing else', () => {
    expect(['source', 'Source', 'unread', 'receiver.id'].map(isFilterProperty)).toEqual([true, true, true, true]);
    expect(['filter', 'limit', 'cursor', 'foo'].map(isFilterProperty)).toEqual([false, false, false, false]);
  });
});
