import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { signStandardWebhook, signWebhook, verifyWebhook, whsecProblem } from './webhook-signature';

describe('signWebhook', () => {
  it('is the hex HMAC-SHA256 of timestamp.body', () => {
    const expected = createHmac('sha256', 's3cret').update('1700000000.{"a":1}').digest('hex');
    expect(signWebhook('s3cret', 1700000000, '{"a":1}')).toBe(`sha256=${expected}`);
  });

  it('verifies its own signature and rejects a changed body, timestamp or secret', () => {
    const signature = signWebhook('s3cret', 1700000000, 'body');
    expect(verifyWebhook('s3cret', '1700000000', 'body', signature)).toBe(true);
    expect(verifyWebhook('s3cret', '1700000000', 'body!', signature)).toBe(false);
    expect(verifyWebhook('s3cret', '1700000001', 'body', signature)).toBe(false);
    expect(verifyWebhook('other', '1700000000', 'body', signature)).toBe(false);
  });
});

describe('signStandardWebhook', () => {
  const whsec = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

  it('signs id.timestamp.body as the standardwebhooks library does, for a whsec_ secret and a plain one', () => {
    const at = new Date(1700000000 * 1000);
    expect(signStandardWebhook(whsec, 'msg_1', 1700000000, '{"a":1}')).toBe(new Webhook(whsec).sign('msg_1', at, '{"a":1}'));
    expect(signStandardWebhook('plain-secret-0123456789', 'msg_1', 1700000000, 'ü')).toBe(new Webhook('plain-secret-0123456789', { format: 'raw' }).sign('msg_1', at, 'ü'));
  });

  it('refuses a whsec_ secret that is not base64 of 24 to 64 bytes, and nothing else', () => {
    expect(whsecProblem(whsec)).toBeUndefined();
    expect(whsecProblem('any-other-secret-of-16')).toBeUndefined();
    expect(whsecProblem(`whsec_${Buffer.alloc(16).toString('base64')}`)).toMatch(/24 to 64 bytes/);
    expect(whsecProblem(`whsec_${Buffer.alloc(65).toString('base64')}`)).toMatch(/24 to 64 bytes/);
    expect(whsecProblem('whsec_not base64 at all, not at all!')).toMatch(/base64/);
  });
});
