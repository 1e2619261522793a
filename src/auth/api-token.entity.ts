import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Account } from '../directory/account.entity';
import { User } from '../directory/user.entity';

/**
 * An API token. Only the SHA-256 of the secret is stored: tokens carry 256 random bits, so a
 * fast hash is enough (there is nothing to brute-force) and lookups stay one index probe.
 */
@Entity('api_tokens')
@Check('ck_api_tokens_one_owner', `("account_id" IS NULL) <> ("user_id" IS NULL)`)
export class ApiToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('uq_api_tokens_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'bytea' })
  tokenHash: Buffer;

  @Index('ix_api_tokens_account_id')
  @Column({ name: 'account_id', type: 'int', nullable: true })
  accountId: number | null;

  @Index('ix_api_tokens_user_id')
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  label: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  // The foreign keys, for the schema only: never loaded (services use accountId / userId).
  @ManyToOne(() => Account, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'api_tokens_account_id_fkey' })
  account?: Account | null;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'api_tokens_user_id_fkey' })
  user?: User | null;
}
