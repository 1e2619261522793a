import { Injectable } from '@nestjs/common';
import { AccountPrincipal } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { parseTimestamp } from '../common/iso-timestamp';
import { fieldFailure } from '../common/validation-message';
import { DeliveryOutbox } from '../delivery/delivery-outbox.service';
import { CaseMessageRow } from './case-message.entity';
import { toCaseMessageResponse } from './case-message.mapper';
import { DEFAULT_FEED_PAGE_SIZE } from './case-messages.constants';
import { CaseMessagesRepository, MessageDraft } from './case-messages.repository';
import { FeedQueryDto, ListCaseMessagesQueryDto } from './dto/case-message-query.dto';
import { CaseMessageResponseDto, ConfirmResponseDto } from './dto/case-message-response.dto';
import { CreateCaseMessageDto } from './dto/create-case-message.dto';

export type { MessageDraft } from './case-messages.repository';

/**
 * The rules of v3 case messages. Each request is one SQL statement (create's also queues the
 * webhook delivery); see case-messages.sql.ts for the statements.
 */
@Injectable()
export class CaseMessagesService {
  constructor(
    private readonly messages: CaseMessagesRepository,
    private readonly outbox: DeliveryOutbox,
  ) {}

  /**
   * Creates a message, or returns the stored one for a retry with the same externalId. One statement,
   * so no transaction: the message and its webhook delivery commit together or not at all.
   */
  async create(caller: AccountPrincipal, dto: CreateCaseMessageDto): Promise<CaseMessageResponseDto> {
    const draft = toDraft(dto);
    const row = await this.messages.create(caller, draft);
    assertCaseAccess(row);
    if (!row.parentOk) throw new DomainError('INVALID', fieldFailure('parentMessageId', 'must be a message of the same case'));
    const { allowed: _allowed, parentOk: _parentOk, inserted, webhookEventQueued, ...message } = row;
    if (webhookEventQueued) this.outbox.queuedBy(undefined, { deliveries: true });
    if (inserted) return toCaseMessageResponse(message as CaseMessageRow);
    const stored = inserted === false ? (message as CaseMessageRow) : await this.findByExternalId(caller, draft);
    assertSameRequest(stored, draft);
    return toCaseMessageResponse(stored);
  }

  /** Messages of one case in id order. */
  async list(caller: AccountPrincipal, query: ListCaseMessagesQueryDto): Promise<CaseMessageResponseDto[]> {
    const rows = await this.messages.list(caller, {
      guid: query.guid.toLowerCase(),
      afterId: query.afterId ?? 0,
      unconfirmedOnly: query.unconfirmed === true,
      limit: query.limit ?? null,
    });
    assertCaseAccess(rows[0]);
    return rows[0].id === null ? [] : (rows as CaseMessageRow[]).map(toCaseMessageResponse);
  }

  /** What the other side (or the system) sent on any of the caller's cases, after a cursor. */
  async feed(caller: AccountPrincipal, query: FeedQueryDto): Promise<CaseMessageResponseDto[]> {
    const rows = await this.messages.feed(caller, { afterId: query.afterId ?? 0, unconfirmedOnly: query.unconfirmed === true, limit: query.limit ?? DEFAULT_FEED_PAGE_SIZE });
    return rows.map(toCaseMessageResponse);
  }

  /** Confirms every id it can in one statement; per-id problems are reported, never thrown. */
  async confirm(caller: AccountPrincipal, ids: number[]): Promise<ConfirmResponseDto> {
    const rows = await this.messages.confirm(caller, distinctIds(ids));
    if (rows[0]?.webhookEventQueued) this.outbox.queuedBy(undefined, { deliveries: true });
    const result: ConfirmResponseDto = { success: true, errors: [], data: { confirmed: [], alreadyConfirmed: [] } };
    for (const row of rows) {
      if (row.error) result.errors.push({ id: row.id, message: row.error });
      else if (row.confirmed) result.data.confirmed.push(row.id);
      else result.data.alreadyConfirmed.push(row.id);
    }
    return result;
  }

  /** The twin that won the unique index after our statement's snapshot was taken. */
  private async findByExternalId(caller: AccountPrincipal, draft: MessageDraft): Promise<CaseMessageRow> {
    const stored = await this.messages.findByExternalId(caller, draft.guid, draft.externalId);
    // Only possible if the twin was deleted in between; asking the client to retry is honest.
    if (!stored) throw new DomainError('CONFLICT', 'A concurrent request with this externalId did not complete; retry');
    return stored;
  }
}

export function toDraft(dto: CreateCaseMessageDto): MessageDraft {
  return {
    guid: dto.guid.toLowerCase(),
    type: dto.type,
    content: dto.content ?? null,
    // An empty reference cannot identify anything; treating it as a key would merge unrelated messages.
    externalId: dto.externalId ? dto.externalId : null,
    parentMessageId: dto.parentMessageId ?? null,
    userEmail: dto.userEmail ?? null,
    userName: dto.userName ?? null,
    // Validated by IsZonedTimestamp, which parses it the same way.
    declaredAt: dto.declaredAt ? new Date(parseTimestamp(dto.declaredAt) as string) : null,
    isInternal: dto.isInternal === true,
  };
}

/** Distinct ids in first-seen order: a repeated id is processed (and reported) once. */
export function distinctIds(ids: number[]): number[] {
  return [...new Set(ids)];
}

/** No row: no case with that guid; a row not `allowed`: the caller is neither of its parties. */
function assertCaseAccess<T extends { allowed: boolean }>(row: T | undefined): asserts row is T {
  if (!row) throw new DomainError('NOT_FOUND', 'Case not found');
  if (!row.allowed) throw new DomainError('FORBIDDEN', 'No access');
}

/** A retry must repeat the original; a different body under the same externalId is a 409. */
export function assertSameRequest(stored: CaseMessageRow, draft: MessageDraft): void {
  const field = differingField(stored, draft);
  if (field) {
    throw new DomainError('CONFLICT', `A message with externalId "${draft.externalId}" already exists on this case with a different ${field}`);
  }
}

export function differingField(stored: CaseMessageRow, draft: MessageDraft): keyof MessageDraft | undefined {
  const fields = ['content', 'type', 'parentMessageId', 'userEmail', 'userName', 'isInternal'] as const;
  const field = fields.find((name) => stored[name] !== draft[name]);
  if (field) return field;
  if (draft.declaredAt && stored.declaredAt !== draft.declaredAt.toISOString()) return 'declaredAt';
  return undefined;
}
