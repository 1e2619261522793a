import { CaseMessageRow } from './case-message.entity';
import { CaseMessageType } from './case-messages.enums';
import { assertSameRequest, differingField, distinctIds, MessageDraft, toDraft } from './case-messages.service';

const stored = {
  content: 'original',
  type: CaseMessageType.ServiceComment,
  parentMessageId: null,
  userEmail: 'a@example.com',
  userName: null,
  isInternal: false,
  declaredAt: '2020-01-01T00:00:00.000Z',
} as unknown as CaseMessageRow;

const draft = (overrides: Partial<MessageDraft> = {}): MessageDraft => ({
  guid: 'g',
  type: 'serviceComment',
  content: 'original',
  externalId: 'x',
  parentMessageId: null,
  userEmail: 'a@example.com',
  userName: null,
  declaredAt: null,
  isInternal: false,
  ...overrides,
});

describe('idempotent create rules', () => {
  it('accepts a retry that repeats the original, with or without declaredAt', () => {
    expect(differingField(stored, draft())).toBeUndefined();
    expect(differingField(stored, draft({ declaredAt: new Date('2020-01-01T00:00:00Z') }))).toBeUndefined();
  });

  it.each([
    ['content', { content: 'other' }],
    ['content', { content: null }],
    ['type', { type: 'reminder' }],
    ['parentMessageId', { parentMessageId: 5 }],
    ['userEmail', { userEmail: null }],
    ['userName', { userName: 'N' }],
    ['declaredAt', { declaredAt: new Date('2020-01-01T00:00:00.001Z') }],
    ['isInternal', { isInternal: true }],
  ])('names %s when the retry differs there', (field, overrides) => {
    expect(differingField(stored, draft(overrides as Partial<MessageDraft>))).toBe(field);
    expect(() => assertSameRequest(stored, draft(overrides as Partial<MessageDraft>))).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });

  it('normalises the body: absent → null, guid lower-cased, empty externalId → none', () => {
    expect(toDraft({ guid: 'ABC', type: CaseMessageType.Reminder, externalId: '' })).toEqual({
      guid: 'abc',
      type: 'reminder',
      content: null,
      externalId: null,
      parentMessageId: null,
      userEmail: null,
      userName: null,
      declaredAt: null,
      isInternal: false,
    });
    expect(toDraft({ guid: 'a', type: CaseMessageType.Reminder, isInternal: true }).isInternal).toBe(true);
    expect(toDraft({ guid: 'a', type: CaseMessageType.Reminder, declaredAt: '2017-07-25T10:12:54.003Z' }).declaredAt?.toISOString()).toBe('2017-07-25T10:12:54.003Z');
  });
});

describe('distinctIds', () => {
  it('keeps the first occurrence of repeated ids, in order', () => {
    expect(distinctIds([3, 1, 3, 2, 1])).toEqual([3, 1, 2]);
  });
});
