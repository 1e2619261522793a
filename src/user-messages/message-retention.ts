import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EnvironmentVariables } from '../config/env.validation';
import { UserMessagesRepository } from './user-messages.repository';

const RUN_EVERY_MS = 60 * 60 * 1000;
/** Between two steps, so a large backlog never takes the database's attention from requests. */
const PAUSE_MS = 50;

/**
 * MESSAGE_RETENTION_DAYS: once an hour, on every instance, removes v2 messages older than that, with their
 * recipient rows, in small steps until none is left. Open streams hear nothing: a tab shows the message
 * until it next reloads its list.
 */
@Injectable()
export class MessageRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MessageRetention.name);
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly env: EnvironmentVariables,
    private readonly messages: UserMessagesRepository,
  ) {}

  onApplicationBootstrap(): void {
    if (this.env.MESSAGE_RETENTION_DAYS === 0) return;
    this.timer = setInterval(() => void this.prune(), RUN_EVERY_MS).unref();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** Removes what has expired; returns how many messages and recipient rows. */
  async prune(): Promise<{ messages: number; recipients: number }> {
    const total = { messages: 0, recipients: 0 };
    try {
      while (!this.stopped) {
        const step = await this.messages.deleteExpiredMessagesStep(this.env.MESSAGE_RETENTION_DAYS);
        total.messages += step.messages;
        total.recipients += step.recipients;
        if (step.messages === 0 && step.recipients === 0) break;
        await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
      }
    } catch (error) {
      this.logger.warn(`message retention stopped early: ${(error as Error).message}`);
    }
    if (total.messages > 0) this.logger.log(`removed ${total.messages} messages older than ${this.env.MESSAGE_RETENTION_DAYS} days (${total.recipients} recipient rows)`);
    return total;
  }
}
