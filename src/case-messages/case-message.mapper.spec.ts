import { CaseMessageRow } from './case-message.entity';
import { toCaseMessageResponse } from './case-message.mapper';
import { CaseMessageType, SenderType } from './case-messages.enums';

function message(overrides: Partial<CaseMessageRow> = {}): CaseMessageRow {
  return {
    id: 1,
    caseId: 7748,
    caseGuid: '1e0abcb7-b94c-4072-a9c0-37072a1ef015',
    partnerAccountId: 1009,
    providerAccountId: 1010,
    senderAccountId: 1009,
    senderType: SenderType.Partner,
    parentMessageId: null,
    type: CaseMessageType.ServiceComment,
    content: 'Test message',
    externalId: 'test-42',
    userEmail: null,
    userName: null,
    isInternal: false,
    declaredAt: '2017-07-25T10:12:54.003Z',
    confirmedAt: null,
    confirmedByAccountId: null,
    createdAt: '2017-07-26T14:02:02.170Z',
    updatedAt: '2017-07-26T14:02:02.170Z',
    ...overrides,
  };
}

describe('toCaseMessageResponse', () => {
  it("gives the seed's example output, plus the v3 extras (null, and isInternal false)", () => {
    expect(toCaseMessageResponse(message())).toStrictEqual({
      id: 1,
      caseId: 7748,
      guid: '1e0abcb7-b94c-4072-a9c0-37072a1ef015',
      senderAccountId: 1009,
      senderType: 'partner',
      content: 'Test message',
      type: 'serviceComment',
      externalId: 'test-42',
      confirmedAt: null,
      createdAt: '2017-07-26T14:02:02.170Z',
      updatedAt: '2017-07-26T14:02:02.170Z',
      declaredAt: '2017-07-25T10:12:54.003Z',
      parentMessageId: null,
      userEmail: null,
      userName: null,
      isInternal: false,
    });
  });

  it('never leaks internal columns (parties, confirming account)', () => {
    const keys = Object.keys(toCaseMessageResponse(message({ confirmedByAccountId: 1010 })));
    expect(keys).not.toContain('partnerAccountId');
    expect(keys).not.toContain('confirmedByAccountId');
    expect(keys).not.toContain('caseGuid');
  });

  it('passes the row\'s ISO timestamps through and keeps a system sender as null', () => {
    const out = toCaseMessageResponse(message({ confirmedAt: '2020-01-02T03:04:05.000Z', senderAccountId: null, senderType: null }));
    expect(out.confirmedAt).toBe('2020-01-02T03:04:05.000Z');
    expect(out.senderAccountId).toBeNull();
    expect(out.senderType).toBeNull();
  });
});
