/** The cursor of `Link: <…&cursor=…>; rel="next"`, or undefined on the last page. */
export function nextCursor(link: string | null): string | undefined {
  for (const part of link?.split(',') ?? []) {
    const match = /<([^>]*)>\s*;\s*rel="?next"?/.exec(part);
    if (match) return new URL(match[1], 'http://link.invalid').searchParams.get('cursor') ?? undefined;
  }
  return undefined;
}

/** Every item of a `Link`-paged list (v2): one request per page, the next only when the caller wants more. */
export async function* followLinks<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; link: string | null }>): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const { items, link } = await page(cursor);
    yield* items;
    cursor = nextCursor(link);
  } while (cursor);
}

/**
 * Every item of an id-ordered feed (v3 `afterId`): the next page starts after the last id seen; a short
 * page is the end. Stop and resume at any time from the last id you stored.
 */
export async function* afterIdLoop<T extends { id: number }>(afterId: number, limit: number, page: (afterId: number) => Promise<T[]>): AsyncGenerator<T> {
  for (;;) {
    const items = await page(afterId);
    yield* items;
    if (items.length < limit) return;
    afterId = items[items.length - 1].id;
  }
}
