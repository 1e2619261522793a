import { DeliveryStatus } from './delivery.enums';
import { backoffSeconds, nextStatus, RetryPolicy } from './delivery-retry';

describe('nextStatus', () => {
  const policy: RetryPolicy = { maxAttempts: 8, retryHours: 24, backoffBaseSeconds: 5 };
  const now = Date.parse('2026-11-23T12:00:00Z');
  const queuedAgo = (hours: number) => new Date(now - hours * 3_600_000);
  const failedAttempt = { ok: false, latencyMs: 3, error: 'connect ECONNREFUSED' };

  it('sends, cancels, and fails a permanent error at once', () => {
    expect(nextStatus({ attempts: 1, createdAt: queuedAgo(0) }, { ok: true, latencyMs: 1 }, policy, now)).toBe(DeliveryStatus.Sent);
    expect(nextStatus({ attempts: 1, createdAt: queuedAgo(0) }, { ok: false, cancelled: true, latencyMs: 0 }, policy, now)).toBe(DeliveryStatus.Cancelled);
    expect(nextStatus({ attempts: 1, createdAt: queuedAgo(0) }, { ...failedAttempt, permanent: true }, policy, now)).toBe(DeliveryStatus.Failed);
  });

  it('keeps retrying after the last counted attempt until the delivery is retryHours old (an outage of an hour loses nothing)', () => {
    expect(nextStatus({ attempts: 8, createdAt: queuedAgo(1) }, failedAttempt, policy, now)).toBe(DeliveryStatus.Pending);
    expect(nextStatus({ attempts: 30, createdAt: queuedAgo(23.9) }, failedAttempt, policy, now)).toBe(DeliveryStatus.Pending);
    expect(nextStatus({ attempts: 30, createdAt: queuedAgo(24) }, failedAttempt, policy, now)).toBe(DeliveryStatus.Failed);
  });

  it('needs the attempts too: an old delivery tried only a few times is tried again', () => {
    expect(nextStatus({ attempts: 2, createdAt: queuedAgo(48) }, failedAttempt, policy, now)).toBe(DeliveryStatus.Pending);
  });

  it('with retryHours 0 gives up on the attempts alone', () => {
    expect(nextStatus({ attempts: 8, createdAt: queuedAgo(0) }, failedAttempt, { ...policy, retryHours: 0 }, now)).toBe(DeliveryStatus.Failed);
    expect(nextStatus({ attempts: 7, createdAt: queuedAgo(0) }, failedAttempt, { ...policy, retryHours: 0 }, now)).toBe(DeliveryStatus.Pending);
  });
});

describe('backoffSeconds', () => {
  it('doubles from the base and caps at an hour', () => {
    expect([1, 2, 3, 4].map((n) => backoffSeconds(n, 5))).toEqual([5, 10, 20, 40]);
    expect(backoffSeconds(20, 5)).toBe(3600);
  });
});
