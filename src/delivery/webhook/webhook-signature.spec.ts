import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhook } from './webhook-signature';

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
