import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One admin write: who (`cli`, or `admin:<hash prefix>`), what, on which object, with its secrets masked. */
@Entity('audit_log')
@Index('ix_audit_log_target_id', ['target', 'id'])
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'PK_audit_log_id' })
  id: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  @Column({ type: 'varchar', length: 64 })
  actor: string;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  /** `<kind>:<id>`, e.g. `account:12`, `user:<uuid>`, `token:<uuid>`. */
  @Column({ type: 'varchar', length: 128 })
  target: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: Record<string, unknown>;
}
