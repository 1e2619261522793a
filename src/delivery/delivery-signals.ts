import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { DataSource, EntityManager, EntitySubscriberInterface, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';

export type DeliverySignal = 'deliveries' | 'streamEvents';

const PENDING_KEY = 'deliverySignals';

/**
 * Wakes this process's workers and stream relay right after a transaction that wrote delivery rows
 * commits, instead of waiting for the next poll. Rows written by other processes are found by polling
 * (workers) or LISTEN/NOTIFY (streams); this only shortens the local path.
 */
@Injectable()
export class DeliverySignals implements EntitySubscriberInterface {
  private readonly emitter = new EventEmitter();

  constructor(dataSource: DataSource) {
    dataSource.subscribers.push(this);
    this.emitter.setMaxListeners(50);
  }

  on(signal: DeliverySignal, listener: () => void): () => void {
    this.emitter.on(signal, listener);
    return () => this.emitter.off(signal, listener);
  }

  emit(signal: DeliverySignal): void {
    this.emitter.emit(signal);
  }

  /** Emits `signal` once the manager's transaction commits (at once when there is no transaction). */
  afterCommit(manager: EntityManager, signal: DeliverySignal): void {
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) {
      setImmediate(() => this.emit(signal));
      return;
    }
    const pending = (runner.data[PENDING_KEY] ??= new Set<DeliverySignal>()) as Set<DeliverySignal>;
    pending.add(signal);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const pending = event.queryRunner.data?.[PENDING_KEY] as Set<DeliverySignal> | undefined;
    if (!pending) return;
    delete event.queryRunner.data[PENDING_KEY];
    for (const signal of pending) setImmediate(() => this.emit(signal));
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (event.queryRunner.data) delete event.queryRunner.data[PENDING_KEY];
  }
}
