import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { ownUserId } from '../auth/own-user-id';
import { UserPrincipal } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { fieldFailure } from '../common/validation-message';
import { Transaction, Transactions } from '../database/transactions';
import { UserRole } from '../directory/directory.enums';
import { DeliveryOutbox } from '../delivery/delivery-outbox.service';
import { StreamEventType } from '../delivery/delivery.enums';
import { CreateUserMessageDto } from './dto/create-user-message.dto';
import { MarkAllResultDto, UnreadCountDto, UserMessageResponseDto } from './dto/user-message-response.dto';
import { isFilterProperty, parseFilter } from './filter/filter-parser';
import { FilterError } from './filter/filter.types';
import { Page, PageRequest } from './paging';
import { toGroupSentResponse, toUserMessageResponse, UserMessageView } from './user-message.mapper';
import { NewMessage, UserMessagesRepository } from './user-messages.repository';
import { storeAdditionalData } from './additional-data';
import { UpdateAdditionalDataDto } from './dto/update-additional-data.dto';
import { canonicalSeverity, ReadChannel, ReceiverType, Severity } from './user-messages.enums';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

const FLAG_COLUMN: Record<ReadChannel, 'unread_email' | 'unread_browser'> = {
  [ReadChannel.Email]: 'unread_email',
  [ReadChannel.Browser]: 'unread_browser',
};

/** The rules of v2 user messages: who may send as whom, who sees what, per-recipient state. */
@Injectable()
export class UserMessagesService {
  constructor(
    private readonly transactions: Transactions,
    private readonly messages: UserMessagesRepository,
    private readonly outbox: DeliveryOutbox,
  ) {}

  async create(caller: UserPrincipal, dto: CreateUserMessageDto, idempotencyKey?: string): Promise<UserMessageResponseDto> {
    const key = checkIdempotencyKey(idempotencyKey);
    const message = await this.buildMessage(caller, dto);
    const flags = { unreadEmail: dto.unreadEmail ?? true, unreadBrowser: dto.unreadBrowserNotification ?? true };
    // Without a key the insert is one statement, atomic on its own; with one, the key's claim and stored
    // response share a transaction with it.
    if (!key) return this.insert(undefined, message, flags);
    return this.transactions.run(async (tx) => {
      const replay = await this.claimIdempotencyKey(tx, caller.userId, key, requestHash(dto, senderKey(caller, message, dto)));
      if (replay) return replay;
      const response = await this.insert(tx, message, flags);
      await this.messages.storeIdempotentResponse(tx, caller.userId, key, 201, response);
      return response;
    });
  }

  /** Writes the message, its recipients and their e-mails and stream events (one statement); the response. */
  private async insert(tx: Transaction | undefined, message: NewMessage, flags: { unreadEmail: boolean; unreadBrowser: boolean }): Promise<UserMessageResponseDto> {
    const { timestamp, recipients } = await this.messages.insertMessage(tx, message, flags);
    const reached = recipients > 0;
    if (reached) this.outbox.queuedBy(tx, { deliveries: flags.unreadEmail, streamEvents: flags.unreadBrowser });
    return toUserMessageResponse({ ...message, timestamp, unreadEmail: reached && flags.unreadEmail, unreadBrowser: reached && flags.unreadBrowser });
  }

  /** Resolves sender and receiver (400/403 before any write) into the row to insert. */
  private async buildMessage(caller: UserPrincipal, dto: CreateUserMessageDto): Promise<NewMessage> {
    const sender = await this.resolveSender(caller, dto);
    const receiverId = dto.receiver.id.toLowerCase();
    const addressee = await this.messages.findAddressee(receiverId);
    if (!addressee) throw new DomainError('INVALID', fieldFailure('receiver.id', 'must be an existing user or group'));
    return {
      id: randomUUID(),
      ...sender,
      receiverType: addressee.type,
      receiverId,
      receiverEmail: addressee.type === ReceiverType.User ? (dto.receiver.email ?? addressee.email) : null,
      source: dto.source,
      topic: dto.topic,
      severity: canonicalSeverity(dto.severity) as Severity,
      returnCode: dto.returnCode,
      ...storeAdditionalData(dto.additionalData),
      correlationId: dto.correlationId?.toLowerCase() ?? null,
      createdBy: caller.userId,
    };
  }

