import { serializeWithRouteSchema } from '../../../test/support/route-schema';
import { toCaseMessageResponse } from '../case-message.mapper';
import { CaseMessageRow } from '../case-message.entity';
import { CaseMessageType, SenderType } from '../case-messages.enums';
import { CASE_MESSAGE_LIST, ONE_CASE_MESSAGE } from './case-message.json-schema';

const full: CaseMessageRow = {
  id: 2_147_483_647,
  caseId: 7748,
  caseGuid: '1e0abcb7-b94c-4072-a9c0-37072a1ef015',
  partnerAccountId: 1009,
  providerAccountId: 1010,
  senderAccountId: 1010,
  senderType: SenderType.Provider,
  parentMessageId: 41,
  type: CaseMessageType.CostProposal,
  content: 'Quotes " and \\ backslashes, a line\nbreak, </script>, emoji 🔧 and \u2028',
  externalId: 'ext-1',
  userEmail: 'jane.doe@example.com',
  userName: 'Jane Doe',
  isInternal: true,
  declaredAt: '2017-07-25T10:12:54.003Z',
  confirmedAt: '2017-07-27T08:00:00.000Z',
  confirmedByAccountId: 1009,
  createdAt: '2017-07-26T14:02:02.170Z',
  updatedAt: '2017-07-27T08:00:00.000Z',
};
const system: CaseMessageRow = {
  ...full,
  senderAccountId: null,
  senderType: null,
  parentMessageId: null,
  content: null,
  externalId: null,
  userEmail: null,
  userName: null,
  confirmedAt: null,
  confirmedByAccountId: null,
};

describe('case message response schema', () => {
  it.each([
    ['a message with every field set', full],
    ['a system message with every nullable field null', system],
  ])('serializes %s exactly as JSON.stringify does', async (_name, message) => {
    const wire = toCaseMessageResponse(message);
    expect((await serializeWithRouteSchema(ONE_CASE_MESSAGE, wire)).body).toBe(JSON.stringify(wire));
    expect((await serializeWithRouteSchema(CASE_MESSAGE_LIST, [wire, wire])).body).toBe(JSON.stringify([wire, wire]));
  });

  it('keeps the key order of the mapper (the seed document order)', async () => {
    const wire = toCaseMessageResponse(full);
    expect(Object.keys(JSON.parse((await serializeWithRouteSchema(ONE_CASE_MESSAGE, wire)).body))).toEqual(Object.keys(wire));
  });

  it('fails loudly instead of dropping a key the mapper no longer fills', async () => {
    const { userName: _dropped, ...incomplete } = toCaseMessageResponse(full);
    expect((await serializeWithRouteSchema(ONE_CASE_MESSAGE, incomplete)).statusCode).toBe(500);
  });
});
