import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../directory/user.entity';
import { UserMessage } from './user-message.entity';

/** One user's copy of a message: its own read flags, its own deletion (the row is removed). */
@Entity('user_message_recipients')
// These three indexes are created by the migrations with INCLUDE (...) (and the inbox one with DESC keys),
// which TypeORM's index metadata cannot describe; they are declared by name only so
// `npm run migration:generate` neither drops nor re-creates them (synchronize is never on).
// See migrations/1795362000000-UserMessages.ts and 1795366000000-UserMessagesSourceFilter.ts.
//   ix_user_message_recipients_inbox:          ("user_id", "timestamp" DESC, "message_id" DESC) INCLUDE (flags, "source")
//   ix_user_message_recipients_user_unread:    ("user_id") INCLUDE (...) WHERE "unread_browser" OR "unread_email"
//   ix_user_message_recipients_message_unread: ("message_id") INCLUDE (...) WHERE "unread_browser" OR "unread_email"
@Index('ix_user_message_recipients_inbox', { synchronize: false })
@Index('ix_user_message_recipients_user_unread', { synchronize: false })
@Index('ix_user_message_recipients_message_unread', { synchronize: false })
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

  /** Copied from the message (which never changes) so the filter's `source` is tested on the inbox index alone. */
  @Column({ type: 'varchar', length: 255 })
  source: string;

  // The foreign keys, for the schema only: never loaded.
  @ManyToOne(() => UserMessage, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id', foreignKeyConstraintName: 'user_message_recipients_message_id_fkey' })
  message?: UserMessage;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'user_message_recipients_user_id_fkey' })
  user?: User;
}
