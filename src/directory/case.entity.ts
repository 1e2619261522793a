import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Account } from './account.entity';

/** A repair case between one partner account and one provider account. */
@Entity('cases')
export class Case {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('uq_cases_guid', { unique: true })
  @Column({ type: 'uuid' })
  guid: string;

  @Index('ix_cases_partner_account_id')
  @Column({ name: 'partner_account_id', type: 'int' })
  partnerAccountId: number;

  @Index('ix_cases_provider_account_id')
  @Column({ name: 'provider_account_id', type: 'int' })
  providerAccountId: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  // The foreign keys, for the schema only: never loaded (services use the id columns above).
  @ManyToOne(() => Account)
  @JoinColumn({ name: 'partner_account_id', foreignKeyConstraintName: 'cases_partner_account_id_fkey' })
  partnerAccount?: Account;

  @ManyToOne(() => Account)
  @JoinColumn({ name: 'provider_account_id', foreignKeyConstraintName: 'cases_provider_account_id_fkey' })
  providerAccount?: Account;
}
