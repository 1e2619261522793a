import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { UserRole } from './directory.enums';

/** A portal user (or a service acting as one); v2 tokens belong to a user. */
@Entity('users')
@Check('users_role_check', `"role" IN ('user', 'service')`)
// Written by its migration: (lower("email"), "id"), the admin user list's order.
@Index('ix_users_lower_email', { synchronize: false })
export class User {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'varchar', length: 320 })
  email: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  name: string | null;

  @Column({ type: 'varchar', length: 16, default: UserRole.User })
  role: UserRole;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Set while the user is switched off: its tokens answer 401, its data stays. */
  @Column({ name: 'deactivated_at', type: 'timestamptz', nullable: true })
  deactivatedAt: Date | null;
}
