import { Waker } from './waker';

describe('Waker', () => {
  it('ends a sleep early when woken', async () => {
    const waker = new Waker();
    let woke = false;
    const sleeping = waker.sleep(60_000).then(() => (woke = true));
    waker.wake();
    await sleeping;
    expect(woke).toBe(true);
  });

  it('wakes every sleeper', async () => {
    const waker = new Waker();
    const sleeping = [waker.sleep(60_000), waker.sleep(60_000)];
    waker.wake();
    await expect(Promise.all(sleeping)).resolves.toEqual([undefined, undefined]);
  });

  it('remembers a wake-up that came while nobody slept, once', async () => {
    const waker = new Waker();
    waker.wake();
    await waker.sleep(60_000);
    let finished = false;
    const second = waker.sleep(20).then(() => (finished = true));
    expect(finished).toBe(false);
    await second;
    expect(finished).toBe(true);
  });
});
