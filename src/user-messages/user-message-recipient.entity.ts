import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One user's copy of a message: its own read flags, its own deletion (the row is removed). */
@Entity('user_message_recipients')
@Index('ix_user_message_recipients_inbox', ['userId', 'timestamp', 'messageId'])
export class UserMessageRecipient {
  @PrimaryColumn({ name: 'message_id', type: 'uuid' })
  messageId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** Where this recipient's e-mail goes. */
  @Column({ type: 'varchar', length: 320 })
  address: string;

  @Column({ name: 'unread_email', type: 'boolean' })
  unreadEmail: boolean;

  @Column({ name: 'unread_browser', type: 'boolean' })
  unreadBrowser: boolean;

  /** Copied from the message so the inbox is one index range per user. */
  @Column({ type: 'timestamptz', precision: 3 })
  timestamp: Date;
}
