import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, EntitySubscriberInterface, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';

/** A transaction in progress. Services only pass it on; repositories run their statements on `manager`. */
export class Transaction {
  constructor(readonly manager: EntityManager) {}
}

const AFTER_COMMIT_KEY = 'afterCommit';

/**
 * The one way a service opens a transaction, and the commit hook the delivery outbox needs: a callback
 * registered inside a transaction runs once it has committed, never after a rollback.
 */
@Injectable()
export class Transactions implements EntitySubscriberInterface {
  constructor(private readonly dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(new Transaction(manager)));
  }

  /** Runs `callback` after `tx` commits; without a transaction (a single statement), on the next turn. */
  afterCommit(tx: Transaction | undefined, callback: () => void): void {
    const runner = tx?.manager.queryRunner;
    if (!runner?.isTransactionActive) {
      setImmediate(callback);
      return;
    }
    const pending = (runner.data[AFTER_COMMIT_KEY] ??= []) as Array<() => void>;
    pending.push(callback);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const pending = event.queryRunner.data?.[AFTER_COMMIT_KEY] as Array<() => void> | undefined;
    if (!pending) return;
    delete event.queryRunner.data[AFTER_COMMIT_KEY];
    for (const callback of pending) setImmediate(callback);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (event.queryRunner.data) delete event.queryRunner.data[AFTER_COMMIT_KEY];
  }
}
