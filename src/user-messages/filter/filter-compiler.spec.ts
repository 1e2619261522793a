import { compileFilter, FilterColumns } from './filter-compiler';
import { parseFilter } from './filter-parser';

const COLUMNS: FilterColumns = {
  id: 'm.id',
  'sender.id': 'm.sender_id',
  'sender.email': 'm.sender_email',
  'receiver.id': 'm.receiver_id',
  'receiver.email': 'm.receiver_email',
  source: 'm.source',
  topic: 'm.topic',
  severity: 'm.severity',
  returnCode: 'm.return_code',
  timestamp: 'm.ts',
  correlationId: 'm.correlation_id',
  unreadEmail: 'r.ue',
  unreadBrowserNotification: 'r.ub',
  unread: '(r.ub OR r.ue)',
};

function compile(filter: string, params: unknown[] = []) {
  const sql = compileFilter(parseFilter(filter), COLUMNS, params);
  return { sql, params };
}

describe('compileFilter', () => {
  it('is TRUE without clauses', () => {
    expect(compile('')).toEqual({ sql: 'TRUE', params: [] });
  });

  it('compiles the seed example to parameterised SQL', () => {
    expect(compile('unread=true&receiver.email=Customer@bimplus.net&source=IssueService')).toEqual({
      sql: '((r.ub OR r.ue)) AND (lower(m.receiver_email) = lower($1::text)) AND (m.source = $2::text)',
      params: ['Customer@bimplus.net', 'IssueService'],
    });
  });

  it('numbers parameters after the ones already bound', () => {
    expect(compile('topic=a', ['user-id'])).toEqual({ sql: '(m.topic = $2::text)', params: ['user-id', 'a'] });
  });

  it.each([
    ['unread=false', 'NOT (r.ub OR r.ue)'],
    ['unread!=true', 'NOT (r.ub OR r.ue)'],
    ['unreadEmail!=false', 'r.ue'],
    ['unreadBrowserNotification=true', 'r.ub'],
    ['correlationId=null', 'm.correlation_id IS NULL'],
    ['sender.id!=null', 'm.sender_id IS NOT NULL'],
  ])('writes %s without parameters', (filter, sql) => {
    expect(compile(filter)).toEqual({ sql: `(${sql})`, params: [] });
  });

  it.each([
    ['source<b', '(m.source COLLATE "C" < $1::text)', ['b']],
    ['returnCode>=B', '(m.return_code COLLATE "C" >= $1::text)', ['B']],
    ['topic!=x', '(m.topic IS DISTINCT FROM $1::text)', ['x']],
    ['id>71e0ac3b-fa49-e540-ac2f-8caff3dd72ed', '(m.id > $1::uuid)', ['71e0ac3b-fa49-e540-ac2f-8caff3dd72ed']],
    ['correlationId!=71E0AC3B-FA49-E540-AC2F-8CAFF3DD72ED', '(m.correlation_id IS DISTINCT FROM $1::uuid)', ['71e0ac3b-fa49-e540-ac2f-8caff3dd72ed']],
    ['timestamp<=2014-05-09T09:54:17.5', '(m.ts <= $1::timestamptz)', ['2014-05-09T09:54:17.500Z']],
    ['severity=warn', '(m.severity = $1::text)', ['Warning']],
    ["severity>=Warning", "(CASE m.severity WHEN 'Info' THEN 1 WHEN 'Warning' THEN 2 WHEN 'Error' THEN 3 END >= $1::int)", [2]],
    ['sender.email<M', '(lower(m.sender_email) COLLATE "C" < lower($1::text))', ['M']],
  ])('compiles %s', (filter, sql, params) => {
    expect(compile(filter)).toEqual({ sql, params });
  });

  it('never puts a value into the SQL text', () => {
    const hostile = `x'); DELETE FROM users; --`;
    const { sql, params } = compile(`source=${hostile}&topic=${hostile}&sender.email=${hostile}&returnCode<${hostile}`);
    expect(sql).not.toContain('DELETE');
    expect(sql).not.toContain("'");
    expect(params).toEqual([hostile, hostile, hostile, hostile]);
  });
});
