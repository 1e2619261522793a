import { FastifySchema } from 'fastify';
import { closedObject } from '../../common/json-schema';

const nullable = (type: 'string' | 'integer') => ({ type: [type, 'null'] });

/**
 * CaseMessageResponseDto as a JSON schema, for Fastify's response serializer (fast-json-stringify
 * compiles it into a function that writes the known keys directly, instead of JSON.stringify
 * discovering them on every object). Every key is required: a key missing from the mapper's output
 * fails the request loudly instead of vanishing from the wire. Keep in step with the DTO; the spec
 * next to this file serializes the mapper's output both ways and compares.
 */
export const CASE_MESSAGE_JSON_SCHEMA = closedObject({
  id: { type: 'integer' },
  caseId: { type: 'integer' },
  guid: { type: 'string' },
  senderAccountId: nullable('integer'),
  senderType: nullable('string'),
  content: nullable('string'),
  type: { type: 'string' },
  externalId: nullable('string'),
  confirmedAt: nullable('string'),
  createdAt: { type: 'string' },
  updatedAt: { type: 'string' },
  declaredAt: { type: 'string' },
  parentMessageId: nullable('integer'),
  userEmail: nullable('string'),
  userName: nullable('string'),
});

/** Route schemas (`@RouteSchema`) of the endpoints that answer one message or an array of them. */
export const ONE_CASE_MESSAGE: FastifySchema = { response: { 200: CASE_MESSAGE_JSON_SCHEMA } };
export const CASE_MESSAGE_LIST: FastifySchema = { response: { 200: { type: 'array', items: CASE_MESSAGE_JSON_SCHEMA } } };
