/** The Case Messages API's limits: field lengths, page sizes, ids per confirm. */
export const MAX_CONTENT_LENGTH = 100_000;
export const MAX_REFERENCE_LENGTH = 512;
export const MAX_TYPE_LENGTH = 32;
export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_FEED_PAGE_SIZE = 100;
export const MAX_CONFIRM_IDS = 1000;
