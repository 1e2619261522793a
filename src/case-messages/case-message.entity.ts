import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Account } from '../directory/account.entity';
import { Case } from '../directory/case.entity';
import { CaseMessageType, SenderType } from './case-messages.enums';

/**
 * A message on a repair case. The case's guid and both parties are copied onto the row (cases never
 * change parties), so the feed filters and the wire shape need no join with `cases`.
 */
@Entity('case_messages')
@Check('case_messages_sender_type_check', `"sender_type" IN ('partner', 'provider')`)
@Index('ix_case_messages_case_id_id', ['caseId', 'id'])
@Index('uq_case_messages_external_id', ['caseId', 'senderAccountId', 'externalId'], { unique: true, where: '"external_id" IS NOT NULL' })
@Index('ix_case_messages_partner_feed', ['partnerAccountId', 'id'], { where: `"sender_type" IS DISTINCT FROM 'partner' AND NOT "is_internal"` })
@Index('ix_case_messages_provider_feed', ['providerAccountId', 'id'], { where: `"sender_type" IS DISTINCT FROM 'provider' AND NOT "is_internal"` })
export class CaseMessage {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'case_id', type: 'int' })
  caseId: number;

  @Column({ name: 'case_guid', type: 'uuid' })
  caseGuid: string;

  @Column({ name: 'partner_account_id', type: 'int' })
  partnerAccountId: number;

  @Column({ name: 'provider_account_id', type: 'int' })
  providerAccountId: number;

  /** Null for messages the system wrote. */
  @Column({ name: 'sender_account_id', type: 'int', nullable: true })
  senderAccountId: number | null;

  @Column({ name: 'sender_type', type: 'varchar', length: 16, nullable: true })
  senderType: SenderType | null;

  @Column({ name: 'parent_message_id', type: 'int', nullable: true })
  parentMessageId: number | null;

  @Column({ type: 'varchar', length: 32 })
  type: CaseMessageType;

  @Column({ type: 'text', nullable: true })
  content: string | null;

  @Column({ name: 'external_id', type: 'varchar', length: 512, nullable: true })
  externalId: string | null;

  @Column({ name: 'user_email', type: 'varchar', length: 512, nullable: true })
  userEmail: string | null;

  @Column({ name: 'user_name', type: 'varchar', length: 512, nullable: true })
  userName: string | null;

  @Column({ name: 'declared_at', type: 'timestamptz' })
  declaredAt: Date;

  /** Seen only by the sending account: not in the other party's list, feed or queue, no webhook. */
  @Column({ name: 'is_internal', type: 'boolean', default: false })
  isInternal: boolean;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  /** The creation time (a message is immutable); `updatedAt` on the wire is the later of this and its confirmation. */
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  /**
   * The id of the transaction that wrote the row (an xid8 as bigint: TypeORM has no xid8), set by the create
   * statement, which the feed compares with the oldest transaction still running (case-messages.sql.ts, feedSql);
   * 0 for rows written otherwise (seeds, fixtures), taken as long committed. Never on the wire.
   */
  @Column({ name: 'writer_xid', type: 'bigint', default: 0, select: false })
  writerXid: string;

  // The foreign keys, for the schema only: never loaded (services use the id columns above).
  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'case_messages_case_id_fkey' })
  case?: Case;

  @ManyToOne(() => Account)
  @JoinColumn({ name: 'sender_account_id', foreignKeyConstraintName: 'case_messages_sender_account_id_fkey' })
  senderAccount?: Account | null;

  @ManyToOne(() => CaseMessage, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'parent_message_id', foreignKeyConstraintName: 'case_messages_parent_message_id_fkey' })
  parentMessage?: CaseMessage | null;
}

/**
 * One row per receiving account of a message it has not confirmed yet: the unconfirmed feed's index. The
 * create statement inserts the rows, the confirm statement deletes them (case-messages.sql.ts).
 */
@Entity('case_message_unconfirmed')
export class CaseMessageUnconfirmed {
  @PrimaryColumn({ name: 'account_id', type: 'int', primaryKeyConstraintName: 'pk_case_message_unconfirmed' })
  accountId: number;

  @PrimaryColumn({ name: 'message_id', type: 'int', primaryKeyConstraintName: 'pk_case_message_unconfirmed' })
  messageId: number;
}

/**
 * A message's confirmation by the receiving side: written once, by the first confirm (its primary key decides
 * concurrent ones). A row of its own rather than columns of case_messages, so a confirm appends to one narrow
 * table instead of rewriting message rows on ~100 random pages (migration 1795367000000).
 */
@Entity('case_message_confirmations')
export class CaseMessageConfirmation {
  @PrimaryColumn({ name: 'message_id', type: 'int', primaryKeyConstraintName: 'pk_case_message_confirmations' })
  messageId: number;

  @Column({ name: 'confirmed_at', type: 'timestamptz' })
  confirmedAt: Date;

  /** The confirming (receiving) account. No foreign key: only ever the authenticated caller's id (see the migration). */
  @Column({ name: 'confirmed_by_account_id', type: 'int', nullable: true })
  confirmedByAccountId: number | null;
}

/**
 * A case message as the v3 statements return it (case-messages.sql.ts), with its confirmation: timestamps
 * already ISO 8601 strings.
 */
export type CaseMessageRow = Omit<CaseMessage, 'declaredAt' | 'createdAt' | 'updatedAt' | 'writerXid'> & {
  declaredAt: string;
  confirmedAt: string | null;
  confirmedByAccountId: number | null;
  createdAt: string;
  updatedAt: string;
};
