import { EntityManager } from 'typeorm';
import { PreparedStatements } from '../database/prepared-statements';
import { Transaction } from '../database/transactions';
import * as bench from '../../bench/scenarios/user-messages';
import { parseFilter } from './filter/filter-parser';
import { UserMessagesRepository } from './user-messages.repository';
import { insertMessageSql, setFlagSql } from './user-messages.sql';
import { ReceiverType, Severity } from './user-messages.enums';

const USER = '71e0ac3b-fa49-e540-ac2f-8caff3dd72ed';
const MESSAGE = '4633d522-53aa-4d81-90b4-704681e0573d';

/** Records every statement; answers with one plausible row so the repository's code paths complete. */
class RecordingQueries {
  readonly calls: { sql: string; params: unknown[] }[] = [];
  query = async (sql: string, params: unknown[] = []): Promise<unknown[]> => {
    this.calls.push({ sql, params });
    return [{ timestamp: new Date(0), userId: USER, messageId: MESSAGE }];
  };
  queryDynamic = this.query;
}

const squash = (sql: string) => sql.replace(/\s+/g, ' ').trim();

describe('bench/scenarios/user-messages.ts matches the app', () => {
  let recorder: RecordingQueries;
  let repository: UserMessagesRepository;
  let manager: EntityManager;

  beforeEach(() => {
    recorder = new RecordingQueries();
    manager = recorder as unknown as EntityManager;
    repository = new UserMessagesRepository(recorder as unknown as PreparedStatements);
  });
  const last = () => recorder.calls[recorder.calls.length - 1];

  it('inbox first page', async () => {
    await repository.inbox(USER, { limit: 100 });
    expect(squash(last().sql)).toBe(squash(bench.inboxFirstPageSql));
    expect(last().params).toEqual([USER, 101]);
  });

  it('sent and group-sent first pages', async () => {
    await repository.sent(USER, { limit: 100 });
    expect(squash(last().sql)).toBe(squash(bench.sentFirstPageSql));
    expect(last().params).toEqual([USER, 101]);
    await repository.groupSent(USER, { limit: 100 });
    expect(squash(last().sql)).toBe(squash(bench.groupSentFirstPageSql));
    expect(last().params).toEqual([USER, 101]);
  });

  it('filter unread=true&source=…', async () => {
    await repository.search(USER, parseFilter('unread=true&source=Import Service'), { limit: 100 });
    expect(squash(last().sql)).toBe(squash(bench.filterUnreadSourceSql));
    expect(last().params).toEqual([USER, 'Import Service', 'Import Service', 101]);
  });

  it('unread count', async () => {
    await repository.countUnread(USER);
    expect(squash(last().sql)).toBe(squash(bench.unreadCountSql));
  });

  it('mark as read: one statement for the flag, the stream event and the answer', async () => {
    await repository.setFlag(MESSAGE, USER, 'unread_browser', false);
    expect(last().sql).toBe(setFlagSql('unread_browser'));
    expect(last().params).toEqual([MESSAGE, USER, false]);
  });

  it('create to a user and to a group', async () => {
    await repository.findAddressee(USER);
    expect(squash(last().sql)).toBe(squash(bench.findAddresseeSql));
    const message = {
      id: MESSAGE,
      senderId: USER,
      senderEmail: 'a@b',
      receiverEmail: null,
      source: 's',
      topic: 't',
      severity: Severity.Info,
      returnCode: 'r',
      additionalData: null,
      additionalDataIsObject: false,
      correlationId: null,
      createdBy: USER,
    };
    for (const receiverType of [ReceiverType.User, ReceiverType.Group]) {
      await repository.insertMessage(new Transaction(manager), { ...message, receiverType, receiverId: USER }, { unreadEmail: true, unreadBrowser: false });
      expect(last().sql).toBe(insertMessageSql(receiverType));
      expect(last().params).toEqual([MESSAGE, USER, 'a@b', receiverType, USER, null, 's', 't', 'Info', 'r', null, null, USER, true, false, false]);
    }
  });

  it('seeds the requested number of messages with generate_series', () => {
    const sql = bench.seedUserMessagesSql(1_000_000);
    expect(sql).toContain('generate_series(1, 1000000)');
    expect(sql).toContain('THEN 1 ELSE 2 + (g % 9999)');
    expect(bench.seedUserMessagesSql(10_000)).toContain('WHEN g <= 10000');
    // The heavy user's sent lists: 1 in 100 to users (with the main seed's) and as many to groups, at least 1,000 each.
    expect(bench.seedHeavySenderSql(1_000_000)).toContain('generate_series(1, 10100) g');
    expect(bench.seedHeavySenderSql(10_000)).toContain('generate_series(1, 2000) g');
  });
});
