import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, ValidateBy } from 'class-validator';
import { DomainError } from '../common/domain-error';
import { fieldFailure } from '../common/validation-message';
import { isPlainObject } from './dotnet-binding';

/** A text of at most this many characters, or an object at most this many bytes as JSON. */
export const MAX_ADDITIONAL_DATA_LENGTH = 65_536;

/** The dashboard content Bimplus portals render: a title and a text, with an optional picture and link. */
export interface DashboardContent {
  title: string;
  content: string;
  imageBase64?: string | null;
  pictureLink?: string | null;
  messageLink?: string | null;
  [key: string]: unknown;
}

/** A message's `additionalData` as the client gave it: a text, a dashboard content object, or none. */
export type AdditionalData = string | DashboardContent | null;

/** How a message row holds it: the text, or the object as JSON with `additionalDataIsObject` set. */
export interface StoredAdditionalData {
  additionalData: string | null;
  additionalDataIsObject: boolean;
}

const OPTIONAL_TEXTS = ['imageBase64', 'pictureLink', 'messageLink'] as const;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** A data: URL prefix is what a browser's FileReader gives; the rest must still be base64. */
const DATA_URL_PREFIX = /^data:image\/[a-z0-9.+-]+;base64,/i;

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * The shape check of a body field holding additional data: a text up to the limit or an object up to the
 * limit as JSON (its fields are checked by checkDashboardContent, which names them).
 */
export function AdditionalDataField({ optional }: { optional: boolean }) {
  return applyDecorators(
    ApiProperty({
      required: !optional,
      nullable: optional,
      description: `A text (≤ ${MAX_ADDITIONAL_DATA_LENGTH} characters) or a dashboard content object (≤ 64 KiB as JSON), returned as given`,
      oneOf: [
        { type: 'string', maxLength: MAX_ADDITIONAL_DATA_LENGTH },
        {
          type: 'object',
          required: ['title', 'content'],
          properties: {
            title: { type: 'string' },
            content: { type: 'string' },
            imageBase64: { type: 'string', nullable: true, format: 'byte' },
            pictureLink: { type: 'string', nullable: true, format: 'uri', description: 'http(s)' },
            messageLink: { type: 'string', nullable: true, description: 'http(s), or a path starting with /' },
          },
        },
      ],
    }),
    ...(optional ? [IsOptional()] : []),
    ValidateBy(
      {
        name: 'isAdditionalData',
        validator: {
          validate: (value) =>
            (typeof value === 'string' && value.length <= MAX_ADDITIONAL_DATA_LENGTH) ||
            (isPlainObject(value) && Buffer.byteLength(JSON.stringify(value)) <= MAX_ADDITIONAL_DATA_LENGTH),
        },
      },
      { message: `$property must be a text of at most ${MAX_ADDITIONAL_DATA_LENGTH} characters or an object of at most 64 KiB as JSON` },
    ),
  );
}

/** A 400 naming the first bad field of a dashboard content object; texts and null pass. */
export function checkDashboardContent(value: unknown, field = 'additionalData'): void {
  if (!isPlainObject(value)) return;
  const fail = (key: string, reason: string): never => {
    throw new DomainError('INVALID', fieldFailure(`${field}.${key}`, reason));
  };
  for (const key of ['title', 'content']) {
    if (value[key] === undefined || value[key] === null) fail(key, 'is required');
    if (typeof value[key] !== 'string') fail(key, 'must be a string');
  }
  for (const key of OPTIONAL_TEXTS) {
    if (value[key] !== undefined && value[key] !== null && typeof value[key] !== 'string') fail(key, 'must be a string');
  }
  const image = value.imageBase64 as string | null | undefined;
  if (image && !BASE64.test(image.replace(DATA_URL_PREFIX, ''))) fail('imageBase64', 'must be base64');
  const picture = value.pictureLink as string | null | undefined;
  if (picture && !isHttpUrl(picture)) fail('pictureLink', 'must be an http or https URL');
  const link = value.messageLink as string | null | undefined;
  // A portal renders it as a link: `javascript:` or another scheme would run or leave in the user's browser.
  if (link && !isHttpUrl(link) && !/^\/(?!\/)/.test(link)) fail('messageLink', 'must be an http or https URL, or a path starting with /');
}

export function storeAdditionalData(value: AdditionalData | undefined): StoredAdditionalData {
  if (value === undefined || value === null) return { additionalData: null, additionalDataIsObject: false };
  if (typeof value === 'string') return { additionalData: value, additionalDataIsObject: false };
  return { additionalData: JSON.stringify(value), additionalDataIsObject: true };
}

export function readAdditionalData(stored: StoredAdditionalData): AdditionalData {
  if (stored.additionalData === null || !stored.additionalDataIsObject) return stored.additionalData;
  return JSON.parse(stored.additionalData) as DashboardContent;
}

/** The text an e-mail shows for it: the text itself, or the object's title and content. */
export function additionalDataText(data: AdditionalData): string | null {
  return data === null || typeof data === 'string' ? data : `${data.title}\n\n${data.content}`;
}
