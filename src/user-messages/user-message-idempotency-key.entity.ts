import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** The first result of a create sent with an `Idempotency-Key`, per caller. */
@Entity('user_message_idempotency_keys')
export class UserMessageIdempotencyKey {
  @PrimaryColumn({ name: 'caller_id', type: 'uuid' })
  callerId: string;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  key: string;

  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash: string;

  @Column({ type: 'int', nullable: true })
  status: number | null;

  @Column({ type: 'json', nullable: true })
  response: unknown;

  @Index('ix_user_message_idempotency_keys_created_at')
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
