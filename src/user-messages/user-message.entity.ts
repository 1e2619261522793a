import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { ReceiverType, Severity } from './user-messages.enums';

/** A v2 notification as its sender addressed it; per-recipient state lives in UserMessageRecipient. */
@Entity('user_messages')
@Check('user_messages_receiver_type_check', `"receiver_type" IN ('user', 'group')`)
@Check('user_messages_severity_check', `"severity" IN ('Info', 'Warning', 'Error')`)
@Index('ix_user_messages_sender_timestamp', ['senderId', 'timestamp', 'id'])
// The filter's `source` on the sender's side (DESC keys, written by migration 1795366000000).
@Index('ix_user_messages_sender_source', ['senderId', 'source', 'timestamp', 'id'])
// Partial, written by its migration: ("correlation_id") WHERE "correlation_id" IS NOT NULL.
@Index('ix_user_messages_correlation_id', { synchronize: false })
// Partial, written by its migration: ("sender_id", "timestamp" DESC, "id" DESC) WHERE receiver_type = 'group'.
@Index('ix_user_messages_sender_group', { synchronize: false })
// BRIN, written by its migration: ("timestamp"), for MESSAGE_RETENTION_DAYS.
@Index('ix_user_messages_timestamp_brin', { synchronize: false })
export class UserMessage {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'sender_id', type: 'uuid', nullable: true })
  senderId: string | null;

  @Column({ name: 'sender_email', type: 'varchar', length: 320, nullable: true })
  senderEmail: string | null;

  @Column({ name: 'receiver_type', type: 'varchar', length: 8 })
  receiverType: ReceiverType;

  @Column({ name: 'receiver_id', type: 'uuid' })
  receiverId: string;

  @Column({ name: 'receiver_email', type: 'varchar', length: 320, nullable: true })
  receiverEmail: string | null;

  @Column({ type: 'varchar', length: 255 })
  source: string;

  @Column({ type: 'varchar', length: 255 })
  topic: string;

  @Column({ type: 'varchar', length: 16 })
  severity: Severity;

  @Column({ name: 'return_code', type: 'varchar', length: 255 })
  returnCode: string;

  @Column({ type: 'timestamptz', precision: 3 })
  timestamp: Date;

  @Column({ name: 'additional_data', type: 'text', nullable: true })
  additionalData: string | null;

  /** additional_data holds a dashboard content object as JSON (else a text), returned as an object. */
  @Column({ name: 'additional_data_is_object', type: 'boolean', default: false })
  additionalDataIsObject: boolean;

  @Column({ name: 'correlation_id', type: 'uuid', nullable: true })
  correlationId: string | null;

  /** The authenticated caller who posted it (differs from sender when a service names another sender). */
  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;
}
