import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';

export type DeliverySignal = 'deliveries' | 'streamEvents';

/**
 * Wakes this process's workers and stream relay right after a transaction that wrote delivery rows
 * commits, instead of waiting for the next poll. Rows written by other processes are found by polling
 * (workers) or LISTEN/NOTIFY (streams); this only shortens the local path.
 */
@Injectable()
export class DeliverySignals {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(50);
  }

  on(signal: DeliverySignal, listener: () => void): () => void {
    this.emitter.on(signal, listener);
    return () => this.emitter.off(signal, listener);
  }

  emit(signal: DeliverySignal): void {
    this.emitter.emit(signal);
  }
}
