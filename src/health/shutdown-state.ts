import { Injectable } from '@nestjs/common';

/**
 * Whether this instance is draining: it has been told to stop (SIGTERM) and still serves every request, but
 * readiness answers 503 so that the load balancer stops sending it new ones before it closes.
 */
@Injectable()
export class ShutdownState {
  private drainingSince?: number;

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  startDraining(): void {
    this.drainingSince ??= Date.now();
  }
}
