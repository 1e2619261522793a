import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from './user.entity';

/** A named set of users; a v2 message addressed to a group reaches every member at send time. */
@Entity('groups')
// Written by its migration: (lower("name"), "id"), for the v2 name check and the v2 group list.
@Index('ix_groups_lower_name', { synchronize: false })
export class Group {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  description: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

@Entity('group_members')
export class GroupMember {
  @PrimaryColumn({ name: 'group_id', type: 'uuid' })
  groupId: string;

  // The primary key (group_id, user_id) serves "members of a group"; this serves "groups of a user".
  @Index('ix_group_members_user_id')
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  // The foreign keys, for the schema only: never loaded.
  @ManyToOne(() => Group, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'group_members_group_id_fkey' })
  group?: Group;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'group_members_user_id_fkey' })
  user?: User;
}
