import { Injectable } from '@nestjs/common';
import { PreparedStatements } from '../database/prepared-statements';
import { AccountType } from '../directory/directory.enums';
import { CaseMessageRow } from './case-message.entity';
import { CASE_MESSAGE_COLUMNS, CASE_MESSAGE_SOURCE, CONFIRM_SQL, CREATE_SQL, feedSql, FIND_BY_EXTERNAL_ID_SQL, LIST_SQL } from './case-messages.sql';

/** A create request after normalisation: absent fields are null, dates are parsed. */
export interface MessageDraft {
  guid: string;
  type: string;
  content: string | null;
  externalId: string | null;
  parentMessageId: number | null;
  userEmail: string | null;
  userName: string | null;
  declaredAt: Date | null;
  isInternal: boolean;
}

/** The caller as the statements need it. */
export interface CaseCaller {
  accountId: number;
  accountType: AccountType;
}

export type CreateRow = Partial<CaseMessageRow> & { allowed: boolean; parentOk: boolean; inserted: boolean | null; webhookEventQueued: boolean };
export type ListRow = Partial<CaseMessageRow> & { foundCaseId: number; allowed: boolean };
export interface ConfirmRow {
  id: number;
  error: string | null;
  confirmed: boolean;
  /** Whether the batch queued a webhook event (the same on every row). */
  webhookEventQueued: boolean;
}

const FEED_SQL: Record<AccountType, Record<'all' | 'unconfirmed', string>> = {
  [AccountType.Partner]: { all: feedSql(AccountType.Partner, false), unconfirmed: feedSql(AccountType.Partner, true) },
  [AccountType.Provider]: { all: feedSql(AccountType.Provider, false), unconfirmed: feedSql(AccountType.Provider, true) },
};
/**
 * Pauses before reading a feed page again while it ends in rows whose writers (or older ones) are still running:
 * creates take milliseconds, so a reader at the head of the feed still gets them in this request. After the last
 * pause the settled rows alone are the answer; the rest comes with the next read.
 */
const FEED_SETTLE_PAUSES_MS = [5, 25];

type FeedRow = CaseMessageRow & { settled: boolean };

const FIND_BY_ID_SQL = `SELECT ${CASE_MESSAGE_COLUMNS} FROM ${CASE_MESSAGE_SOURCE} WHERE m.id = $1`;

/**
 * The case messages aggregate (messages, confirmations, the unconfirmed queues). Hand-written SQL, one
 * prepared statement per request: each endpoint's access check, write and answer are one round trip
 * (case-messages.sql.ts; the figures are in docs/performance.md).
 */
@Injectable()
export class CaseMessagesRepository {
  constructor(private readonly statements: PreparedStatements) {}

  /** Inserts the message and queues its webhook, or finds the stored one for a retry (`inserted` false). */
  async create(caller: CaseCaller, draft: MessageDraft): Promise<CreateRow | undefined> {
    const [row] = await this.statements.query<CreateRow>(CREATE_SQL, [
      draft.guid,
      caller.accountId,
      caller.accountType,
      draft.type,
      draft.content,
      draft.externalId,
      draft.parentMessageId,
      draft.userEmail,
      draft.userName,
      draft.declaredAt ? draft.declaredAt.toISOString() : null,
      draft.isInternal,
    ]);
    return row;
  }

  /** One case's messages after `afterId`; the first row says whether the case exists and the caller may read it. */
  list(caller: CaseCaller, query: { guid: string; afterId: number; unconfirmedOnly: boolean; limit: number | null }): Promise<ListRow[]> {
    return this.statements.query(LIST_SQL, [query.guid, caller.accountId, query.afterId, query.unconfirmedOnly, query.limit]);
  }

  /** The caller's feed after `afterId`: only rows that no smaller id can still join (feedSql). */
  async feed(caller: CaseCaller, query: { afterId: number; unconfirmedOnly: boolean; limit: number }): Promise<CaseMessageRow[]> {
    const sql = FEED_SQL[caller.accountType][query.unconfirmedOnly ? 'unconfirmed' : 'all'];
    const params = [caller.accountId, query.afterId, query.limit];
    let rows = await this.statements.query<FeedRow>(sql, params);
    for (const pause of FEED_SETTLE_PAUSES_MS) {
      if (rows.every((row) => row.settled)) break;
      await new Promise((resolve) => setTimeout(resolve, pause));
      rows = await this.statements.query<FeedRow>(sql, params);
    }
    const unsettled = rows.findIndex((row) => !row.settled);
    // The wire shape (toCaseMessageResponse) picks its fields, so `settled` goes no further.
    return unsettled === -1 ? rows : rows.slice(0, unsettled);
  }

  confirm(caller: CaseCaller, ids: number[]): Promise<ConfirmRow[]> {
    return this.statements.query(CONFIRM_SQL, [ids, caller.accountId, caller.accountType]);
  }

  async findByExternalId(caller: CaseCaller, guid: string, externalId: string | null): Promise<CaseMessageRow | undefined> {
    const [row] = await this.statements.query<CaseMessageRow>(FIND_BY_EXTERNAL_ID_SQL, [guid, caller.accountId, externalId]);
    return row;
  }

  async findById(id: number): Promise<CaseMessageRow | undefined> {
    const [row] = await this.statements.query<CaseMessageRow>(FIND_BY_ID_SQL, [id]);
    return row;
  }
}
