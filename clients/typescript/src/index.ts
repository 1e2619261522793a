export { createClient } from './client';
export type { CaseMessage, ClientOptions, ConfirmResult, CreateCaseMessage, CreateUserMessage, FeedOptions, GroupSentMessage, MessagingClient, PageOptions, UserMessage } from './client';
export * from './errors';
export { afterIdLoop, followLinks, nextCursor } from './pagination';
export type { AuthStyle, RetryOptions, TransportOptions } from './transport';
export { verifyWebhook, WebhookVerificationError } from './webhooks';
export type { VerifiedWebhook, VerifyOptions } from './webhooks';
export type { components, operations, paths } from './schema';
