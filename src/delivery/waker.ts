/**
 * A sleep that can be cut short, for any number of sleepers; a wake-up that arrives while nobody
 * sleeps makes the next sleep return at once.
 */
export class Waker {
  private readonly sleepers = new Set<() => void>();
  private pending = false;

  sleep(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  wake(): void {
    if (this.sleepers.size === 0) this.pending = true;
    for (const done of [...this.sleepers]) done();
  }
}
