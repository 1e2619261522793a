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

  @Column({ name: 'webhook_url', type: 'varchar', length: 2048, nullable: true })
  webhookUrl: string | null;

  @Column({ name: 'webhook_secret', type: 'varchar', length: 255, nullable: true })
  webhookSecret: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
