import { FastifySchema } from 'fastify';
import { closedObject } from '../../common/json-schema';

const PARTY_PROPERTIES = { id: { type: 'string' }, email: { type: ['string', 'null'] } };

/**
 * UserMessageResponseDto as a JSON schema, for Fastify's response serializer (fast-json-stringify
 * writes the known keys directly instead of JSON.stringify discovering them on every object). Every
 * key is required, so a key the mapper stops filling fails the request instead of vanishing from the
 * wire. Keep in step with the DTO; the spec next to this file compares both serializations.
 */
export const USER_MESSAGE_JSON_SCHEMA = closedObject({
  id: { type: 'string' },
  sender: closedObject(PARTY_PROPERTIES, ['object', 'null']),
  receiver: closedObject(PARTY_PROPERTIES),
  receiverType: { type: 'string' },
  source: { type: 'string' },
  topic: { type: 'string' },
  severity: { type: 'string' },
  returnCode: { type: 'string' },
  timestamp: { type: 'string' },
  unreadEmail: { type: 'boolean' },
  unreadBrowserNotification: { type: 'boolean' },
  additionalData: { type: ['string', 'null'] },
  correlationId: { type: ['string', 'null'] },
});

/** Route schemas (`@RouteSchema`) of the endpoints that answer one message or a page of them. */
export const ONE_USER_MESSAGE: FastifySchema = { response: { 200: USER_MESSAGE_JSON_SCHEMA } };
export const CREATED_USER_MESSAGE: FastifySchema = { response: { 201: USER_MESSAGE_JSON_SCHEMA } };
export const USER_MESSAGE_PAGE: FastifySchema = { response: { 200: { type: 'array', items: USER_MESSAGE_JSON_SCHEMA } } };
