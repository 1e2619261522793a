import { validateDto } from '../common/validate-dto';
import { checkDashboardContent } from './additional-data';
import { bindBody, isPlainObject, pickKeys, Plain } from './dotnet-binding';
import { CreateUserMessageDto } from './dto/create-user-message.dto';

// Lower-cased input key → the DTO's property. Anything else (including `id` and `timestamp`) is dropped.
const MESSAGE_KEYS: Record<string, keyof CreateUserMessageDto> = {
  receiver: 'receiver',
  sender: 'sender',
  source: 'source',
  topic: 'topic',
  severity: 'severity',
  returncode: 'returnCode',
  unreademail: 'unreadEmail',
  unreadbrowsernotification: 'unreadBrowserNotification',
  additionaldata: 'additionalData',
  correlationid: 'correlationId',
};
const PARTY_KEYS: Record<string, 'id' | 'email'> = { id: 'id', email: 'email' };


/**
 * The original .NET service bound JSON case-insensitively and ignored unknown keys; the global
 * strict pipe would reject both, so the create body is normalised here first, at every level.
 */
export function normalizeCreateBody(raw: unknown): Plain {
  const body = bindBody(raw, MESSAGE_KEYS);
  for (const party of ['receiver', 'sender'] as const) {
    if (isPlainObject(body[party])) body[party] = pickKeys(body[party], PARTY_KEYS);
  }
  return bindLikeDotNet(body);
}

const BOOLEAN_KEYS = ['unreadEmail', 'unreadBrowserNotification'] as const;

/**
 * The values .NET's binding read for the types it bound to: `""` for an optional Guid is no value, and
 * the strings "true" and "false" (any case) are booleans. Nothing else is converted: `1`, `"yes"` or an
 * empty string for a boolean still fail validation.
 */
function bindLikeDotNet(body: Plain): Plain {
  if (body.correlationId === '') delete body.correlationId;
  for (const key of BOOLEAN_KEYS) {
    const value = body[key];
    if (typeof value === 'string' && /^(true|false)$/i.test(value)) body[key] = value.toLowerCase() === 'true';
  }
  return body;
}

/** Normalises, then validates with the DTO's class-validator rules; 400 names the first bad field. */
export function parseCreateBody(raw: unknown): CreateUserMessageDto {
  const dto = validateDto(CreateUserMessageDto, normalizeCreateBody(raw));
  checkDashboardContent(dto.additionalData);
  return dto;
}
