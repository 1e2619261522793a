import { toUserMessageResponse, UserMessageView } from './user-message.mapper';
import { ReceiverType, Severity } from './user-messages.enums';

const VIEW: UserMessageView = {
  id: '4633d522-53aa-4d81-90b4-704681e0573d',
  senderId: '1110ac3b-fa49-e540-ac2f-8caff3dd72ed',
  senderEmail: 'customer1@bimplus.net',
  receiverType: ReceiverType.User,
  receiverId: '1e2223bf-fa49-e540-ac2f-8caff3dd72ed',
  receiverEmail: 'customer2@bimplus.net',
  source: 'ServiceName',
  topic: 'SKETCHUP_JOB',
  severity: Severity.Warning,
  returnCode: 'FILE_TOO_BIG',
  timestamp: '2013-11-15T10:55:53.000Z',
  additionalData: null,
  additionalDataIsObject: false,
  correlationId: null,
  unreadEmail: false,
  unreadBrowser: true,
};

describe('toUserMessageResponse', () => {
  it('spells the wire keys in camelCase, once each', () => {
    expect(toUserMessageResponse(VIEW)).toEqual({
      id: VIEW.id,
      sender: { id: VIEW.senderId, email: 'customer1@bimplus.net' },
      receiver: { id: VIEW.receiverId, email: 'customer2@bimplus.net' },
      receiverType: 'user',
      source: 'ServiceName',
      topic: 'SKETCHUP_JOB',
      severity: 'Warning',
      returnCode: 'FILE_TOO_BIG',
      timestamp: '2013-11-15T10:55:53.000Z',
      unreadEmail: false,
      unreadBrowserNotification: true,
      additionalData: null,
      correlationId: null,
    });
  });

  it('shows a missing sender as null and a group receiver without e-mail', () => {
    const response = toUserMessageResponse({ ...VIEW, senderId: null, senderEmail: null, receiverType: ReceiverType.Group, receiverEmail: null });
    expect(response.sender).toBeNull();
    expect(response.receiver).toEqual({ id: VIEW.receiverId, email: null });
    expect(response.receiverType).toBe('group');
  });
});