  async get(caller: UserPrincipal, messageId: string): Promise<UserMessageResponseDto> {
    return toUserMessageResponse(await this.requireVisible(caller, messageId));
  }

  /** By the sender: gone for everyone. By a recipient: gone from that recipient's inbox only. */
  async delete(caller: UserPrincipal, messageId: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      const visible = await this.requireVisible(caller, messageId, tx);
      // A concurrent DELETE may have won since requireVisible: the second one is a 404, as the spec says.
      const affected = visible.isSender
        ? await this.messages.deleteForEveryone(tx, messageId)
        : (await this.messages.deleteForRecipient(tx, messageId, caller.userId)) && [caller.userId];
      if (!affected) throw new DomainError('NOT_FOUND', 'Message not found');
      await this.outbox.publishUserEvents(tx, affected.map((userId) => ({ userId, type: StreamEventType.Deleted, messageId })));
    });
  }

  /** Sets the caller's own flag; only recipients have flags, so a sender who is not one gets 403. */
  async mark(caller: UserPrincipal, messageId: string, channel: ReadChannel, unread: boolean): Promise<UserMessageResponseDto> {
    // One statement (the flag, the `updated` event and the answer), atomic on its own.
    const view = await this.messages.setFlag(messageId, caller.userId, FLAG_COLUMN[channel], unread);
    if (!view) {
      await this.requireVisible(caller, messageId);
      throw new DomainError('FORBIDDEN', 'Only a recipient of this message has read flags to set');
    }
    this.outbox.queuedBy(undefined, { streamEvents: true });
    return toUserMessageResponse(view);
  }

  async markAllRead(caller: UserPrincipal, userIdParam: string, channel: ReadChannel): Promise<MarkAllResultDto> {
    const updated = await this.messages.markAllRead(ownUserId(caller, userIdParam), FLAG_COLUMN[channel]);
    if (updated > 0) this.outbox.queuedBy(undefined, { streamEvents: true });
    return { updated };
  }

  async unreadCount(caller: UserPrincipal, userIdParam: string): Promise<UnreadCountDto> {
    return this.messages.countUnread(ownUserId(caller, userIdParam));
  }

  async inbox(caller: UserPrincipal, userIdParam: string, page: PageRequest): Promise<Page> {
    return toPage(await this.messages.inbox(ownUserId(caller, userIdParam), page), page.limit);
  }

  async sent(caller: UserPrincipal, userIdParam: string, page: PageRequest): Promise<Page> {
    return toPage(await this.messages.sent(ownUserId(caller, userIdParam), page), page.limit);
  }

  async groupSent(caller: UserPrincipal, userIdParam: string, page: PageRequest): Promise<Page> {
    const rows = await this.messages.groupSent(ownUserId(caller, userIdParam), page);
    return toPage(rows, page.limit, toGroupSentResponse);
  }

  /** New content for a message, by its sender only; its recipients' open streams get `updated`. */
  async updateAdditionalData(caller: UserPrincipal, messageId: string, dto: UpdateAdditionalDataDto): Promise<UserMessageResponseDto> {
    const stored = storeAdditionalData(dto.additionalData);
    return this.transactions.run(async (tx) => {
      const visible = await this.requireVisible(caller, messageId, tx);
      if (!visible.isSender) throw new DomainError('FORBIDDEN', 'Only the sender of this message may update its content');
      // A DELETE by the sender may have won since requireVisible.
      if (!(await this.messages.updateAdditionalData(tx, messageId, stored))) throw new DomainError('NOT_FOUND', 'Message not found');
      this.outbox.queuedBy(tx, { streamEvents: true });
      return toUserMessageResponse({ ...visible, ...stored });
    });
  }

  async search(caller: UserPrincipal, query: Record<string, unknown>, page: PageRequest): Promise<Page> {
    const filter = query.filter;
    if (filter !== undefined && typeof filter !== 'string') throw new DomainError('INVALID', 'filter must be given once');
    const stray = Object.keys(query).find(isFilterProperty);
    if (stray !== undefined) {
      throw new DomainError('INVALID', `"${stray}" is a filter property, not a query parameter: join the clauses with %26 inside filter (filter=unread=true%26${stray}=…)`);
    }
    let clauses;
    try {
      clauses = parseFilter(filter ?? '');
    } catch (error) {
      if (error instanceof FilterError) throw new DomainError('INVALID', error.message);
      throw error;
    }
    return toPage(await this.messages.search(caller.userId, clauses, page), page.limit);
  }

  private async requireVisible(caller: UserPrincipal, messageId: string, tx?: Transaction) {
    const visible = await this.messages.findVisible(messageId, caller.userId, tx);
    if (!visible) throw new DomainError('NOT_FOUND', 'Message not found');
    return visible;
  }

  /**
   * The caller by default; another sender only for service users, who may also send without one (null). A
   * named sender is an existing user with its own address: a given `sender.email` must be that address.
   */
  private async resolveSender(caller: UserPrincipal, dto: CreateUserMessageDto): Promise<{ senderId: string | null; senderEmail: string | null }> {
    const self = { senderId: caller.userId, senderEmail: caller.email };
    const isService = caller.role === UserRole.Service;
    if (dto.sender === undefined) return self;
    if (dto.sender === null) return isService ? { senderId: null, senderEmail: null } : self;
    const id = dto.sender.id.toLowerCase();
    if (!isService) {
      if (id === caller.userId) return self;
      throw new DomainError('FORBIDDEN', 'Only a service user may name another sender');
    }
    const email = id === caller.userId ? caller.email : await this.messages.findUserEmail(id);
    if (email === undefined) throw new DomainError('INVALID', fieldFailure('sender.id', 'must be an existing user'));
    if (dto.sender.email && dto.sender.email.toLowerCase() !== email.toLowerCase()) {
      throw new DomainError('INVALID', fieldFailure('sender.email', "must be the sender's own address"));
    }
    return { senderId: id, senderEmail: email };
  }

  /** Claims the key for this request, or returns the first result stored under it (409 for another body). */
  private async claimIdempotencyKey(tx: Transaction, callerId: string, key: string, hash: string): Promise<UserMessageResponseDto | undefined> {
    const stored = await this.messages.claimIdempotencyKey(tx, callerId, key, hash);
    if (!stored) return undefined;
    if (stored.requestHash !== hash) throw new DomainError('CONFLICT', 'Idempotency-Key was already used with a different request body');
    return stored.response as UserMessageResponseDto;
  }
}

function checkIdempotencyKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new DomainError('INVALID', `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  }
  return key;
}

/**
 * The sender as the request means it: the caller, however it was said (no `sender`, or the caller's own id), is
 * one value, so a retry that spells out the default is the same request. Another sender is taken as given, not
 * with the address looked up for it, so the hash never depends on the directory.
 */
function senderKey(caller: UserPrincipal, message: NewMessage, dto: CreateUserMessageDto): unknown {
  if (message.senderId === caller.userId && message.senderEmail === caller.email) return 'default';
  if (message.senderId === null) return null;
  return [message.senderId, dto.sender?.email ?? null];
}

/** The request as it was understood (after key normalisation), so `returncode` and `returnCode` hash alike. */
function requestHash(dto: CreateUserMessageDto, sender: unknown): string {
  const canonical = [
    dto.receiver.id.toLowerCase(),
    dto.receiver.email ?? null,
    sender,
    dto.source,
    dto.topic,
    canonicalSeverity(dto.severity),
    dto.returnCode,
    dto.unreadEmail ?? true,
    dto.unreadBrowserNotification ?? true,
    dto.additionalData ?? null,
    dto.correlationId?.toLowerCase() ?? null,
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

function toPage<V extends UserMessageView>(rows: V[], limit: number, toResponse: (view: V) => UserMessageResponseDto = toUserMessageResponse): Page {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const next = rows.length > limit && last ? { timestamp: last.timestamp, id: last.id } : undefined;
  return { items: items.map(toResponse), next };
}
