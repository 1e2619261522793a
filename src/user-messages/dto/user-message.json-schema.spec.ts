import { serializeWithRouteSchema } from '../../../test/support/route-schema';
import { toUserMessageResponse, UserMessageView } from '../user-message.mapper';
import { ReceiverType, Severity } from '../user-messages.enums';
import { CREATED_USER_MESSAGE, ONE_USER_MESSAGE, USER_MESSAGE_PAGE } from './user-message.json-schema';

const full: UserMessageView = {
  id: '4633d522-53aa-4d81-90b4-704681e0573d',
  senderId: '1110ac3b-fa49-e540-ac2f-8caff3dd72ed',
  senderEmail: 'customer1@bimplus.net',
  receiverType: ReceiverType.User,
  receiverId: '1e2223bf-fa49-e540-ac2f-8caff3dd72ed',
  receiverEmail: 'customer2@bimplus.net',
  source: 'Service "Name" \\ </script>',
  topic: 'SKETCHUP_JOB 🔧',
  severity: Severity.Warning,
  returnCode: 'FILE_TOO_BIG\n\u2028',
  timestamp: '2013-11-15T10:55:53.000Z',
  additionalData: '{"file":"a.skp","size":1}',
  additionalDataIsObject: false,
  correlationId: 'c-1',
  unreadEmail: false,
  unreadBrowser: true,
};
const groupWithoutSender: UserMessageView = {
  ...full,
  senderId: null,
  senderEmail: null,
  receiverType: ReceiverType.Group,
  receiverEmail: null,
  additionalData: null,
  correlationId: null,
};

describe('user message response schema', () => {
  it.each([
    ['a message with every field set', full],
    ['a group message without sender, every nullable field null', groupWithoutSender],
    ['a sender without e-mail', { ...full, senderEmail: null }],
  ])('serializes %s exactly as JSON.stringify does', async (_name, view) => {
    const wire = toUserMessageResponse(view);
    expect((await serializeWithRouteSchema(ONE_USER_MESSAGE, wire)).body).toBe(JSON.stringify(wire));
    expect((await serializeWithRouteSchema(USER_MESSAGE_PAGE, [wire, wire])).body).toBe(JSON.stringify([wire, wire]));
  });

  it('describes the 201 of create with the same shape', () => {
    expect(CREATED_USER_MESSAGE.response).toEqual({ 201: (ONE_USER_MESSAGE.response as Record<number, unknown>)[200] });
  });

  it('fails loudly instead of dropping a key the mapper no longer fills', async () => {
    const { correlationId: _dropped, ...incomplete } = toUserMessageResponse(full);
    expect((await serializeWithRouteSchema(ONE_USER_MESSAGE, incomplete)).statusCode).toBe(500);
  });
});
