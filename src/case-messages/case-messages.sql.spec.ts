import * as bench from '../../bench/scenarios/case-messages';
import { AccountType } from '../directory/directory.enums';
import { feedSql } from './case-messages.sql';

describe('case-messages SQL', () => {
  it('words the feed predicate exactly as the partial indexes do, so the planner can use them', () => {
    expect(feedSql(AccountType.Partner, false)).toContain(`partner_account_id = $1 AND sender_type IS DISTINCT FROM 'partner' AND id > $2`);
    expect(feedSql(AccountType.Provider, true)).toContain(`provider_account_id = $1 AND sender_type IS DISTINCT FROM 'provider' AND confirmed_at IS NULL AND id > $2`);
    expect(feedSql(AccountType.Partner, false)).not.toMatch(/OFFSET/i);
  });

  it('seeds with one set-based statement sized by its arguments', () => {
    const sql = bench.seedCaseMessagesSql(1_000_000, 20_000);
    expect(sql).toContain('generate_series(1, 1000000)');
    expect(sql).toContain('LIMIT 20000');
    expect(sql.match(/INSERT INTO/g)).toHaveLength(1);
  });
});
