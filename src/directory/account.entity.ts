import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { AccountType } from './directory.enums';

/** A service partner or service provider company; v3 tokens belong to an account. */
@Entity('accounts')
@Check('accounts_type_check', `"type" IN ('partner', 'provider')`)
export class Account {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 16 })
  type: AccountType;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Set while the account is switched off: its tokens answer 401, its data stays. */
  @Column({ name: 'deactivated_at', type: 'timestamptz', nullable: true })
  deactivatedAt: Date | null;
}
