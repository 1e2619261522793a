import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Account } from './account.entity';

/** An integrator account whose tokens may act for a provider account (`X-Service-Provider`). */
@Entity('account_representations')
export class AccountRepresentation {
  @PrimaryColumn({ name: 'account_id', type: 'int', primaryKeyConstraintName: 'pk_account_representations' })
  accountId: number;

  @PrimaryColumn({ name: 'provider_account_id', type: 'int', primaryKeyConstraintName: 'pk_account_representations' })
  providerAccountId: number;

  @ManyToOne(() => Account, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'account_representations_account_id_fkey' })
  account?: Account;

  @ManyToOne(() => Account, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'provider_account_id', foreignKeyConstraintName: 'account_representations_provider_account_id_fkey' })
  provider?: Account;
}
