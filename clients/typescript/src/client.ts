import createFetchClient, { Client } from 'openapi-fetch';
import { InvalidRequestError } from './errors';
import { followLinks, afterIdLoop } from './pagination';
import type { components, paths } from './schema';
import { createTransport, TransportOptions } from './transport';

type Schemas = components['schemas'];
export type CaseMessage = Schemas['CaseMessageResponseDto'];
export type CreateCaseMessage = Schemas['CreateCaseMessageDto'];
export type ConfirmResult = Schemas['ConfirmResponseDto'];
export type UserMessage = Schemas['UserMessageResponseDto'];
export type CreateUserMessage = Schemas['CreateUserMessageDto'];
export type GroupSentMessage = Schemas['GroupSentMessageResponseDto'];

export interface ClientOptions extends TransportOptions {
  /** Where the service answers, e.g. `https://messaging.example.com` (no trailing path). */
  baseUrl: string;
}

export interface FeedOptions {
  /** Start after this id (the last one stored); default 0, from the beginning. */
  afterId?: number;
  unconfirmed?: boolean;
  /** Messages per request, 1–1000 (default 100). */
  pageSize?: number;
}

export interface PageOptions {
  /** Messages per request, 1–1000 (default 100). */
  pageSize?: number;
  /** v2 filter, clauses joined by a plain `&` (the client encodes it), e.g. `unread=true&source=Import`. */
  filter?: string;
}

const MAX_PAGE = 1000;
const MAX_CONFIRM_IDS = 1000;
const MAX_INT4 = 2147483647;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The Messaging Service client. `api` is the generated client: every endpoint, typed from openapi.json.
 * `caseMessages` and `userMessages` are the calls integrations make most, returning the data itself,
 * with paging as async iterators.
 */
export function createClient(options: ClientOptions) {
  const baseUrl = checkedBaseUrl(options.baseUrl);
  const api: Client<paths> = createFetchClient<paths>({ baseUrl, fetch: createTransport(options) });
  return { api, caseMessages: caseMessages(api), userMessages: userMessages(api) };
}

export type MessagingClient = ReturnType<typeof createClient>;

function caseMessages(api: Client<paths>) {
  return {
    /** Idempotent by `externalId`: a retry with the same body answers the stored message (and is retried safely). */
    async create(message: CreateCaseMessage): Promise<CaseMessage> {
      checkGuid('guid', message.guid);
      return (await api.POST('/api/v3/case-messages/create', { body: message })).data!;
    },
    async list(guid: string): Promise<CaseMessage[]> {
      checkGuid('guid', guid);
      return (await api.GET('/api/v3/case-messages', { params: { query: { guid } } })).data!;
    },
    /** The export feed from `afterId` on, page after page, until it is drained. */
    feed(options: FeedOptions = {}): AsyncGenerator<CaseMessage> {
      const limit = checkPageSize(options.pageSize);
      checkInt('afterId', options.afterId ?? 0, 0);
      return afterIdLoop(options.afterId ?? 0, limit, async (afterId) => {
        const query = { afterId, limit, ...(options.unconfirmed === undefined ? {} : { unconfirmed: options.unconfirmed }) };
        return (await api.GET('/api/v3/case-messages/feed', { params: { query } })).data!;
      });
    },
    /** Confirms up to 1,000 ids; confirming one again changes nothing, so it is retried safely. */
    async confirm(ids: number[]): Promise<ConfirmResult> {
      if (ids.length === 0 || ids.length > MAX_CONFIRM_IDS) throw new InvalidRequestError(`confirm takes 1 to ${MAX_CONFIRM_IDS} ids (got ${ids.length})`);
      ids.forEach((id, position) => checkInt(`ids[${position}]`, id, 1));
      return (await api.POST('/api/v3/case-messages/confirm', { body: ids })).data!;
    },
  };
}

