export const FILTER_OPERATORS = ['=', '!=', '<', '<=', '>', '>='] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export type FilterProperty =
  | 'id'
  | 'sender.id'
  | 'sender.email'
  | 'receiver.id'
  | 'receiver.email'
  | 'source'
  | 'topic'
  | 'severity'
  | 'returnCode'
  | 'timestamp'
  | 'correlationId'
  | 'unreadEmail'
  | 'unreadBrowserNotification'
  | 'unread';

export type FilterValueType = 'uuid' | 'string' | 'email' | 'severity' | 'timestamp' | 'boolean';

/** A parsed, typed clause. `value` is null only for the literal `null` on a nullable property. */
export interface FilterClause {
  property: FilterProperty;
  operator: FilterOperator;
  type: FilterValueType;
  /** uuid: lower-cased; timestamp: ISO UTC; severity: canonical; boolean: true/false. */
  value: string | boolean | null;
  /** The clause as the caller wrote it, for error messages. */
  text: string;
}

/** A filter the caller got wrong; the message names the clause. Mapped to 400 by the service. */
export class FilterError extends Error {}
