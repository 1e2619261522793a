import * as bench from '../../bench/scenarios/case-messages';
import { AccountType } from '../directory/directory.enums';
import { feedSql } from './case-messages.sql';

describe('case-messages SQL', () => {
  it('words the feed predicate exactly as the partial indexes do, so the planner can use them', () => {
    expect(feedSql(AccountType.Partner, false)).toContain(`sender_type IS DISTINCT FROM 'partner' AND NOT m.is_internal\n`);
    expect(feedSql(AccountType.Provider, false)).toContain(`sender_type IS DISTINCT FROM 'provider' AND NOT m.is_internal\n`);
  });

  it('reads the unconfirmed feed from the caller\'s unconfirmed queue, in its primary key\'s order', () => {
    const sql = feedSql(AccountType.Partner, true);
    expect(sql).toContain('FROM case_message_unconfirmed u JOIN case_messages m ON m.id = u.message_id');
    expect(sql).toContain('u.account_id = $1::int AND u.message_id > $2::int');
    expect(sql).toContain('ORDER BY u.message_id LIMIT $3');
  });

  it('pages with a row comparison ordered like the (side_account_id, id) index, so the primary key cannot serve the order', () => {
    const sql = feedSql(AccountType.Provider, false);
    expect(sql).toContain('(m.provider_account_id, m.id) > ($1::int, $2::int) AND m.provider_account_id <= $1::int');
    expect(sql).toContain('ORDER BY m.provider_account_id, m.id LIMIT $3');
    expect(feedSql(AccountType.Partner, false)).not.toMatch(/OFFSET/i);
  });

  it('seeds with set-based statements sized by its arguments: the messages, then the unconfirmed queues', () => {
    const sql = bench.seedCaseMessagesSql(1_000_000, 20_000);
    expect(sql).toContain('generate_series(1, 1000000)');
    expect(sql).toContain('LIMIT 20000');
    expect(sql.match(/INSERT INTO \w+/g)).toEqual(['INSERT INTO case_messages', 'INSERT INTO case_message_confirmations', 'INSERT INTO case_message_unconfirmed']);
  });
});
