import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { UserMessageResponseDto } from './dto/user-message-response.dto';
import { DEFAULT_LIMIT, encodeCursor, MAX_CURSOR_LENGTH, MAX_LIMIT, nextLink, Page } from './paging';

export const PAGED_LIST_DESCRIPTION = 'Newest first. When more follow, `Link: <…>; rel="next"` points to the next page.';

/** The `Link` response header of a paged list, for its OpenAPI 200 response. */
export const PAGE_LINK_HEADER = {
  Link: { description: 'Present when more follow: `<path?…&cursor=…>; rel="next"`', schema: { type: 'string' } },
};

export function PagingQueries() {
  return applyDecorators(
    ApiQuery({
      name: 'limit',
      required: false,
      description: `Page size, 1–${MAX_LIMIT} (default ${DEFAULT_LIMIT})`,
      schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
    }),
    ApiQuery({
      name: 'cursor',
      required: false,
      description: "Opaque; take it from the previous page's Link header",
      schema: { type: 'string', pattern: '^[A-Za-z0-9_-]+$', maxLength: MAX_CURSOR_LENGTH },
    }),
  );
}

/** Sends the page as a bare array and announces the next one in the Link header, keeping `keep` query parameters. */
export function sendPage(reply: FastifyReply, page: Page, keep: Record<string, string | undefined>): UserMessageResponseDto[] {
  if (page.next) reply.header('Link', nextLink(reply.request.url.split('?')[0], keep, encodeCursor(page.next)));
  return page.items;
}
