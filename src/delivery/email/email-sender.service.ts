import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createTransport, Transporter } from 'nodemailer';
import { EnvironmentVariables } from '../../config/env.validation';
import { AttemptOutcome, ClaimedDelivery } from '../delivery-retry';
import { UserMessageSource } from '../message-source.port';
import { buildEmailContent, EmailMessage } from './email-content';

/** SMTP connection options from SMTP_URL (smtp:// or smtps://user:pass@host:port). */
export function smtpOptions(smtpUrl: string, rejectUnauthorized: boolean, maxConnections: number) {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 25,
    secure,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    pool: true as const,
    maxConnections,
    maxMessages: 1000,
    tls: { rejectUnauthorized },
    // Well inside the workers' lease, so a hung server cannot make a second worker send the same e-mail.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  };
}

/** Sends one e-mail delivery: over SMTP when SMTP_URL is set, else as an .eml file under DATA_DIR/mail. */
@Injectable()
export class EmailSender implements OnApplicationShutdown {
  private readonly transport: Transporter;
  private readonly mailDir?: string;

  constructor(
    private readonly env: EnvironmentVariables,
    private readonly messages: UserMessageSource,
  ) {
    if (env.SMTP_URL) {
      this.transport = createTransport(smtpOptions(env.SMTP_URL, env.SMTP_TLS_REJECT_UNAUTHORIZED, env.WORKER_CONCURRENCY));
    } else {
      this.transport = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
      this.mailDir = resolve(env.DATA_DIR, 'mail');
    }
  }

  /** Reads the messages of a batch of e-mail deliveries at once (most of a big batch share one message). */
  prepare(deliveries: ClaimedDelivery[]): Promise<Map<string, EmailMessage>> {
    return this.messages.userMessagesForEmail(deliveries.map((d) => d.messageId));
  }

  async send(delivery: ClaimedDelivery, messages: Map<string, EmailMessage>): Promise<AttemptOutcome> {
    const started = performance.now();
    const userId = delivery.userId as string;
    const message = messages.get(delivery.messageId);
    if (!message) return { ok: false, cancelled: true, error: 'message deleted', latencyMs: performance.now() - started };
    const content = buildEmailContent(message, userId, this.env.MAIL_FROM);
    try {
      const info = await this.transport.sendMail({
        from: this.env.MAIL_FROM,
        // One address as given, never parsed as an address list (the API refuses list syntax; rows stored
        // before that rule must not fan out either).
        to: { name: '', address: delivery.address as string },
        subject: content.subject,
        text: content.text,
        html: content.html,
        // Readable in an .eml file and in logs of a mail relay, unlike base64.
        textEncoding: 'quoted-printable',
        messageId: content.messageIdHeader,
        headers: { 'X-Message-Id': message.id },
      });
      if (this.mailDir) await this.writeEml(message.id, userId, info.message as Buffer);
      return { ok: true, latencyMs: performance.now() - started };
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      return { ok: false, statusCode: code, error: (error as Error).message.slice(0, 1000), latencyMs: performance.now() - started };
    }
  }

  /**
   * One file per (message, recipient): a resend overwrites it instead of adding a copy. Written
   * aside and renamed, so a reader never sees half a file.
   */
  private async writeEml(messageId: string, userId: string, raw: Buffer): Promise<void> {
    const dir = this.mailDir as string;
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${messageId}.${userId}.eml`);
    await writeFile(`${file}.tmp`, raw);
    await rename(`${file}.tmp`, file);
  }

  /**
   * After the workers stopped (their beforeApplicationShutdown waits for the round in flight): closed
   * earlier, in onModuleDestroy, a round past its claim sent on a closed pool and waited forever.
   */
  onApplicationShutdown(): void {
    this.transport.close();
  }
}
