import { Check, Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { UserRole } from './directory.enums';

/** A portal user (or a service acting as one); v2 tokens belong to a user. */
@Entity('users')
@Check('users_role_check', `"role" IN ('user', 'service')`)
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
}