function userMessages(api: Client<paths>) {
  const pages = <T>(page: (cursor: string | undefined, limit: number) => Promise<{ data?: T[]; response: Response }>, options: PageOptions) => {
    const limit = checkPageSize(options.pageSize);
    return followLinks(async (cursor) => {
      const { data, response } = await page(cursor, limit);
      return { items: data ?? [], link: response.headers.get('link') };
    });
  };
  const query = (cursor: string | undefined, limit: number, filter?: string) => ({ limit, ...(cursor ? { cursor } : {}), ...(filter ? { filter } : {}) });
  return {
    /** Retried safely: the client sends an `Idempotency-Key` (yours, or a new one per call). */
    async create(message: CreateUserMessage, options: { idempotencyKey?: string } = {}): Promise<UserMessage> {
      const key = options.idempotencyKey;
      if (key !== undefined && (key.length < 1 || key.length > 255)) throw new InvalidRequestError('idempotencyKey must be 1 to 255 characters');
      const header = key === undefined ? {} : { 'idempotency-key': key };
      return (await api.POST('/v2/messages', { body: message, params: { header } })).data!;
    },
    async get(id: string): Promise<UserMessage> {
      checkGuid('id', id);
      return (await api.GET('/v2/messages/{id}', { params: { path: { id } } })).data!;
    },
    async delete(id: string): Promise<void> {
      checkGuid('id', id);
      await api.DELETE('/v2/messages/{id}', { params: { path: { id } } });
    },
    /** The user's inbox, newest first, following `Link: rel="next"`. */
    inbox(userId = 'me', options: PageOptions = {}): AsyncGenerator<UserMessage> {
      return pages((cursor, limit) => api.GET('/v2/user/{userId}/messages', { params: { path: { userId }, query: query(cursor, limit) } }), options);
    },
    sent(userId = 'me', options: PageOptions = {}): AsyncGenerator<UserMessage> {
      return pages((cursor, limit) => api.GET('/v2/user/{userId}/messages/sent', { params: { path: { userId }, query: query(cursor, limit) } }), options);
    },
    /** `GET /v2/messages` with a filter, e.g. `{ filter: 'unread=true&source=Import' }`. */
    search(options: PageOptions = {}): AsyncGenerator<UserMessage> {
      return pages((cursor, limit) => api.GET('/v2/messages', { params: { query: query(cursor, limit, options.filter) } }), options);
    },
    async unreadCount(userId = 'me'): Promise<Schemas['UnreadCountDto']> {
      return (await api.GET('/v2/user/{userId}/messages/unreadcount', { params: { path: { userId } } })).data!;
    },
    async markAsReadBrowser(id: string): Promise<UserMessage> {
      checkGuid('id', id);
      return (await api.POST('/v2/messages/{id}/markasreadbrowser', { params: { path: { id } } })).data!;
    },
    async markAllAsReadBrowser(userId = 'me'): Promise<Schemas['MarkAllResultDto']> {
      return (await api.POST('/v2/user/{userId}/messages/markallasreadbrowser', { params: { path: { userId } } })).data!;
    },
  };
}

function checkedBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new InvalidRequestError(`baseUrl must be an absolute http(s) URL (got "${baseUrl}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidRequestError(`baseUrl must be an absolute http(s) URL (got "${baseUrl}")`);
  return url.toString().replace(/\/+$/, '');
}

function checkGuid(field: string, value: unknown): void {
  if (typeof value !== 'string' || !GUID.test(value)) throw new InvalidRequestError(`${field} must be a valid GUID`);
}

function checkInt(field: string, value: unknown, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > MAX_INT4) {
    throw new InvalidRequestError(`${field} must be an integer from ${min} to ${MAX_INT4}`);
  }
}

function checkPageSize(pageSize: number | undefined): number {
  const size = pageSize ?? 100;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) throw new InvalidRequestError(`pageSize must be an integer from 1 to ${MAX_PAGE}`);
  return size;
}
